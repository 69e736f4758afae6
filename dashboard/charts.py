"""Each chart of the study page: the rows it needs, then the pure figure from `plots`.

Figures are cached per study revision, so any number of open pages polling the same study
cost one computation per change. The history chart's figure is not here: the page script
draws it from the live points it holds (static/js/charts.js), and so does the report; its
points as the page opens are a sample chosen here (`history_points`).
"""

import gzip
import hashlib
import json
import math
from array import array
from urllib.parse import quote

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

import numpy as np

from studies.engine import TrialRecord, hypervolume_history, pareto_front, pareto_ranks
from studies.models import Study
from studies.services import importance, read

from . import plots
from .names import chooses_model, control_words

MAX_CURVES = 200
# The history's dots as a page opens: the best half, then an even spread of the rest, and every
# trial that set a new best (so the best-so-far line is the whole study's). SVG draws a thousand
# dots in about 70 ms of the page's CPU, where 100,000 needed WebGL and five polls to arrive.
MAX_HISTORY_POINTS = 1000
LIVE_COLUMNS = ("number", "state", "value", "values", "excluded_at", "feasible")
_EXCLUDED, _INFEASIBLE = 1, 2  # a history point's marks, as bits
MAX_TIMELINE_BARS = 1000
# The map is drawn from at most this many trials (the best half, then an even spread): its grid
# has 24 x 24 cells, and reading every trial of a 100,000-trial study would take seconds.
MAX_CONTOUR_TRIALS = 4000
# Past this many parameters, parallel coordinates, slices and rank show the ones that matter
# most: a study that chooses among seven kinds of model has some 30, and 30 axes or panels are
# unreadable (their labels overlap, and a reader cannot find the few that count).
MAX_SHOWN_PARAMS = 10
CHARTS = ("parallel", "slices", "contour", "curves", "edf", "timeline", "pareto", "importance", "metric", "rank",
          "hypervolume")


_RANK = ("The {value} against each parameter, with each trial coloured by its rank: yellow dots are the best trials, "
         "dark ones the worst. Where the yellow dots gather shows the settings that work.")
# Each chart's title and the caption that says how to read it, for the study page and the report alike;
# {value} is what the value measures ("accuracy"), `Study.objective_labels`.
WORDS = {
    "pareto": ("Pareto front", "Each dot is a trial placed by its first two objectives. Red dots are the Pareto "
               "front: no other trial is better on both. Pick among them by the trade-off you prefer."),
    "hypervolume": ("Hypervolume", "How much ground the best trade-offs cover, after each trial: the size of the "
                    "region they beat, measured up to a fixed corner a little worse than the worst value seen in "
                    "each objective. A rising line means the search keeps finding better trade-offs; a flat line "
                    "means it has stopped improving them."),
    "importance": ("Parameter importance", "How much each parameter explains the changes in the {value}. Spend your "
                   "attention, and your search space, on the top ones."),
    "edf": ("Distribution of values", "The share of trials at or below each value, whichever way is better. A steep "
            "rise means most settings work about as well; a long tail towards the better end means a few settings "
            "are much better."),
    "parallel": ("Parallel coordinates", "Each line is a trial, crossing one axis per parameter and ending at its "
                 "{value}. Colour follows the {value}; the best 10% are selected on the {value} axis (grey lines are "
                 "the others). Drag a box across any axis to choose a range there; Shift-drag adds another, a double "
                 "click clears them."),
    "slices": ("Slices", "The {value} against each parameter on its own. A clear trend or a narrow band of good values "
               "shows where that parameter should be; darker dots are later trials."),
    "rank": ("Rank", _RANK),
    "contour": ("Contour", "The best {value} found in each region of two parameters; dots are trials. Look for the "
                "bright (best) area and whether it is a spot or a ridge."),
    "curves": ("Intermediate values", "Learning curves: the values each trial reported as it ran. Crosses mark "
               "where trials were stopped early."),
    "timeline": ("Timeline", "When each trial ran, on which worker, coloured by state. Gaps mean idle workers; long "
                 "bars are slow settings."),
}
_IMPORTANCE_SEVERAL = ("How much each parameter explains the changes in each objective, one bar per objective. A "
                       "parameter that matters to one and not the other is one to set by the trade-off you want.")
