"""A study in a few plain sentences, each backed by the number shown beside it.

`summarise` is pure: it takes `read.TrialRow`s and the importance shares and returns
`Sentence`s. `study_summary` says the same from what the database counts and chooses
(`read.summary_facts`: a few aggregate queries, never every trial) and caches the sentences
until the study changes.
"""

import logging
import math
import statistics
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache

from studies.engine import GOAL_WORDS, TrialRecord, pareto_front
from studies.objectives import (
    BUNDLED_DATASETS, ObjectiveError, describe_result, format_number, metric_direction, metric_words, param_words,
)
from studies.objectives.automl import FAMILY_LABELS, FAMILY_PARAM, SEPARATOR, family_words, is_auto
from studies.objectives.estimators import estimator_class

from . import read, tally
from .importance import has_several_settings, importance_of

log = logging.getLogger(__name__)
CACHE_S = 600

FIRST_TRIALS = 10  # "the first trials" the best is compared with
BEST_SHARE = 0.1  # the best results' range is read from this share of complete trials
MIN_BEST_TRIALS = 3
MIN_TRIALS_TO_JUDGE = 10  # below this, too few trials to say whether the search has settled
TYPICAL_TRIALS = 1000  # "a full trial takes about": the median duration of the latest complete trials
FAILURES_READ = 200  # the latest failed trials whose reasons are counted: enough to tell the common one
MAX_REASON = 160  # characters of a failure's reason quoted in the summary
PATIENCE_SHARE = 0.3  # no improvement over this share of the complete trials reads as "settled"


@dataclass(frozen=True)
class Sentence:
    key: str  # a stable name, for tests and styling
    text: str
    figure: str  # the number that backs the sentence, shown beside it


def summarise(direction, rows, space, importance=None, default=None, directions=None, worded=False, leads=None):
    """Sentences describing a study's result for someone who does not code.

    Args:
        direction: "minimize" or "maximize"; None for a multi-objective study.
        rows: `read.TrialRow`s of the finished trials (complete and pruned at least), any order.
        space: The JSON search space.
        importance: Parameter name -> share of the variation explained, or None.
        default: (number, value) of a complete trial run at the model's default settings, or None.
        directions: All directions, to word a multi-objective study.
        worded: The best value was already said in words (`result_summary`), so the first
            sentence names only the trial that found it rather than repeat the figure.
        leads: (parent, choice) -> the parameter that explains most under that choice
            (`importance.Importance.leads`), or None.

    Returns:
        A list of `Sentence`s, most important first.
    """
    return sentences_of(direction, facts_of(direction, rows), space, importance, default, directions, worded,
                        leads=leads)


def facts_of(direction, rows):
    """The `read.SummaryFacts` of these rows: what `read.summary_facts` counts in the database."""
    rows = sorted(rows, key=lambda row: row.number)
    # A trial that broke a constraint cannot be the best, nor the best of the first few.
    scored = [row for row in rows if row.state == "complete" and _finite(row.value)]
    complete = [row for row in scored if not row.infeasible]
    pruned = [row for row in rows if row.state == "pruned"]
    full = [row.duration_s for row in rows if row.state == "complete" and row.duration_s is not None][-TYPICAL_TRIALS:]
    typical = statistics.median(full) if full else None
    saved = sum(max(0.0, typical - (row.duration_s or 0.0)) for row in pruned) if full else 0.0
    facts = read.SummaryFacts(n_scored=len(scored), n_complete=len(complete), n_pruned=len(pruned), typical_s=typical,
                              saved_s=saved, n_multi=sum(1 for row in rows if row.state == "complete" and row.values))
    if direction is None or not complete:
        return facts
    best_index = 0
    for i, row in enumerate(complete):
        if _better(row.value, complete[best_index].value, direction):
            best_index = i
    n_best = max(MIN_BEST_TRIALS, math.ceil(BEST_SHARE * len(complete))) if len(complete) >= MIN_BEST_TRIALS else 0
    ranked = sorted(complete, key=lambda row: -row.value if direction == "maximize" else row.value)[:n_best]
    return facts._replace(best=complete[best_index], first=tuple(complete[:FIRST_TRIALS]), ranked=tuple(ranked),
                          n_since_best=len(complete) - 1 - best_index)


