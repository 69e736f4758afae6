"""How much each parameter explains the value: the engine's analysis, computed once per study
state and shared by the importance chart, the summary and the report."""

import logging
import math
from dataclasses import replace
from typing import NamedTuple

from django.core.cache import cache

from studies.engine import importance_report
from studies.objectives.automl import FAMILY_PARAM, SEPARATOR

from . import read

log = logging.getLogger(__name__)
# The forest is fitted on the latest trials only; reading more would be wasted.
MAX_TRIALS = 1000
# With fewer trials the engine answers equal shares, which would read as a finding.
MIN_TRIALS = 5
# The key names the trials the forest reads (their count's bucket and the exclusions), so an entry
# never goes stale; it is kept a day so that a study nobody changed does not refit on its next view.
CACHE_S = 24 * 3600
# In the key, so that figures cached or kept by an earlier way of computing them are not read as
# this one's: 2 weighs the settings of one kind of model by the share of the space they are active in.
METHOD = 2


class Importance(NamedTuple):
    """Parameter -> share of the variation in the value, or None with the reason in words; and
    `leads`, (parent, choice) -> the parameter that explains most among those that exist only
    under that choice (of a study where Tuner chooses the model, ("estimator", "svm") -> the
    setting of support vector machines that matters most), where the trials tell it
    (`engine.importance_report`)."""

    scores: dict | None
    reason: str | None = None
    leads: dict | None = None


def has_several_settings(kind, names):
    """Whether a kind of model (a choice of ``estimator``) has more than one setting among `names`
    (a study's parameters): only then can one of them lead it. The only setting of a kind leads
    it whatever the trials say, and "of its settings, C mattered most" would tell nothing."""
    return sum(name.startswith(f"{kind}{SEPARATOR}") for name in names) > 1


def kinds_leads(found):
    """{kind of model: its setting that mattered most}, for the kinds of an `Importance` whose
    forest's trees agree on one (`leads`) and that have several settings to tell apart."""
    return {kind: name for (parent, kind), name in (found.leads or {}).items()
            if parent == FAMILY_PARAM and has_several_settings(kind, found.scores)}


def importance_of(study):
    """The importance of the study's parameters, or why it cannot be told yet.

    Recomputed when the number of complete trials grows by a tenth, not on every trial: the
    forest fit costs a few hundred milliseconds and the ranking barely moves between nearby
    counts.
    """
    if len(study.directions) != 1:
        return Importance(None, "Parameter importance is shown for single-objective studies.")
    found = _cached(study, "importance", lambda: _compute(study))
    return found if isinstance(found, Importance) else Importance(*found)


def objective_importances(study):
    """For a study of several objectives, each objective's label (`Study.objective_labels`) with the
    importance of the parameters to it, cached as `importance_of`; [] for a study of one."""
    if len(study.directions) < 2:
        return []
    found = _cached(study, "importance-objectives", lambda: [_compute(study, i) for i in range(len(study.directions))])
    if isinstance(found, Importance):
        return [(label, found) for label in study.objective_labels]
    return [(label, Importance(*one)) for label, one in zip(study.objective_labels, found)]


def _cached(study, kind, compute):
    """What `compute()` gives, cached under `kind` until the count of complete trials grows by a
    tenth; or an Importance saying why it cannot be told yet."""
    if len(study.search_space) < 2:
        return Importance(None, "With one parameter there is nothing to rank: it explains all the variation.")
    n_complete, exclusions = read.counted_complete(study)
    if n_complete < MIN_TRIALS:
        return Importance(None, f"Importance needs at least {MIN_TRIALS} complete trials; this study has {n_complete}.")
    key = _key(study, kind, n_complete, exclusions)
    found = cache.get(key)
    if found is None:
        # The cache lost it: a worker may have kept it for these trials (`figures.py`).
        found = read.kept_importance(study, kind, key)
        found = _from_json(kind, found) if found is not None else compute()
        cache.set(key, found, CACHE_S)
    return found


def _key(study, kind, n_complete, exclusions):
    bucket = int(math.log(n_complete) / math.log(1.1))
    # Excluding or including a trial changes which trials the forest reads, whatever the count.
    return read.cache_key(study, kind, METHOD, bucket, n_complete >= MAX_TRIALS, *exclusions)


def kind_of(study):
    """Which importance the study's charts and summary read: "importance" for one objective,
    "importance-objectives" for several."""
    return "importance" if len(study.directions) == 1 else "importance-objectives"


def to_keep(study):
    """(kind, cache key, JSON-ready figures) of the study's importance as `importance_of` or
    `objective_importances` reads it now (computed unless cached or kept), for a worker to keep
    (`figures.py`); None when there is nothing fitted to keep (too few trials or parameters)."""
    if len(study.search_space) < 2:
        return None
    n_complete, exclusions = read.counted_complete(study)
    if n_complete < MIN_TRIALS:
        return None
    kind = kind_of(study)
    if kind == "importance":
        figures = _to_json(importance_of(study))
    else:
        figures = [_to_json(one) for _, one in objective_importances(study)]
    return kind, _key(study, kind, n_complete, exclusions), figures


def _to_json(found):
    # Shares as [name, share] pairs: their order is the forest's, which a JSON object in
    # PostgreSQL's jsonb would not keep; leads as [parent, choice, name], JSON having no tuple keys.
    scores, reason, leads = Importance(*found)
    return [None if scores is None else [[name, share] for name, share in scores.items()], reason,
            [[parent, choice, name] for (parent, choice), name in (leads or {}).items()]]


def _from_json(kind, kept):
    """What `_compute` returned for `kind`, from what `to_keep` gave."""
    if kind == "importance":
        return _one_from_json(kept)
    return [_one_from_json(one) for one in kept]


def _one_from_json(kept):
    scores, reason, leads = kept
    return ((None if scores is None else {name: share for name, share in scores}), reason,
            {(parent, choice): name for parent, choice, name in leads})


def _compute(study, objective=None):
    """The forest's scores for the value, or with `objective` for that objective of several."""
    rows = read.recent_complete_rows(study, MAX_TRIALS)
    if objective is None:
        records = tuple(row.record() for row in rows if row.value is not None)
    else:
        # The engine reads a record's value: each objective in turn takes its place.
        records = tuple(replace(row.record(), value=row.values[objective], values=None) for row in rows
                        if row.values and len(row.values) > objective and row.values[objective] is not None)
    try:
        report = importance_report(read.search_space_of(study), records, study.directions[objective or 0])
    except (ValueError, TypeError) as exc:
        log.info("importance of study %s not computed: %s", study.pk, exc)
        return None, f"Importance could not be computed yet: {exc}", {}
    return dict(report.shares), None, dict(report.leads)