_RANK_SEVERAL = (_RANK + " With several objectives the rank is the Pareto rank: 1 for the best trade-offs, 2 for "
                 "the best once those are set aside, and so on; the value shown is the first objective.")


def words(study):
    """{chart name: {"title", "caption"}} for this study: the captions call the value what it measures
    ("accuracy"), and the rank and importance charts' depend on how many objectives it has."""
    value = _said_value(study)
    found = {name: {"title": title, "caption": caption.format(value=value)} for name, (title, caption) in WORDS.items()}
    if len(study.directions) > 1:
        found["rank"]["caption"] = _RANK_SEVERAL.format(value=value)
        found["importance"]["caption"] = _IMPORTANCE_SEVERAL
        for name in ("edf", "parallel", "slices", "contour"):
            found[name]["caption"] += f" With several objectives, the value here is the first one, {_value_name(study)}."
    return found


def _said_value(study):
    """What a caption calls the value: what it measures ("accuracy"); with several objectives
    "value", which the caption then says is the first one."""
    return study.objective_labels[0] if len(study.directions) == 1 else "value"


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
                       f"explain all of the changes in the {_said_value(study)}."),
    }


def shows_metric_chart(study, may_run=True):
    """Whether the study page has the value-against-a-metric chart: any study whose trials recorded
    metrics has them to show, and, for those who may run it, one run by the user's own code may
    still record some until it finishes (an empty card on a finished study could never fill; its
    "send metrics with report or tell" is for the code's author, not a reader)."""
    return bool(study.metric_names or (may_run and study.is_external and study.state not in Study.FINISHED_STATES))


def urls_on_open(study, may_run=True):
    """The JSON the study page's script fetches as it opens, as it writes them (relative to the
    page, so a share link's token is written nowhere), for the page to preload: the first live
    poll and each chart the page shows, the contour at its first two parameters and the metric
    chart at the first metric (none yet: the chart's JSON says so) where the page shows it
    (`shows_metric_chart`)."""
    left = left_out(study)
    several = ("pareto", "hypervolume")
    names = [name for name in ("pareto", "hypervolume", "importance", "edf", "parallel", "slices", "rank", "contour",
                               "curves", "timeline")
             if name not in left and (name not in several or len(study.directions) > 1)]
    params = list(study.search_space)
    urls = ["live.json?since=0"]
    for name in names:
        url = f"charts/{name}.json"
        if name == "contour" and params:
            # As the script's encodeURIComponent writes them, or the preload would go unused.
            x, y = (quote(p, safe="!~*'()") for p in (params[0], params[min(1, len(params) - 1)]))
            url += f"?x={x}&y={y}"
        urls.append(url)
    if shows_metric_chart(study, may_run):
        # Not preloaded, it waited for the script and then for a free connection: at 10,000
        # trials the last of the page's JSON to arrive, 0.3-0.5 s after the others.
        first = quote(study.metric_names[0], safe="!~*'()") if study.metric_names else ""
        urls.append(f"charts/metric.json?metric={first}")
    return urls


def point(row):
    """A finished trial as a point of the history chart, which the page script (and the report's)
    draws: number, state, value(s), and marks only where they apply."""
    found = {"n": row.number, "s": row.state, "v": row.value, "vs": row.values}
    if row.excluded:  # only then: a study of 100,000 trials sends 100,000 points on the first poll
        found["x"] = True
    if row.infeasible:  # the same: only the trials that broke a constraint carry the mark
        found["f"] = False
    return found


