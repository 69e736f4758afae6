"""A study as one self-contained HTML file: plotly.js, styles, figures and notes all inline.

It opens from disk with no network, so it can be mailed or archived. It shows what the page
shows its visitor: a report downloaded through a share link names no people and no machines.
"""

from functools import lru_cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from studies.services import model_exports, read
from studies.services.summary import study_summary

from . import charts, context, explain, header, states

PLOTLY = "vendor/plotly-4.1.1.min.js"
TOP_TRIALS = 20
WIDE = {"parallel", "slices", "timeline", "pareto"}
CHARTS = (("importance", "Parameter importance"), ("edf", "Distribution of values"),
          ("parallel", "Parallel coordinates"), ("slices", "Slices"), ("contour", "Contour"),
          ("curves", "Intermediate values"), ("timeline", "Timeline"))


@lru_cache(maxsize=8)
def _asset(path):
    found = finders.find(path)
    if found is None:
        raise FileNotFoundError(f"static file {path} is missing")
    with open(found, encoding="utf-8") as handle:
        text = handle.read()
    # Inlined in a <script> or <style> element, this sequence would end it early.
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


def build(visitor):
    """The report of the visitor's study (read with `read.with_summary`), as HTML text."""
    study = visitor.study
    direction = study.directions[0] if len(study.directions) == 1 else None
    space_names = list(study.search_space)
    contour = {"x": space_names[0], "y": space_names[1]} if len(space_names) > 1 else {}
    chosen = (("pareto", "Pareto front"),) if direction is None else ()
    shown = [(name, title, charts.chart(visitor, name, contour if name == "contour" else {}))
             for name, title in chosen + CHARTS]
    top = read.best_rows(study, TOP_TRIALS)
    explained = explain.explain_charts(study)["charts"] if model_exports.has_model(study) else []
    return render_to_string("dashboard/report.html", {
        "study": study, "header": _header(study), "summary": study_summary(study),
        "notes": context.notes(visitor), "public": True, "top": top,
        # The history is drawn by the same script as on the study page, from the same points.
        "explain": explained,
        "report_data": {"figures": {name: figure for name, _, figure in shown}
                        | {chart["name"]: chart["figure"] for chart in explained}, "direction": direction,
                        "points": [{"n": row.number, "s": row.state, "v": row.value, "vs": row.values}
                                   for row in read.finished_rows(study, read.FINISHED_STATES)],
                        "states": states.for_scripts()},
        "charts": [(name, title, name in WIDE) for name, title, _ in shown], "generated_at": timezone.now(),
        # Our own files, inlined so the report needs no network.
        "plotly_js": mark_safe(_asset(PLOTLY)), "charts_js": mark_safe(_asset("js/charts.js")),  # noqa: S308
        "report_js": mark_safe(_asset("js/report.js")),  # noqa: S308
        "css": mark_safe(_asset("css/tuner.css")),  # noqa: S308 — our own files
    })


def _header(study):
    figures = header.header(study)
    best = read.best_trial(study)
    figures["best"] = {"number": best.number, "params": best.params, "value": best.value} if best else None
    return figures
