"""A study as one self-contained HTML file: plotly.js, styles, figures and notes all inline.

It opens from disk with no network, so it can be mailed or archived.
"""

from functools import lru_cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from dashboard import charts
from studies.models import Trial

from . import facts, figures
from .models import Note
from .rendering import render_markdown
from .views.common import display_name, public_header

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


def build(study):
    """The report of a study fetched with `views.common.study_with_summary`, as HTML text."""
    direction = study.directions[0] if len(study.directions) == 1 else None
    space_names = list(study.search_space)
    contour = {"x": space_names[0], "y": space_names[1]} if len(space_names) > 1 else {}
    chosen = (("pareto", "Pareto front"),) if direction is None else ()
    shown = [(name, title, charts.chart(study, name, contour if name == "contour" else {}))
             for name, title in chosen + CHARTS]
    notes = _notes(study)
    history = figures.history(facts.history_rows(study), direction or "minimize")
    return render_to_string("sharing/report.html", {
        "study": study, "header": public_header(study), "owner_name": display_name(study.owner),
        "sharing_summary": {"summary": facts.study_summary(study)},
        "notes": notes, "sharing_notes": {"notes": notes, "public": True}, "top": _top_trials(study, direction),
        "figures": {"history": history, **{name: figure for name, _, figure in shown}},
        "charts": [(name, title, name in WIDE) for name, title, _ in shown], "generated_at": timezone.now(),
        # Our own files, inlined so the report needs no network.
        "plotly_js": mark_safe(_asset(PLOTLY)), "charts_js": mark_safe(_asset("js/share_charts.js")),  # noqa: S308
        "report_js": mark_safe(_asset("js/report.js")),  # noqa: S308
        "css": mark_safe(_asset("css/tuner.css") + _asset("css/sharing.css")),  # noqa: S308 — our own files
    })


def _notes(study):
    rows = Note.objects.filter(study=study).select_related("trial").order_by("trial__number")
    return [{"trial": note.trial.number if note.trial else None, "html": render_markdown(note.text)} for note in rows]


def _top_trials(study, direction):
    trials = Trial.objects.filter(study=study, state=Trial.State.COMPLETE, value__isnull=False)
    order = "-value" if direction == "maximize" else "value"
    return list(trials.order_by(order, "number").values("number", "value", "params")[:TOP_TRIALS]) if direction else []
