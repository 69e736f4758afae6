"""The JSON that page scripts fetch: live changes, chart figures, the trial table, exports."""

import csv
import io
import json

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from sharing import facts
from sharing.csv_safe import neutralise_row
from studies import access, inputs, selectors, services
from studies.objectives import CsvError

from .. import charts, plots, queries, summary
from .common import BadArgument, float_arg, int_arg, json_view, visible_study

CHANGES_PER_POLL = 5000
MAX_TABLE_PAGE = 200


@json_view
def live(request, pk):
    """What changed since the page's cursor, and the header figures as they are now."""
    study = visible_study(request, pk, summary=True)
    points, cursor, has_more = queries.changed_points(study, int_arg(request, "since", 0), CHANGES_PER_POLL)
    header = summary.header(study)
    header["n_agents"] = queries.n_active_agents(study)
    best = selectors.best_trial(study) if points or "since" not in request.GET else None
    if best is not None:
        header["best"] = {"number": best.number, "params": best.params, "value": best.value}
    body = {"cursor": cursor, "has_more": has_more, "points": points, "header": header}
    if request.GET.get("summary"):
        # Asked for at most every couple of seconds: the summary runs the importance analysis.
        body["summary"] = [{"key": s.key, "text": s.text, "figure": s.figure} for s in facts.study_summary(study)]
    return JsonResponse(body)


@json_view
def chart(request, pk, name):
    if name not in charts.CHARTS:
        raise Http404("no such chart")
    study = visible_study(request, pk)
    return JsonResponse(charts.chart(study, name, {"x": request.GET.get("x"), "y": request.GET.get("y")}))


@json_view
def table(request, pk):
    """One page of trials, sorted and filtered on the server."""
    study = visible_study(request, pk)
    numeric = plots.numeric_params(study.search_space)
    sort = request.GET.get("sort", "number")
    if sort.startswith("params.") and sort.removeprefix("params.") not in study.search_space:
        raise BadArgument(f"cannot sort by {sort!r}: no such parameter")
    size = int_arg(request, "page_size", 50, low=1, high=MAX_TABLE_PAGE)
    page = int_arg(request, "page", 1, low=1)
    rows, n_total = queries.table_page(
        study, numeric, state=request.GET.get("state") or None, ranges=_ranges(request, numeric), sort=sort,
        descending=request.GET.get("dir") == "desc", offset=(page - 1) * size, limit=size,
    )
    return JsonResponse({"rows": [_table_row(row) for row in rows], "n_total": n_total, "page": page,
                         "page_size": size, "columns": list(study.search_space)})


def _ranges(request, numeric):
    ranges = {}
    for name in [*numeric, "value"]:
        low, high = float_arg(request.GET.get(f"min_{name}")), float_arg(request.GET.get(f"max_{name}"))
        if low is not None or high is not None:
            ranges[name] = (low, high)
    return ranges


def _table_row(row):
    started, finished = row["started_at"], row["finished_at"]
    return {
        "number": row["number"], "state": row["state"], "value": row["value"], "values": row["values"],
        "params": row["params"], "worker": row["worker"], "origin": row["origin"],
        "started_at": started.isoformat() if started else None,
        "duration_s": (finished - started).total_seconds() if started and finished else None,
    }


@json_view
def export(request, pk, fmt):
    """Every trial as CSV or JSON, streamed so memory stays flat however large the study."""
    if fmt not in ("csv", "json"):
        raise Http404("export as csv or json")
    study = visible_study(request, pk)
    columns, rows = queries.export_rows(study)
    names = list(study.search_space)
    chunks = _csv_chunks(columns, names, rows) if fmt == "csv" else _json_chunks(columns, rows)
    response = StreamingHttpResponse(chunks, content_type="text/csv" if fmt == "csv" else "application/json")
    response["Content-Disposition"] = f'attachment; filename="study-{study.pk}-trials.{fmt}"'
    return response


def _csv_chunks(columns, names, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(neutralise_row([c for c in columns if c != "params"] + [f"params.{name}" for name in names]))
    for i, row in enumerate(rows):
        record = dict(zip(columns, row))
        params = record.pop("params") or {}
        record["values"] = json.dumps(record["values"]) if record["values"] is not None else ""
        # A spreadsheet runs cells that start with = + - @; the neutraliser defuses them.
        writer.writerow(neutralise_row([_cell(value) for value in record.values()] + [_cell(params.get(name)) for name in names]))
        if i % 500 == 499:
            yield _drain(buffer)
    yield _drain(buffer)


def _cell(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _json_chunks(columns, rows):
    yield "["
    for i, row in enumerate(rows):
        record = {name: _cell(value) if name in ("started_at", "finished_at") else value
                  for name, value in zip(columns, row)}
        yield ("," if i else "") + json.dumps(record)
    yield "]"


@require_POST
@json_view
def validate(request):
    """Check a study spec exactly as POST /api/studies/ would, without storing anything."""
    try:
        spec = inputs.load_json(request.body or b"null")
    except inputs.BadInput as exc:
        return JsonResponse(exc.errors or {"non_field_errors": [f"the body is not JSON: {exc.message}"]}, status=400)
    try:
        services.validate_study_spec(request.user, spec)
    except services.InvalidInput as exc:
        return JsonResponse(exc.errors, status=400)
    return JsonResponse({"ok": True})


@json_view
def dataset_task(request, pk):
    """The task (classification or regression) detected for a target column of an uploaded CSV."""
    dataset = get_object_or_404(access.datasets_for(request.user), pk=pk)
    target = request.GET.get("target") or dataset.suggested_target
    if target not in dataset.column_names:
        raise BadArgument(f"column {target!r} is not in the dataset")
    try:
        task = services.dataset_task(dataset, target)
    except CsvError as exc:
        raise BadArgument(str(exc)) from None
    return JsonResponse({"target": target, "task": task})


@json_view
def studies_live(request):
    """Header figures of the listed studies, for the studies page's live progress bars."""
    ids = inputs.query_ids(request.GET.getlist("ids"))
    studies = queries.studies_with_summary(access.studies_for(request.user).filter(pk__in=ids).select_related("owner"))
    return JsonResponse({"studies": [summary.header(study) for study in studies]})