def sentences_of(direction, facts, space, importance=None, default=None, directions=None, worded=False, names=None,
                 before=None, leads=None):
    """`summarise`'s sentences from a study's `read.SummaryFacts` (the other arguments as there;
    `names`: what the study calls each objective, `Study.objective_names` (the sentences of a study of
    one call its value so: "the best accuracy"); `before`: (number, value) of the trial that ran the
    earlier study's best settings, `earlier_best_trial`)."""
    value = names[0] if direction is not None and names else "value"
    if direction is None:
        # A multi-objective trial has its values, not a value.
        sentences = [_multi(facts.n_multi, directions or [], names)]
    elif not facts.n_complete:
        sentences = [_none_within_limits(facts.n_scored, value) if facts.n_scored else
                     Sentence("best", "No trial has finished with a value yet.", "0")]
    else:
        best = facts.best
        sentences = [_best_sentence(best, direction, worded, value), _versus_first(facts, direction),
                     _versus_default(best, default, direction, value), _versus_before(best, before, direction),
                     *_importance(importance, leads, best, value),
                     _best_range(facts.ranked, space, importance)]
    sentences += [_pruned(facts),
                  _settled(facts, direction, broke_limits=facts.n_scored > facts.n_complete, value=value)]
    return [sentence for sentence in sentences if sentence is not None]


def _finite(value):
    return isinstance(value, (int, float)) and math.isfinite(value)


def _better(a, b, direction):
    return a > b if direction == "maximize" else a < b


def _best(rows, direction):
    best = rows[0]
    for row in rows[1:]:
        if _better(row.value, best.value, direction):
            best = row
    return best


def number(value):
    """A value with 4 significant digits, without a needless exponent: 0.9092, 16,770 (not 1.677e+04);
    a tiny one keeps its exponent (3.5e-05)."""
    if math.isfinite(value) and 1e4 <= abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def duration(seconds):
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _gain(best, other, direction):
    """How much better `best` is than `other`, in percent of `other`, or None when that is meaningless."""
    if other == 0:
        return None
    change = (best - other) if direction == "maximize" else (other - best)
    return 100.0 * change / abs(other)


def _best_sentence(best, direction, worded=False, value="value"):
    if worded:
        return Sentence("best", f"Trial #{best.number} found the best settings.", f"#{best.number}")
    return Sentence("best", f"The best {value} so far is {number(best.value)} ({GOAL_WORDS[direction]}), from trial "
                    f"#{best.number}.", number(best.value))


def _versus_first(facts, direction):
    if facts.n_complete <= FIRST_TRIALS:
        return None
    best, first = facts.best, _best(list(facts.first), direction)
    if first.number == best.number:
        after = facts.n_complete - FIRST_TRIALS
        later = "the trial after them" if after == 1 else f"the {after} trials after them"
        return Sentence("first", f"The best came within the first {FIRST_TRIALS} trials; {later} did not beat it.",
                        "+0%")
    gain = _gain(best.value, first.value, direction)
    if gain is None:
        difference = abs(best.value - first.value)
        return Sentence("first", f"That is {number(difference)} better than the best of the first {FIRST_TRIALS} "
                        f"trials ({number(first.value)}).", number(difference))
    return Sentence("first", f"That is {gain:.1f}% better than the best of the first {FIRST_TRIALS} trials "
                    f"({number(first.value)}).", f"+{gain:.1f}%")


def _versus_default(best, default, direction, said="value"):
    if default is None:
        return None
    number_, value = default
    gain = _gain(best.value, value, direction)
    figure = f"{gain:+.1f}%" if gain is not None else number(best.value - value)
    how = f"{gain:.1f}% better than" if gain is not None and gain > 0 else "no better than"
    return Sentence("default", f"With the model's default settings (trial #{number_}) the {said} was {number(value)}; "
                    f"the best is {how} that.", figure)


