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

from . import charts, context, explain, header, results, states

PLOTLY = "vendor/plotly-strict-4.1.1.min.js"
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
    chosen = (("pareto", "Pareto front"),) if direction is None else ()
    left_out = charts.left_out(study)
    shown = [(name, title, charts.chart(visitor, name, contour if name == "contour" else {}))
             for name, title in chosen + CHARTS if name not in left_out]
    top = read.best_rows(study, TOP_TRIALS)
    baseline = results.baseline_panel(study)
    explained = explain.explain_charts(study)["charts"] if model_exports.has_model(study) else []
    return render_to_string("dashboard/report.html", {
        "study": study, "header": _header(study), "summary": study_summary(study), "left_out": left_out,
        "baseline": baseline, "leaderboard": results.leaderboard_panel(study, baseline),
        "notes": context.notes(visitor), "public": True, "top": top,
        # The history is drawn by the same script as on the study page, from the same points.
        "explain": explained,
        "report_data": {"figures": {name: figure for name, _, figure in shown}
                        | {chart["name"]: chart["figure"] for chart in explained}, "direction": direction,
                        "points": [{"n": row.number, "s": row.state, "v": row.value, "vs": row.values}
                                   for row in read.finished_rows(study, read.FINISHED_STATES)],
                        "states": states.for_scripts(), "baseline": baseline["value"] if baseline else None},
        "charts": [(name, title, name in WIDE) for name, title, _ in shown], "generated_at": timezone.now(),
        # Our own files, inlined so the report needs no network.
        "plotly_js": mark_safe(_asset(PLOTLY)), "charts_js": mark_safe(_asset("js/charts.js")),  # noqa: S308
        "report_js": mark_safe(_asset("js/report.js")), "policy": policy(),  # noqa: S308
        "css": mark_safe(_asset("css/tuner.css")),  # noqa: S308 — our own files
    })


def _header(study):
    figures = header.page_header(study)
    best = read.best_trial(study)
    figures["best"] = {"number": best.number, "params": best.params, "value": best.value} if best else None
    return figures
