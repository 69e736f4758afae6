"""A study as one self-contained HTML file: plotly.js, styles, figures and notes all inline.

It opens from disk with no network, so it can be mailed or archived. It shows what the page
shows its visitor: a report downloaded through a share link names no people and no machines.

Its scripts are inline, so the site's policy ('self' only) would block them. The file carries its
own Content-Security-Policy in a <meta> element, which holds wherever it is opened: only our three
scripts run, named by their SHA-256 hashes, and it fetches nothing. The download answers with the
same policy as a header.
"""

import base64
import hashlib
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from studies.services import model_exports, read
from studies.services.summary import study_summary

from . import charts, context, explain, header, plots, results, states
from .names import choice_label, control_words, param_label

PLOTLY = "vendor/plotly-tuner-4.1.1.min.js"
TOP_TRIALS = 20
WIDE = {"parallel", "slices", "rank", "timeline", "pareto"}
# With several objectives the Pareto front and the hypervolume come first, as on the study page.
SEVERAL = ("pareto", "hypervolume")
CHARTS = ("importance", "edf", "parallel", "slices", "rank", "contour", "curves", "timeline")


@lru_cache(maxsize=8)
def _asset(path):
    found = finders.find(path)
    if found is None:
        raise FileNotFoundError(f"static file {path} is missing")
    with open(found, encoding="utf-8") as handle:
        text = handle.read()
    # Inlined in a <script> or <style> element, this sequence would end it early.
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


SCRIPTS = (PLOTLY, "js/charts.js", "js/report.js")


@lru_cache(maxsize=1)
def policy():
    """The report's Content-Security-Policy: our inline scripts by hash, inline styles, no fetching."""
    hashes = " ".join(f"'sha256-{_sha256(_asset(path))}'" for path in SCRIPTS)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
            "base-uri 'none'; form-action 'none'")


def _sha256(text):
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def build(visitor):
    """The report of the visitor's study (with `read.summarize` figures), as HTML text."""
    study = visitor.study
    direction = study.directions[0] if len(study.directions) == 1 else None
    space_names = list(study.search_space)
    contour = {"x": space_names[0], "y": space_names[1]} if len(space_names) > 1 else {}
    chosen = SEVERAL if direction is None else ()
    left_out = charts.left_out(study)
    history = charts.history_points(study)
    # The same figure builders (and cache), titles and captions as the study page's charts.
    shown = [(name, charts.chart(visitor, name, contour if name == "contour" else {}))
             for name in chosen + CHARTS if name not in left_out]
    words = charts.words(study)
    baseline = results.baseline_panel(study)
    explained = explain.explain_charts(study)["charts"] if model_exports.has_model(study) else []
    return render_to_string("dashboard/report.html", {
        "study": study, "header": _header(study), "summary": study_summary(study), "left_out": left_out,
        "baseline": baseline, "leaderboard": results.leaderboard_panel(study, baseline),
        "notes": context.notes(visitor), "public": True, "top": top_trials(visitor),
        "meanings": context.param_meanings(study),
        # The history is drawn by the same script as on the study page, from the same sample of
        # points, but for the trials a person excluded.
        "explain": explained,
        "report_data": {"figures": dict(shown)
                        | {chart["name"]: chart["figure"] for chart in explained}, "direction": direction,
                        "points": [point for point in history["points"] if not point.get("x")],
                        "history_note": plots.history_note(history["n_shown"], history["n_plotted"]),
                        "states": states.for_scripts(), "baseline": baseline["value"] if baseline else None,
                        "value_title": plots.value_title(study.directions, study.objective_labels)},
        "charts": [(name, words[name], name in WIDE) for name, _ in shown], "generated_at": timezone.now(),
        # Our own files, inlined so the report needs no network.
        "plotly_js": mark_safe(_asset(PLOTLY)), "charts_js": mark_safe(_asset("js/charts.js")),  # noqa: S308
        "report_js": mark_safe(_asset("js/report.js")), "policy": policy(),  # noqa: S308
        "css": mark_safe(_asset("css/tuner.css")),  # noqa: S308 — our own files
    })


def top_trials(visitor):
    """The report's table of the best trials: with one objective the best values (a trial that
    broke a constraint too, marked), with several the Pareto front; each row with its params,
    metrics and attrs in the study's columns, and its files when the visitor may see them.

    The report opens offline, so a file is listed (name, size, type), never shown."""
    study = visitor.study
    if len(study.directions) == 1:
        rows, n_front = read.ranked_rows(study, TOP_TRIALS), None
    else:
        front = charts.front_numbers(study)
        rows, n_front = read.rows_numbered(study, front[:TOP_TRIALS]), len(front)
        order = {number: i for i, number in enumerate(front)}
        rows.sort(key=lambda row: order[row.number])
    files = read.artifacts_by_trial([row.pk for row in rows]) if visitor.can("see_files") and rows else {}
    words = control_words(study)
    return {
        "rows": [_top_row(study, row, files.get(row.pk, []), words) for row in rows], "n_front": n_front,
        "params": [(name, param_label(words, name)) for name in study.search_space],
        "objectives": list(zip(study.objective_labels, study.directions)), "metric_names": study.metric_names, "attr_names": study.attr_names, "show_files": bool(files),
        "constrained": bool(rows) and read.n_constraints(study) is not None,
    }


def _top_row(study, row, files, words):
    broken = [(i, c) for i, c in enumerate(row.constraints or [], start=1) if c > 0]
    return {
        "number": row.number, "values": row.values if row.value is None else [row.value],
        "infeasible": row.infeasible, "broken": broken,
        "params": [(name in (row.params or {}), choice_label(words, name, (row.params or {}).get(name)))
                   for name in study.search_space],
        "metrics": [(row.metrics or {}).get(name) for name in study.metric_names],
        "attrs": [(name in (row.attrs or {}), (row.attrs or {}).get(name)) for name in study.attr_names],
        "files": files,
    }


def _header(study):
    figures = header.page_header(study)
    figures["best"] = header.best_figures(read.best_trial(study), study)
    return figures