def _versus_before(best, before, direction):
    if before is None:
        return None
    number_, value = before
    if number_ == best.number:
        return Sentence("before", f"The settings that were best on the earlier data (trial #{number_} here) are "
                        f"still the best on this data: tuning again found none better.", "+0%")
    gain = _gain(best.value, value, direction)
    figure = f"{gain:+.1f}%" if gain is not None else number(best.value - value)
    how = f"{gain:.1f}% better than" if gain is not None and gain > 0 else "no better than"
    return Sentence("before", f"The settings that were best on the earlier data score {number(value)} on this "
                    f"data (trial #{number_}); the best found by tuning again is {how} that.", figure)


def earlier_best_trial(study):
    """(number, value) of the trial that ran the earlier study's best settings in a study tuned again
    on new data (its trial #0, `retuning`), once it is complete; None for every other study."""
    if study.retuned_from_id is None:
        return None
    state, value = read.trial_values(study, [0]).get(0, (None, None))
    return (0, value) if state == "complete" and value is not None else None


def _importance(importance, leads=None, best=None, value="value"):
    if not importance or len(importance) < 2:
        return []
    ordered = sorted(importance.items(), key=lambda item: -item[1])
    (top, share), (second, share2) = ordered[0], ordered[1]
    kind = best.params.get(FAMILY_PARAM) if best is not None and FAMILY_PARAM in importance else None
    if top == FAMILY_PARAM and kind is not None:
        # The next bar is a setting of one kind of model: "then C of support vector machine" would
        # read as a runner-up to the choice of model, where the next sentence says what it is.
        text = f"What mattered most is the kind of model: it explains about {share:.0%} of the variation in the {value}."
    else:
        text = (f"What mattered most is {param_words(top)}: it explains about {share:.0%} of the variation in the "
                f"{value}, then {param_words(second)} ({share2:.0%}).")
    within = _within_kind(kind, top, importance, leads or {}) if kind is not None else None
    return [Sentence("importance", f"{text} {within}" if within else text, f"{share:.0%}")]


def _within_kind(kind, top, importance, leads):
    """Which setting of the best trial's kind of model mattered most, when the trials tell it, or
    that they do not tell yet; None when that kind has fewer than two settings of its own, or
    when the sentence before already named one."""
    own = f"{kind}{SEPARATOR}"
    if top.startswith(own) or not has_several_settings(kind, importance):
        return None
    # The best trial's kind, not "the best kind": the best few trials may mostly use another.
    said = f"The best trial's kind of model is {family_words(kind)}:"
    lead = leads.get((FAMILY_PARAM, kind))
    if lead is None:
        return f"{said} the trials so far do not tell which of its settings matters most."
    return f"{said} of its settings, {lead.removeprefix(own)} mattered most."


def range_names(space, importance):
    """The parameters the best trials' range is told for, in the order tried: by importance
    (most first), or the space's order before importance is known."""
    return [name for name in sorted(importance or {}, key=lambda n: -importance[n]) if name in space] or list(space)


def _best_range(ranked, space, importance):
    """Where the best trials (`ranked`) lie for the most important parameter (or the first one)."""
    names = range_names(space, importance)
    if not names or not ranked:
        return None
    # Only a parameter every one of the best trials has: of an auto study's "C of support vector machine", the best
    # trials that are not SVMs say nothing, and naming it would suggest they all were.
    name = next((name for name in names if all(name in row.params for row in ranked)), None)
    if name is None:
        return None
    values = [row.params[name] for row in ranked]
    lead, words = f"The best {len(ranked)} trials", param_words(name)
    if space[name].get("type") == "categorical":
        choice, count = Counter(map(str, values)).most_common(1)[0]
        said = FAMILY_LABELS.get(choice, choice).lower() if name == FAMILY_PARAM else choice
        chosen = f"{words}: {said}" if name == FAMILY_PARAM else f"{words} = {said}"
        if count == len(values):
            return Sentence("range", f"{lead} all use {chosen}.", said)
        if 2 * count > len(values):
            return Sentence("range", f"{lead} mostly use {chosen} ({count} of {len(values)}).", said)
        # No choice is shared by most of them, so none can be called the one that works.
        return Sentence("range", f"{lead} differ in {words}: no choice is shared by most of them.", "mixed")
    low, high = min(values), max(values)
    if number(low) == number(high):
        return Sentence("range", f"{lead} all have {words} = {number(low)}.", number(low))
    span = f"{number(low)}–{number(high)}"
    return Sentence("range", f"{lead} have {words} between {number(low)} and {number(high)}.", span)


