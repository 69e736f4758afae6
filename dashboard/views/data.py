"""The JSON that page scripts fetch: live changes, chart figures, the trial table, exports."""

import json

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from studies import access, services
from studies.objectives import CsvError
from studies.services import inputs, read
from studies.services.stopping import stop_sentence
from studies.services.summary import study_summary

from .. import charts, exports, plots, results
from .. import header as headers
from .common import BadArgument, float_arg, gzipped_json, int_arg, json_view, study_view

# A page opens on a sample of the history's points (one answer); later polls bring the trials
# changed since, this many at most per round trip (20,000 points are about 250 KB gzipped).
CHANGES_PER_POLL = 20_000
MAX_TABLE_PAGE = 200
MAX_PAGE = 10**9


@study_view(json=True, summary=True)
def live(request, visitor):
    """What changed since the page's cursor, and the header figures as they are now."""
    study = visitor.study
    body = charts.live_points(study, int_arg(request, "since", 0), CHANGES_PER_POLL)
    header = headers.header(study)
    header["n_agents"] = read.n_active_agents(study)
    header["stopped_because"] = stop_sentence(study)
    best = headers.best_figures(read.best_trial(study), study) if body["points"] or "since" not in request.GET else None
    if best is not None:
        header["best"] = best
    body["header"] = header
    if request.GET.get("summary"):
        # Asked for at most every couple of seconds: the summary runs the importance analysis.
        body["summary"] = [{"key": s.key, "text": s.text, "figure": s.figure} for s in study_summary(study)]
        body["results"] = results.for_scripts(study)
    return JsonResponse(body)


@study_view(json=True)
def chart(request, visitor, name):
    if name not in charts.CHARTS:
        raise Http404("no such chart")
    picked = {arg: request.GET.get(arg) for arg in ("x", "y", "metric")}
    return gzipped_json(request, charts.chart_gzipped(visitor, name, picked))


@study_view(json=True)
def table(request, visitor):
    """One page of trials, sorted and filtered on the server."""
    study = visitor.study
    numeric = plots.numeric_params(study.search_space)
    sort = _checked_sort(study, request.GET.get("sort", "number"))
    size = int_arg(request, "page_size", 50, low=1, high=MAX_TABLE_PAGE)
    page = int_arg(request, "page", 1, low=1, high=MAX_PAGE)
    rows, n_total = read.table_page(
        study, numeric, state=request.GET.get("state") or None, ranges=_ranges(request, study, numeric), sort=sort,
        descending=request.GET.get("dir") == "desc", offset=(page - 1) * size, limit=size,
        texts={key: request.GET[f"attrs.{key}"] for key in study.attr_names if request.GET.get(f"attrs.{key}")},
        hide_infeasible=request.GET.get("hide_infeasible") == "1",
        choices=_choices(request, study),
    )
    people = visitor.can("see_people")
    return JsonResponse({"rows": [_table_row(row, people) for row in rows], "n_total": n_total, "page": page,
                         "page_size": size, "columns": list(study.search_space),
                         "metric_names": study.metric_names, "attr_names": study.attr_names})


def _checked_sort(study, sort):
    names = {"params": study.search_space, "metrics": study.metric_names, "attrs": study.attr_names}
    field, dot, name = sort.partition(".")
    if dot and field in names and name not in names[field]:
        what = {"params": "parameter", "metrics": "metric", "attrs": "attribute"}[field]
        raise BadArgument(f"cannot sort by {sort!r}: no such {what}")
    return sort


def _ranges(request, study, numeric):
    ranges = {}
    for name in [*numeric, "value", *(f"metrics.{metric}" for metric in study.metric_names)]:
        low, high = float_arg(request.GET.get(f"min_{name}")), float_arg(request.GET.get(f"max_{name}"))
        if low is not None or high is not None:
            ranges[name] = (low, high)
    return ranges


def _choices(request, study):
    """The choices picked per categorical parameter, from repeated `params.<name>=<choice>`
    arguments: a choice is its JSON, or its text when that does not read as JSON."""
    picked = {}
    for key in request.GET:
        field, dot, name = key.partition(".")
        if field != "params" or not dot:
            continue
        spec = study.search_space.get(name)
        if spec is None or spec.get("type") != "categorical":
            raise BadArgument(f"cannot filter {key!r} by choices: no such categorical parameter")
        picked[name] = [_choice(spec["choices"], key, text) for text in request.GET.getlist(key)]
    return picked


def _choice(choices, key, text):
    # Text that reads as JSON is JSON: "1" is the number 1 and "\"1\"" the text 1, so a
    # space may hold both; any other text is itself ("rbf").
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    for choice in choices:
        # 1.0 and 1 are one number, as in JSON; true is not 1.
        if isinstance(choice, str) == isinstance(parsed, str) and (type(choice) is bool) == (type(parsed) is bool) \
                and choice == parsed:
            return choice
    raise BadArgument(f"{key}: {text!r} is not one of its choices")


def _table_row(row, people):
    shown = {
        "number": row.number, "state": row.state, "value": row.value, "values": row.values, "params": row.params,
        "origin": row.origin, "started_at": row.started_at.isoformat() if row.started_at else None,
        "duration_s": row.duration_s, "excluded": row.excluded, "exclusion_reason": row.exclusion_reason,
        "metrics": row.metrics or {}, "attrs": row.attrs or {}, "constraints": row.constraints,
        "feasible": row.feasible,
    }
    if people:  # a worker is named after its machine, which a share link does not show
        shown["worker"], shown["id"] = row.worker, row.pk
    return shown


@study_view(json=True)
def export(request, visitor, fmt):
    """Every trial as CSV or JSON, streamed so memory stays flat however large the study."""
    if fmt not in ("csv", "json") or not visitor.can("export"):
        raise Http404("export as csv or json")
    study = visitor.study
    columns, rows = read.export_rows(study)
    if fmt == "csv":
        chunks = exports.csv_chunks(columns, list(study.search_space), rows, study.metric_names, study.attr_names,
                                    study.objective_labels if len(study.directions) > 1 else ())
    else:
        chunks = exports.json_chunks(columns, rows)
    response = StreamingHttpResponse(chunks, content_type="text/csv" if fmt == "csv" else "application/json")
    response["Content-Disposition"] = f'attachment; filename="study-{study.pk}-trials.{fmt}"'
    return response


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
    """What studying a target column of an uploaded CSV would look like: the task, the default
    metric and why, columns left out by default, columns that give the answer away, notes."""
    dataset = get_object_or_404(access.datasets_for(request.user), pk=pk)
    target = request.GET.get("target") or dataset.suggested_target
    if target not in dataset.column_names:
        raise BadArgument(f"column {target!r} is not in the dataset")
    try:
        found = services.inspect_dataset_target(dataset, target)
    except CsvError as exc:
        raise BadArgument(str(exc)) from None
    return JsonResponse({"target": target, **found})


@json_view
def studies_live(request):
    """Header figures of the listed studies, for the studies page's live progress bars."""
    ids = inputs.query_ids(request.GET.getlist("ids"))
    studies = read.summarize_all(access.studies_for(request.user).filter(pk__in=ids).select_related("owner"))
    return JsonResponse({"studies": [headers.header(study) for study in studies]})
