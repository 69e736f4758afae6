"""The read-only share page and the JSON its script polls: no controls, no names but the owner's."""

from django.http import Http404, JsonResponse
from django.shortcuts import render

from dashboard import charts, plots, queries
from studies import inputs

from .. import facts, report
from ..decorators import share_view
from ..models import Note
from ..rendering import render_markdown
from .common import attachment, display_name, public_header, study_with_summary

CHANGES_PER_POLL = 5000
TABLE_PAGE = 25
SORTS = ("number", "value", "state", "duration_s")


@share_view(touch=True)
def page(request, link):
    study = study_with_summary(link.study_id)
    header = public_header(study)
    return render(request, "sharing/share.html", {
        "study": study, "header": header, "owner_name": display_name(study.owner),
        "sharing": {"summary": facts.study_summary(study), "notes": _notes(study), "public": True},
        "page_data": _page_data(study, header),
    })


def _page_data(study, header):
    # The script fetches URLs relative to the page (live.json, charts/<name>.json, ...),
    # so the token is written nowhere in the page.
    return {"directions": study.directions, "search_space": study.search_space, "header": header,
            "charts": _chart_names(study)}


def _chart_names(study):
    names = ["importance", "edf", "parallel", "slices", "contour", "curves", "timeline"]
    return (["pareto"] if len(study.directions) > 1 else []) + names


def _notes(study):
    rows = Note.objects.filter(study=study).select_related("trial").order_by("trial__number")
    return [{"trial": note.trial.number if note.trial else None, "html": render_markdown(note.text)} for note in rows]


@share_view
def live(request, link):
    study = study_with_summary(link.study_id)
    since = _int(request, "since", 0)
    points, cursor, has_more = queries.changed_points(study, since, CHANGES_PER_POLL)
    body = {"cursor": cursor, "has_more": has_more, "points": points, "header": public_header(study)}
    if points or since == 0:
        body["summary"] = [{"key": s.key, "text": s.text, "figure": s.figure} for s in facts.study_summary(study)]
    return JsonResponse(body)


@share_view
def chart(request, link, name):
    if name not in charts.CHARTS:
        raise Http404("no such chart")
    study = study_with_summary(link.study_id)
    return JsonResponse(charts.chart(study, name, {"x": request.GET.get("x"), "y": request.GET.get("y")}))


@share_view
def table(request, link):
    """One page of trials; the columns a visitor needs, without worker host names."""
    study = study_with_summary(link.study_id)
    sort = request.GET.get("sort", "number")
    sort = sort if sort in SORTS or sort.removeprefix("params.") in study.search_space else "number"
    page_number = max(_int(request, "page", 1), 1)
    rows, n_total = queries.table_page(study, plots.numeric_params(study.search_space), state=request.GET.get("state"),
                                       sort=sort, descending=request.GET.get("dir") == "desc",
                                       offset=(page_number - 1) * TABLE_PAGE, limit=TABLE_PAGE)
    return JsonResponse({"rows": [_row(row) for row in rows], "n_total": n_total, "page": page_number,
                         "page_size": TABLE_PAGE, "columns": list(study.search_space)})


def _row(row):
    started, finished = row["started_at"], row["finished_at"]
    return {"number": row["number"], "state": row["state"], "value": row["value"], "values": row["values"],
            "params": row["params"],
            "duration_s": (finished - started).total_seconds() if started and finished else None}


def _int(request, name, default):
    return inputs.query_int(request.GET.get(name), default)


@share_view
def report_download(request, link):
    study = study_with_summary(link.study_id)
    return attachment(report.build(study), f"study-{study.pk}-report.html", "text/html; charset=utf-8")