def _pruned(facts):
    if not facts.n_pruned:
        return None
    one = facts.n_pruned == 1
    stopped = ("1 trial was stopped early because it looked" if one
               else f"{facts.n_pruned} trials were stopped early because they looked") + " unpromising"
    if facts.typical_s is None:
        return Sentence("pruned", f"{stopped}.", str(facts.n_pruned))
    saved, typical = facts.saved_s, facts.typical_s
    # "saving about 0 s" or "a full trial takes about 0 s" says nothing; trials this quick gain little from stopping
    if saved < 1 or typical < 1:
        return Sentence("pruned", f"{stopped}; a full trial takes under a second here, so that saved little time.",
                        str(facts.n_pruned))
    return Sentence("pruned", f"{stopped}, saving about {duration(saved)} of computing "
                    f"(a full trial takes about {duration(typical)}).", duration(saved))


def _failed(n_failed, errors):
    """Failed trials, said with their most common reason: their settings gave no value, and the
    reason is often the user's to fix (memory, a bug, a missing file) before running more."""
    if not n_failed:
        return None
    reasons = Counter(failure_reason(error) for error in errors)
    reason, count = reasons.most_common(1)[0]
    if n_failed == 1:
        text = f"1 trial failed: “{reason}”. Its page shows the whole error."
    elif count == len(errors) == n_failed:
        text = f"{n_failed} trials failed, each with “{reason}”."
    else:
        share = f"{count} of the latest {len(errors)}" if len(errors) < n_failed else f"{count} of them"
        text = f"{n_failed} trials failed; the most common reason, in {share}: “{reason}”."
    return Sentence("failed", text, str(n_failed))


def failure_reason(error):
    """A failed trial's reason in one line: the last line of its error, where a Python traceback
    and a command's standard error name what went wrong ("RuntimeError: CUDA out of memory")."""
    lines = [line.strip() for line in (error or "").splitlines() if line.strip()]
    if not lines:
        return "no error was recorded"
    reason = lines[-1]
    return reason if len(reason) <= MAX_REASON else reason[:MAX_REASON - 1] + "…"


def _none_within_limits(n_scored, value="value"):
    # Every finished trial broke a limit (a constraint): "no trial has finished" would be untrue,
    # and the user's next step is to loosen a limit or search where the limits hold.
    trials = "1 trial has" if n_scored == 1 else f"{n_scored} trials have"
    return Sentence("best", f"{trials} finished, but none met every limit the study sets, so there is no best "
                    f"{value} yet. Loosen a limit, or narrow the search to settings that meet them.", f"0 of {n_scored}")


def _settled(facts, direction, broke_limits=False, value="value"):
    if direction is None or not facts.n_complete:
        return None  # the sentence before already says no trial has a value to judge by
    if facts.n_complete < MIN_TRIALS_TO_JUDGE:
        n = facts.n_complete
        if broke_limits:
            which = "complete trial met every limit" if n == 1 else "complete trials met every limit"
        else:
            which = "trial is complete" if n == 1 else "trials are complete"
        return Sentence("settled", f"Only {n} {which}: too few yet to tell whether "
                        "the search has settled.", str(n))
    since = facts.n_since_best
    if settled_since(facts) is not None:
        return Sentence("settled", f"The best {value} has not improved in the last {since} trials: the search looks "
                        "finished, and more trials are unlikely to help much.", str(since))
    patience = _patience(facts)
    if since == 0:
        return Sentence("settled", "The latest trial set a new best: the search is still finding better settings "
                        "and may be worth running longer.", "0")
    trials = "1 trial" if since == 1 else f"{since} trials"
    if 2 * since < patience:
        return Sentence("settled", f"The best {value} last improved {trials} ago: the search is still finding "
                        "better settings and may be worth running longer.", str(since))
    # Most of the way to "looks finished", yet not there: saying "still finding" would be untrue.
    return Sentence("settled", f"The best {value} has not improved in the last {trials}, not yet enough to call the "
                    f"search finished (that takes {patience} without a better {value}): a few more trials will tell.",
                    str(since))


