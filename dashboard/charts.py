"""Each chart of the study page: the rows it needs, then the pure figure from `plots`.

Figures are cached per study revision, so any number of open pages polling the same study
cost one computation per change. The history chart is not here: the page script draws it
from the live points it already holds (static/js/charts.js), and so does the report.
"""

import hashlib
import json

from django.core.cache import cache
from django.utils import timezone

import numpy as np
from scipy.stats import rankdata

from studies.engine import hypervolume_history, pareto_front, pareto_ranks
from studies.services import importance, read

from . import plots

MAX_CURVES = 200
MAX_TIMELINE_BARS = 1000
CHARTS = ("parallel", "slices", "contour", "curves", "edf", "timeline", "pareto", "importance", "metric", "rank",
          "hypervolume")


def left_out(study):
    """The charts that cannot say anything for this study's search space, each with a one-line reason.

    A contour plots two parameters against each other (a choice gets a band of its own, so
    two choices still make a map); importance shares the changes in the value among the
    parameters, so with one it is always 100%. A study with one parameter has neither.
    """
    if len(study.search_space) != 1:
        return {}
    return {
        "contour": "The contour map is left out: it plots two parameters against each other, and this study has one.",
        "importance": ("Parameter importance is left out: this study has one parameter, so it would always "
                       "explain all of the changes in the value."),
    }


def chart(visitor, name, args):
    """The figure for chart `name` of the visitor's study; `args` holds the contour's x and y and
    the metric chart's metric."""
    study = visitor.study
    people = visitor.can("see_people")
    # The picks are user text (a metric's name is any text): hashed, the key stays short and plain.
    picked = json.dumps([args.get("x"), args.get("y"), args.get("metric")])
    key = read.cache_key(study, "chart", study.revision, name, hashlib.sha256(picked.encode()).hexdigest()[:32], people)
    found = cache.get(key)
    if found is None:
        found = _BUILDERS[name](study, args, people)
        cache.set(key, found, timeout=600)
    return found


def _direction(study):
    return study.directions[0] if study.directions else "minimize"


def _plotted(study):
    """Complete trials with a value to plot; a multi-objective trial is plotted by its first objective."""
    return [row for row in read.complete_rows(study) if row.objective is not None]


def _parallel(study, args, people):
    return plots.parallel(study.search_space, _plotted(study), _direction(study))


def _slices(study, args, people):
    return plots.slices(study.search_space, _plotted(study), _direction(study))


def _contour(study, args, people):
    return plots.contour(study.search_space, _plotted(study), args.get("x"), args.get("y"), _direction(study))


def _curves(study, args, people):
    trials = read.curve_rows(study, MAX_CURVES)
    reports = read.reports_of([row.pk for row in trials])
    n_total = read.n_trials_with_reports(study) if len(trials) >= MAX_CURVES else len(trials)
    return plots.curves(trials, reports, n_total)


def _edf(study, args, people):
    return plots.edf([row.objective for row in _plotted(study)])


def _timeline(study, args, people):
    rows = read.timeline_rows(study, MAX_TIMELINE_BARS)
    n_total = read.n_started(study) if len(rows) >= MAX_TIMELINE_BARS else len(rows)
    return plots.timeline(rows, n_total, timezone.now(), show_hosts=people)


def _pareto(study, args, people):
    rows = read.complete_rows(study)
    multi = [row for row in rows if row.values and len(row.values) == len(study.directions)]
    front = set()
    if len(study.directions) > 1:
        front = {record.number for record in pareto_front([row.record() for row in multi], study.directions)}
    return plots.pareto(rows, study.directions, front)


def _rank(study, args, people):
    directions = study.directions or ["minimize"]
    if len(directions) == 1:
        rows = _plotted(study)
        # Ranked over every trial, then sampled: a dot's rank is its place in the whole study.
        ranks = dict(zip((row.number for row in rows), _value_ranks(rows, directions[0])))
        shown, _ = plots.sample(rows, plots.MAX_POINTS, lambda row: plots.loss(row.objective, directions[0]))
        return plots.rank(study.search_space, shown, [ranks[row.number] for row in shown], directions, len(rows))
    rows = _all_values(study)
    # Non-dominated sorting needs memory in the square of the count: rank only the dots shown.
    shown, _ = plots.sample(rows, plots.MAX_POINTS, lambda row: plots.loss(row.values[0], directions[0]))
    ranks = list(pareto_ranks([row.values for row in shown], directions))
    return plots.rank(study.search_space, shown, ranks, directions, len(rows))


def _value_ranks(rows, direction):
    losses = np.array([plots.loss(row.objective, direction) for row in rows], dtype=float)
    return rankdata(losses, method="min").astype(int).tolist() if len(rows) else []


def _all_values(study):
    """Complete trials with every objective's value, in number order."""
    n = len(study.directions)
    return [row for row in read.complete_rows(study)
            if row.values and len(row.values) == n and all(v is not None for v in row.values)]


def _hypervolume(study, args, people):
    if len(study.directions) < 2:
        return plots.nothing("The hypervolume applies to studies with several objectives.")
    rows = _all_values(study)
    history = hypervolume_history([row.values for row in rows], study.directions)
    return plots.hypervolume([row.number for row in rows], history, study.directions)


def _importance(study, args, people):
    found = importance.importance_of(study)
    return plots.importance_bars(found.scores) if found.scores is not None else plots.nothing(found.reason)


def _metric(study, args, people):
    name = args.get("metric")
    if not study.metric_names:
        return plots.nothing("No trial has recorded a metric yet: send metrics with report or tell, "
                             "and this chart plots the value against the one you choose.")
    if name not in study.metric_names:
        return plots.nothing("Choose a metric to plot the value against.")
    rows = [row for row in read.metric_rows(study, name) if row.objective is not None]
    return plots.against_metric(rows, name, _direction(study))


_BUILDERS = {
    "parallel": _parallel, "slices": _slices, "contour": _contour, "curves": _curves, "edf": _edf,
    "timeline": _timeline, "pareto": _pareto, "importance": _importance, "metric": _metric,
    "rank": _rank, "hypervolume": _hypervolume,
}
