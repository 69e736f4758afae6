"""Each chart of the study page: the query it needs, then the pure figure from `plots`.

Figures are cached per study revision, so any number of open pages polling the same
study cost one computation per change.
"""

import importlib
import logging

from django.core.cache import cache
from django.utils import timezone

from studies.engine import TrialRecord, pareto_front

from . import plots, queries

log = logging.getLogger(__name__)
MAX_CURVES = 200
MAX_TIMELINE_BARS = 1000
IMPORTANCE_TRIALS = 1000
MIN_IMPORTANCE_TRIALS = 5
CHARTS = ("parallel", "slices", "contour", "curves", "edf", "timeline", "pareto", "importance")


def chart(study, name, args):
    """The figure for chart `name` of a study; `args` holds the contour's x and y."""
    key = f"dashboard:{study.pk}:{study.revision}:{name}:{args.get('x', '')}:{args.get('y', '')}"
    if name == "importance":
        key = f"dashboard:{study.pk}:importance:{queries.complete_count(study)}"
    found = cache.get(key)
    if found is None:
        found = _BUILDERS[name](study, args)
        cache.set(key, found, timeout=600)
    return found


def _direction(study):
    return study.directions[0] if study.directions else "minimize"


def _single(rows):
    """Rows with a value to plot; a multi-objective trial is plotted by its first objective."""
    shown = []
    for number, params, value, values in rows:
        if value is None and values:
            value = values[0]
        if value is not None:
            shown.append((number, params, value, values))
    return shown


def _parallel(study, args):
    return plots.parallel(study.search_space, _single(queries.complete_rows(study)), _direction(study))


def _slices(study, args):
    return plots.slices(study.search_space, _single(queries.complete_rows(study)), _direction(study))


def _contour(study, args):
    rows = _single(queries.complete_rows(study))
    return plots.contour(study.search_space, rows, args.get("x"), args.get("y"), _direction(study))


def _curves(study, args):
    trials = queries.curve_trials(study, _direction(study), MAX_CURVES)
    reports = queries.reports_of([row[0] for row in trials])
    n_total = queries.n_trials_with_reports(study) if len(trials) >= MAX_CURVES else len(trials)
    return plots.curves(trials, reports, n_total)


def _edf(study, args):
    return plots.edf([row[2] for row in _single(queries.complete_rows(study))])


def _timeline(study, args):
    rows = queries.timeline_rows(study, MAX_TIMELINE_BARS)
    n_total = queries.n_started(study) if len(rows) >= MAX_TIMELINE_BARS else len(rows)
    return plots.timeline(rows, n_total, timezone.now())


def _pareto(study, args):
    rows = queries.complete_rows(study)
    records = [TrialRecord(number=n, params=p, state="complete", value=None, values=tuple(v))
               for n, p, _, v in rows if v and len(v) == len(study.directions)]
    front = {record.number for record in pareto_front(records, study.directions)} if len(study.directions) > 1 else set()
    return plots.pareto(rows, study.directions, front)


def _importance(study, args):
    compute = importance_function()
    if compute is None:
        return plots.nothing("Parameter importance is not available yet: the engine does not provide it in this version.")
    if len(study.directions) != 1:
        return plots.nothing("Parameter importance is shown for single-objective studies.")
    # The engine fits its forest on the latest trials only; reading more would be wasted.
    rows = queries.recent_complete_rows(study, IMPORTANCE_TRIALS)
    records = tuple(TrialRecord(number=n, params=p, state="complete", value=v, values=tuple(vs) if vs else None)
                    for n, p, v, vs in rows)
    if len(records) < MIN_IMPORTANCE_TRIALS:
        # With fewer trials the engine answers equal shares, which would read as a finding.
        return plots.nothing(f"Importance needs at least {MIN_IMPORTANCE_TRIALS} complete trials; "
                             f"this study has {len(records)}.")
    try:
        scores = compute(study.search_space, records, study.directions[0])
    except (ValueError, TypeError) as exc:
        log.info("importance of study %s not computed: %s", study.pk, exc)
        return plots.nothing(f"Importance could not be computed yet: {exc}")
    return plots.importance_bars(dict(scores or {}))


def importance_function():
    """The engine's importance function, or None while the engine has none.

    The engine computes it (issue 3); the dashboard only draws it. It may be a function
    `studies.engine.importance` or a module of that name exporting `importance`.
    """
    engine = importlib.import_module("studies.engine")
    found = getattr(engine, "importance", None)
    if found is None:
        try:
            found = importlib.import_module("studies.engine.importance")
        except ImportError:
            return None
    if callable(found):
        return _adapted(found)
    inner = getattr(found, "importance", None) or getattr(found, "param_importance", None)
    return _adapted(inner) if callable(inner) else None


def _adapted(function):
    def compute(space_json, records, direction):
        from studies.engine import SearchSpace

        return function(SearchSpace.from_json(space_json), records, direction)

    return compute


_BUILDERS = {
    "parallel": _parallel, "slices": _slices, "contour": _contour, "curves": _curves, "edf": _edf,
    "timeline": _timeline, "pareto": _pareto, "importance": _importance,
}
