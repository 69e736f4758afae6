"""The queries behind the summary, the report and the compare page; cached per study revision."""

import logging
import math

from django.core.cache import cache

from studies import selectors
from studies.engine import SearchSpace, TrialRecord
from studies.engine import importance as engine_importance
from studies.models import Trial

from . import summary

log = logging.getLogger(__name__)
IMPORTANCE_TRIALS = 1000
MIN_IMPORTANCE_TRIALS = 5
CACHE_S = 600


def finished_rows(study):
    """`summary.Row`s of the study's complete and pruned trials (a few columns each)."""
    rows = (Trial.objects.filter(study=study, state__in=[Trial.State.COMPLETE, Trial.State.PRUNED])
            .order_by("number").values_list("number", "state", "value", "params", "started_at", "finished_at"))
    return [summary.Row(number, state, value, params or {}, _seconds(started, finished))
            for number, state, value, params, started, finished in rows]


def _seconds(started, finished):
    return (finished - started).total_seconds() if started and finished else None


def importance_of(study, rows):
    """Parameter -> share from the engine, or None when it cannot say yet."""
    if len(study.directions) != 1 or len(study.search_space) < 2:
        return None
    complete = [row for row in rows if row.state == "complete" and row.value is not None][-IMPORTANCE_TRIALS:]
    if len(complete) < MIN_IMPORTANCE_TRIALS:
        return None
    # Recomputed when the complete trials grow by a tenth, not on every trial: the forest fit
    # costs a few hundred milliseconds and the ranking barely moves between nearby counts.
    bucket = int(math.log(len(complete)) / math.log(1.1))
    key = f"sharing:importance:{study.pk}:{bucket}:{len(complete) >= IMPORTANCE_TRIALS}"
    found = cache.get(key)
    if found is None:
        records = tuple(TrialRecord(number=row.number, params=row.params, state="complete", value=row.value)
                        for row in complete)
        try:
            found = engine_importance(SearchSpace.from_json(study.search_space), records, study.directions[0])
        except (ValueError, TypeError) as exc:
            log.info("importance of study %s not computed: %s", study.pk, exc)
            return None
        cache.set(key, found, CACHE_S)
    return found


def default_trial(study, rows):
    """(number, value) of a complete trial run at the estimator's default settings, or None."""
    defaults = _default_params(study)
    if not defaults:
        return None
    for row in rows:
        if row.state == "complete" and row.value is not None and _same(row.params, defaults):
            return row.number, row.value
    return None


def _default_params(study):
    from studies.objectives.datasets import BUNDLED_DATASETS
    from studies.objectives import ObjectiveError
    from studies.objectives.estimators import estimator_class

    objective = study.objective
    if objective.get("kind") != "sklearn":
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


def study_summary(study):
    """The summary sentences of a study, cached until its next change."""
    key = f"sharing:summary:{study.pk}:{study.revision}:{study.state}"
    found = cache.get(key)
    if found is None:
        rows = finished_rows(study)
        direction = study.directions[0] if len(study.directions) == 1 else None
        found = summary.summarise(direction, rows, study.search_space, importance_of(study, rows),
                                  default_trial(study, rows), study.directions)
        cache.set(key, found, CACHE_S)
    return found


def history_rows(study):
    """(number, state, value) of every finished trial, in number order (first objective if several)."""
    rows = (Trial.objects.filter(study=study, state__in=Trial.FINISHED_STATES).order_by("number")
            .values_list("number", "state", "value", "values"))
    return [(n, s, v if v is not None or not vs else vs[0]) for n, s, v, vs in rows]


def best_of(study):
    return selectors.best_trial(study)