def live_points(study, since, limit):
    """The history's points a page lacks, and the cursor to ask from next.

    From cursor 0 (a page opening), the sample of `history_points` in one answer, with the
    `note` the chart shows under it when it is a sample (else None); from a later cursor, every
    trial changed since, `limit` at most (`has_more` says more wait).
    """
    if since == 0:
        found = history_points(study)
        return {"points": found["points"], "cursor": found["cursor"], "has_more": False,
                "note": plots.history_note(found["n_shown"], found["n_plotted"], live=True)}
    rows, cursor, has_more = read.changes(study, since, limit, LIVE_COLUMNS)
    return {"points": [point(row) for row in rows], "cursor": cursor, "has_more": has_more}


def history_points(study):
    """The history chart's points as a page opens, cached per revision: {"points", "n_shown" and
    "n_plotted" (how many of the points and of all trials have a value to plot), "cursor"}.

    Every trial while there are at most MAX_HISTORY_POINTS; past that, of the trials with a value
    to plot, the best half and an even spread of the rest by number, and every trial that set a
    new best (complete, counted, feasible), so the best-so-far line drawn from the sample is the
    one drawn from every trial.
    """
    key = read.cache_key(study, "history", study.revision)
    found = cache.get(key)
    if found is None:
        found = _history_points(study)
        cache.set(key, found, timeout=600)
    return found


def _history_points(study):
    cursor = study.revision
    # A page asking again from this cursor gets every change after it: a trial read here that
    # changed after `cursor` comes again, and the page keeps the later copy.
    one = len(study.directions) == 1
    # A few bytes per trial in typed columns: a 100,000-trial study's rows weighed 25 MB, and a
    # Python list per column (an object per number) still raised the web process's peak 50 MB.
    numbers, states, ys, marks = array("q"), array("b"), array("d"), array("b")
    names, many_of = {}, {}  # state -> its code; index -> values (several objectives)
    for i, (number, state, value, many, excluded_at, feasible) in enumerate(read.every_trial(study, LIVE_COLUMNS)):
        y = value if one else (many[0] if many else None)
        numbers.append(number)
        states.append(names.setdefault(state, len(names)))
        ys.append(math.nan if y is None else y)
        marks.append((_EXCLUDED if excluded_at is not None else 0) | (_INFEASIBLE if feasible is False else 0))
        if not one and many is not None:
            many_of[i] = many
    state_names = list(names)
    ys, marks = np.asarray(ys, dtype=float), np.asarray(marks, dtype=np.int8)
    if len(numbers) <= MAX_HISTORY_POINTS:
        chosen = range(len(numbers))
    else:
        counted = (np.asarray(states, dtype=np.int8) == names.get("complete", -1)) & (marks == 0)
        chosen = _history_sample(ys, counted if one else None, _direction(study))
    points = [point(read.TrialRow(numbers[i], state_names[states[i]],
                                  None if np.isnan(ys[i]) or not one else float(ys[i]), many_of.get(i),
                                  excluded_at=True if marks[i] & _EXCLUDED else None,
                                  feasible=False if marks[i] & _INFEASIBLE else None)) for i in chosen]
    n_shown = int(np.isfinite(ys[list(chosen)]).sum()) if len(numbers) else 0
    return {"points": points, "n_shown": n_shown, "n_plotted": int(np.isfinite(ys).sum()), "cursor": cursor}


def _history_sample(ys, counted, direction):
    """Indices, in number order, of the sampled trials (see `history_points`); `counted` marks
    those the best-so-far line counts (None with several objectives: no line)."""
    plotted = np.flatnonzero(np.isfinite(ys))
    loss = ys[plotted] if direction == "minimize" else -ys[plotted]
    sampled = plotted[plots.sample_indices(loss, MAX_HISTORY_POINTS)].tolist()
    records = []
    if counted is not None:  # the trials where the best-so-far line steps
        line = np.flatnonzero(counted & np.isfinite(ys))
        so_far = (np.maximum if direction == "maximize" else np.minimum).accumulate(ys[line])
        steps = np.flatnonzero(np.r_[True, so_far[1:] != so_far[:-1]]) if len(line) else []
        records = line[steps].tolist()
    return sorted({*sampled, *records})