def settled_since(facts):
    """The trials since the best when the search reads as settled (no better value in the last
    30% of the complete trials, at least 10 of them), else None: the rule of the "looks finished"
    sentence, which the advice on more trials reads too so that the two never disagree unsaid."""
    if facts.n_complete < MIN_TRIALS_TO_JUDGE:
        return None
    return facts.n_since_best if facts.n_since_best >= _patience(facts) else None


def _patience(facts):
    """How many trials without a better value read as settled."""
    return max(MIN_TRIALS_TO_JUDGE, math.ceil(PATIENCE_SHARE * facts.n_complete))


def _multi(n_complete, directions, names=None):
    goals = ""
    if names and len(names) == len(directions):
        goals = " (" + "; ".join(f"{name}: {'higher' if direction == 'maximize' else 'lower'} is better"
                                 for name, direction in zip(names, directions)) + ")"
    return Sentence("best", f"{n_complete} trials are complete. With {len(directions)} objectives{goals} there is no "
                    "single best: the Pareto front shows the trials no other trial beats on every objective.",
                    str(n_complete))


def front_sentence(numbers, values, directions, names):
    """What the best trade-offs of a study of several objectives span: for each objective, the
    best value on the Pareto front and the others' values at that trial.

    `numbers` and `values` are the complete trials' numbers and values (`read.complete_objectives`);
    `names` are `Study.objective_labels`. None when no trial is complete.
    """
    records = [TrialRecord(number=n, params={}, state="complete", values=tuple(v)) for n, v in zip(numbers, values)]
    front = pareto_front(records, directions)
    if not front:
        return None
    if len(front) == 1:
        only = front[0]
        at = ", ".join(f"{name} {number(v)}" for name, v in zip(names, only.values))
        return Sentence("front", f"Trial #{only.number} is at least as good as every other trial on every objective "
                        f"({at}): it is the one to use.", f"#{only.number}")
    ends = []
    for i, (name, direction) in enumerate(zip(names, directions)):
        pick = max if direction == "maximize" else min
        end = pick(front, key=lambda record: record.values[i])
        others = " and ".join(f"{other} is {number(end.values[j])}" for j, other in enumerate(names) if j != i)
        ends.append(f"the best {name} is {number(end.values[i])} (trial #{end.number}, where {others})")
    return Sentence("front", f"{len(front)} trials make up the Pareto front, the best trade-offs. Among them "
                    f"{'; '.join(ends)}: pick the trade-off that suits you.", str(len(front)))


def tally_parts(study):
    """The summary's parts `study_summary` asks the study's tally for (`read.recounted_tally`'s
    `parts_for`), or None when it reads them another way (more names than a tally keeps)."""
    names = range_names(study.search_space, importance_of(study).scores)
    if len(names) > tally.MAX_NAMES:
        return None
    return FIRST_TRIALS, TYPICAL_TRIALS, tuple(names), BEST_SHARE, MIN_BEST_TRIALS


def study_summary(study):
    """The summary sentences of a study, cached until its next change: first the result in words
    (`result_summary`) once its baseline is ready, then what the search found."""
    facts, ensemble = read.result_facts(study), read.ensemble_of(study)
    # The baseline and the ensemble arrive from workers without changing the study's revision.
    key = read.cache_key(study, "summary", study.revision, study.state, facts is not None, ensemble is not None)
    found = cache.get(key)
    if found is None:
        direction = study.directions[0] if len(study.directions) == 1 else None
        importance = importance_of(study)
        scores = importance.scores
        counted = read.summary_facts(study, direction, FIRST_TRIALS, BEST_SHARE, MIN_BEST_TRIALS, TYPICAL_TRIALS,
                                     names=range_names(study.search_space, scores))
        result = result_summary(study, facts, ensemble)
        found = result + sentences_of(direction, counted, study.search_space, scores, default_trial(study),
                                      study.directions, worded=bool(result), names=study.objective_names,
                                      before=earlier_best_trial(study), leads=importance.leads)
        if direction is None:
            front = front_sentence(*read.complete_objectives(study), study.directions, study.objective_labels)
            found[len(result) + 1:len(result) + 1] = [front] if front else []
        failed = _failed(*read.latest_errors(study, FAILURES_READ))
        if failed:  # before whether the search has settled, which is about what comes next
            found.insert(next((i for i, sentence in enumerate(found) if sentence.key == "settled"), len(found)), failed)
        cache.set(key, found, CACHE_S)
    return found


