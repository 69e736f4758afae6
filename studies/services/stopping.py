"""The stop rules of a study's budget, checked after each complete trial (engine/stopping.py)."""

from studies.engine import cv_noise, rng_for, stop_reason
from studies.models import Study

from . import read
from .studies import end_study


def stop_if_a_rule_says_so(study):
    """Stop a running single-objective study when one of its stop rules says so (inside
    locked_study, after a trial completed), by the same path as a person pressing Stop.

    Target and patience cost one query of values; the regret bound, only when its rule is due,
    reads the history and fits a small GP (engine `regret_bound`). The evaluation's noise is the
    spread of the best trial's cross-validation folds when it has them, else the GP's estimate.

    Returns:
        The rule that stopped the study ("target", "patience", "regret_bound"), or None.
    """
    if study.state != Study.State.RUNNING or not study.stop_rules or len(study.directions) != 1:
        return None
    rules = read.stop_rules_of(study)
    values = read.values_in_completion_order(study)
    regret_due = rules.regret_bound is not None and rules.regret_bound.due(len(values))
    records = read.trial_records(study) if regret_due else ()
    reason = stop_reason(rules, read.search_space_of(study), records, study.directions[0],
                         rng_for(study.seed, study.next_number), completed_order=values,
                         noise=_noise(study) if regret_due else None)
    if reason is not None:
        end_study(study, reason)
    return reason


def _noise(study):
    best = read.best_trial(study)
    folds = (best.details or {}).get("fold_scores") if best is not None else None
    return cv_noise(folds) if folds else None


def stop_sentence(study):
    """Why a stop rule stopped the study, in plain words; "" when no rule stopped it.

    Example: "Stopped: the best value reached your target of 0.95 after 37 trials."
    """
    rules = study.stop_rules or {}
    if study.stop_reason == Study.StopReason.TARGET:
        n = read.n_complete_by(study, study.finished_at)
        return (f"Stopped: the best value reached your target of {rules.get('target'):g} "
                f"after {n} trial{'' if n == 1 else 's'}.")
    if study.stop_reason == Study.StopReason.PATIENCE:
        by = f" by at least {rules['min_delta']:g}" if rules.get("min_delta") else ""
        return f"Stopped: {rules.get('patience')} trials in a row did not improve on the best{by}."
    if study.stop_reason == Study.StopReason.REGRET_BOUND:
        return "Stopped: more trials are unlikely to improve the best by more than the evaluation's own noise."
    return ""