def front_numbers(study):
    """The numbers of the trials on the Pareto front (the red dots of the Pareto chart), best
    first by the first objective; empty for one objective."""
    if len(study.directions) < 2:
        return []
    numbers, values = read.complete_objectives(study)
    records = [TrialRecord(number=n, params={}, state="complete", values=tuple(v)) for n, v in zip(numbers, values)]
    front = pareto_front(records, study.directions)
    return [r.number for r in sorted(front, key=lambda r: (plots.loss(r.values[0], study.directions[0]), r.number))]


def chart(visitor, name, args):
    """The figure for chart `name` of the visitor's study; `args` holds the contour's x and y and
    the metric chart's metric."""
    return json.loads(gzip.decompress(chart_gzipped(visitor, name, args)))


def chart_gzipped(visitor, name, args):
    """The figure of `chart`, as gzipped JSON (what JsonResponse would write), built, encoded and
    compressed once per revision: every page opening asks for each chart, and writing and
    compressing the JSON again for each was more than half of the server's work for them (about
    40 of 75 ms of CPU for the nine charts at 10,000 trials; bench/README.md, issue 15, ninth round)."""
    study = visitor.study
    people = visitor.can("see_people")
    # The picks are user text (a metric's name is any text): hashed, the key stays short and plain.
    picked = json.dumps([args.get("x"), args.get("y"), args.get("metric")])
    key = read.cache_key(study, "chart.json.gz", study.revision, name, hashlib.sha256(picked.encode()).hexdigest()[:32],
                         people)
    found = cache.get(key)
    if found is None:
        figure = _BUILDERS[name](study, args, people)
        found = gzip.compress(json.dumps(figure, cls=DjangoJSONEncoder).encode(), compresslevel=6, mtime=0)
        cache.set(key, found, timeout=600)
    return found


def _direction(study):
    return study.directions[0] if study.directions else "minimize"


def _value_name(study):
    """What the charts of one value per trial call it: what it measures ("accuracy", or "value" when
    unnamed), or a study of several objectives' first one, which they plot."""
    return study.objective_labels[0]


def shown_space(study):
    """The search space as the per-parameter charts show it, and a sentence saying what they
    leave out (None when they show every parameter): past `MAX_SHOWN_PARAMS`, the parameters
    that matter most by the importance chart's ranking, in the space's order; before importance
    can be told, the first ones."""
    space = study.search_space
    if len(space) <= MAX_SHOWN_PARAMS:
        return space, None
    scores = importance.importance_of(study).scores
    if scores:
        kept = set(sorted(space, key=lambda name: -scores.get(name, 0.0))[:MAX_SHOWN_PARAMS])
        note = (f"Showing the {MAX_SHOWN_PARAMS} parameters that matter most, of {len(space)}, "
                "by the parameter importance chart.")
    else:
        kept = set(list(space)[:MAX_SHOWN_PARAMS])
        note = (f"Showing the first {MAX_SHOWN_PARAMS} parameters of {len(space)}; once enough trials are "
                "complete to tell which matter most, those are shown.")
    return {name: spec for name, spec in space.items() if name in kept}, note


def _with_note(found, note):
    if note and not found["empty"]:
        found["note"] = f"{note} {found['note']}" if found["note"] else note
    return found


def _parallel(study, args, people):
    rows, n_total = read.sample_complete_rows(study, plots.MAX_LINES)
    space, note = shown_space(study)
    return _with_note(plots.parallel(space, rows, _direction(study), n_total, _value_name(study),
                                     control_words(study)), note)


def _slices(study, args, people):
    rows, n_total = read.sample_complete_rows(study, plots.MAX_SLICE_POINTS)
    space, note = shown_space(study)
    return _with_note(plots.slices(space, rows, _direction(study), n_total, _value_name(study),
                                   control_words(study)), note)