def result_summary(study, facts=None, ensemble=None):
    """What a built-in study's best model achieves, in plain words, against its baseline.

    Args:
        study: The study.
        facts: `read.result_facts(study)`, read here when not given.
        ensemble: `read.ensemble_of(study)`, read here when not given.

    Returns:
        `Sentence`s: which data and column the model predicts, then `objectives.describe_result`'s
        sentences (what it achieves, how much that moved between the tests, and whether it is
        clearly better than the guess), then the ensemble when one was evaluated. Empty until the
        baseline is ready and a trial is complete, and for studies without a built-in model.
    """
    facts = facts if facts is not None else read.result_facts(study)
    best = read.best_trial(study) if facts else None
    if best is None:
        return []
    objective = study.objective
    metric, roles = objective["metric"], facts["roles"]
    cv_std = (best.details or {}).get("cv_std")
    said = describe_result(metric, best.value, cv_std, facts["baseline"], facts["target"], roles.get("majority"),
                           positive=roles.get("positive"), n_folds=objective.get("cv"))
    figures = [format_number(best.value), f"± {format_number(cv_std)}" if cv_std is not None else "",
               f"vs {format_number(facts['baseline']['value'])}"]
    sentences = [Sentence("data", f"The model predicts the column '{facts['target']}' from the other columns of "
                          f"{facts['dataset_name']}.", metric_words(metric))]
    sentences += [Sentence(key, text, figure)
                  for key, text, figure in zip(("result", "spread", "verdict"), said, figures)]
    ensemble = ensemble if ensemble is not None else read.ensemble_of(study)
    return sentences + ([_ensemble_sentence(ensemble, metric)] if ensemble else [])


def _ensemble_sentence(ensemble, metric):
    words = metric_words(metric)
    averaging = f"Averaging the best {len(ensemble['members'])} models, one of each kind,"
    value, best = format_number(ensemble["value"]), format_number(ensemble["best_value"])
    if ensemble["beats"]:
        return Sentence("ensemble", f"{averaging} beats the best single model: {value} against {best} ({words}). "
                        "The average is offered as the result.", value)
    if _better(ensemble["value"], ensemble["best_value"], metric_direction(metric)):
        how = "better by less than the tests vary"
    else:
        how = "no better"
    return Sentence("ensemble", f"{averaging} scores {value} against {best} for the best single model ({words}): "
                    f"{how}, so the single model stays the result.", value)


def default_trial(study, rows=None):
    """(number, value) of a complete trial run at the estimator's default settings, or None.

    Reads the complete trials a chunk at a time until it finds one, unless given `rows`.
    """
    defaults = _default_params(study)
    if not defaults:
        return None
    for row in rows if rows is not None else read.complete_records(study):
        if row.state == "complete" and row.value is not None and _same(row.params, defaults):
            return row.number, row.value
    return None


def _default_params(study):
    objective = study.objective
    # Tuner choosing among kinds of model has no one set of default settings to compare with.
    if objective.get("kind") != "sklearn" or is_auto(objective.get("estimator")):
        return None
    task = objective.get("task") or BUNDLED_DATASETS.get(objective.get("dataset"), {}).get("task")
    try:
        accepted = estimator_class(objective.get("estimator"), task)().get_params()
    except (ObjectiveError, TypeError) as exc:  # an objective this version does not know: no default to compare with
        log.info("no default settings for study %s: %s", study.pk, exc)
        return None
    return {name: accepted[name] for name in study.search_space if name in accepted}


def _same(params, defaults):
    for name, default in defaults.items():
        value = params.get(name)
        if isinstance(default, float) or isinstance(value, float):
            if not isinstance(value, (int, float)) or not isinstance(default, (int, float)):
                return False
            if not math.isclose(value, default, rel_tol=1e-9):
                return False
        elif value != default:
            return False
    return bool(defaults)