def _contour(study, args, people):
    rows, n_total = read.sample_complete_rows(study, MAX_CONTOUR_TRIALS)
    return plots.contour(study.search_space, rows, args.get("x"), args.get("y"), _direction(study), n_total,
                         _value_name(study), control_words(study))


def _curves(study, args, people):
    trials = read.curve_rows(study, MAX_CURVES)
    reports = read.reports_of([row.pk for row in trials])
    n_total = read.n_trials_with_reports(study) if len(trials) >= MAX_CURVES else len(trials)
    return plots.curves(trials, reports, n_total)


def _edf(study, args, people):
    return plots.edf(read.complete_values(study), _value_name(study))


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
    return plots.pareto(rows, study.directions, front, study.objective_labels)


def _rank(study, args, people):
    directions = study.directions or ["minimize"]
    rows, n_total = read.sample_complete_rows(study, plots.MAX_SLICE_POINTS)
    space, note = shown_space(study)
    if len(directions) == 1:
        # A dot's rank is its place among all complete trials, not only the ones drawn.
        ranks = _value_ranks(rows, read.complete_values(study), directions[0])
        return _with_note(plots.rank(space, rows, ranks, directions, n_total, study.objective_labels,
                                     control_words(study)), note)
    rows = [row for row in rows if _has_every_value(row, len(directions))]
    # Non-dominated sorting needs memory in the square of the count: rank only the dots shown.
    ranks = list(pareto_ranks([row.values for row in rows], directions))
    return _with_note(plots.rank(space, rows, ranks, directions, n_total, study.objective_labels,
                                 control_words(study)), note)


def _value_ranks(rows, every_value, direction):
    """1 + how many complete trials are strictly better, for each row."""
    losses = np.sort([plots.loss(value, direction) for value in every_value])
    return [int(np.searchsorted(losses, plots.loss(row.objective, direction), side="left")) + 1 for row in rows]


def _has_every_value(row, n_objectives):
    return bool(row.values) and len(row.values) == n_objectives and all(v is not None for v in row.values)


def _hypervolume(study, args, people):
    if len(study.directions) < 2:
        return plots.nothing("The hypervolume applies to studies with several objectives.")
    numbers, values = read.complete_objectives(study)
    history = hypervolume_history(values, study.directions)
    return plots.hypervolume(numbers, history, study.directions, study.objective_labels)


def _importance(study, args, people):
    words = control_words(study)
    several = importance.objective_importances(study)
    if several:
        shown = [(label, found.scores) for label, found in several if found.scores is not None]
        return plots.importance_by_objective(shown, words) if shown else plots.nothing(several[0][1].reason)
    found = importance.importance_of(study)
    if found.scores is None:
        return plots.nothing(found.reason)
    return plots.importance_bars(found.scores, words, _kinds_leads(study, found), _value_name(study))


def _kinds_leads(study, found):
    """Of a study where Tuner chooses the kind of model, its kinds' leading settings
    (`importance.kinds_leads`), most important first."""
    if not chooses_model(study):
        return []
    return sorted(set(importance.kinds_leads(found).values()), key=lambda name: -found.scores[name])


def _metric(study, args, people):
    name = args.get("metric")
    if not study.metric_names:
        return plots.nothing("No trial has recorded a metric yet: send metrics with report or tell, "
                             "and this chart plots the value against the one you choose.")
    if name not in study.metric_names:
        return plots.nothing("Choose a metric to plot the value against.")
    rows = [row for row in read.metric_rows(study, name) if row.objective is not None]
    return plots.against_metric(rows, name, _direction(study), _value_name(study))


_BUILDERS = {
    "parallel": _parallel, "slices": _slices, "contour": _contour, "curves": _curves, "edf": _edf,
    "timeline": _timeline, "pareto": _pareto, "importance": _importance, "metric": _metric,
    "rank": _rank, "hypervolume": _hypervolume,
}
