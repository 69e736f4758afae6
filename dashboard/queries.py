"""Read-side queries for the pages: a few columns each, bounded, never every trial as objects.

Everything here takes a study that the caller already fetched through `studies.access`.
"""

from datetime import timedelta

from django.db.models import F, FloatField, Max, Min, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from studies import selectors
from studies.models import Study, Trial, TrialReport

HEARTBEAT_WINDOW_S = 60
FINISHED = (Trial.State.COMPLETE, Trial.State.PRUNED, Trial.State.FAILED)
TABLE_COLUMNS = ("number", "state", "value", "duration_s", "started_at", "worker", "origin")


def studies_with_summary(queryset):
    """Studies annotated with state counts and the lowest and highest complete value (one query)."""
    complete = Q(trials__state=Trial.State.COMPLETE)
    return selectors.with_state_counts(queryset).annotate(
        value_min=Min("trials__value", filter=complete), value_max=Max("trials__value", filter=complete)
    )


def search_studies(queryset, text, state):
    """Narrow a study list by a name search and a state."""
    if text:
        queryset = queryset.filter(name__icontains=text)
    if state in Study.State.values:
        queryset = queryset.filter(state=state)
    return queryset


def n_active_agents(study, now=None):
    """Distinct workers with a running trial that sent a heartbeat in the last minute."""
    since = (now or timezone.now()) - timedelta(seconds=HEARTBEAT_WINDOW_S)
    running = Trial.objects.filter(study=study, state=Trial.State.RUNNING, heartbeat_at__gte=since)
    return running.exclude(worker="").values("worker").distinct().count()


def changed_points(study, since, limit):
    """Light records of trials changed after revision `since`, and the next cursor."""
    rows = list(
        Trial.objects.filter(study=study, revision__gt=since)
        .order_by("revision")
        .values_list("revision", "number", "state", "value", "values")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1][0] if has_more else max(study.revision, since)
    points = [{"n": number, "s": state, "v": value, "vs": values} for _, number, state, value, values in rows]
    return points, cursor, has_more


def complete_rows(study):
    """(number, params, value, values) of every complete trial, in number order."""
    return list(
        Trial.objects.filter(study=study, state=Trial.State.COMPLETE)
        .order_by("number")
        .values_list("number", "params", "value", "values")
    )


def timeline_rows(study, limit):
    """The latest `limit` started trials as (number, state, worker, started_at, finished_at)."""
    rows = (
        Trial.objects.filter(study=study, started_at__isnull=False)
        .order_by("-started_at")
        .values_list("number", "state", "worker", "started_at", "finished_at")[:limit]
    )
    return list(rows)


def n_started(study):
    return Trial.objects.filter(study=study, started_at__isnull=False).count()


def curve_trials(study, direction, limit):
    """(id, number, state, value) of the trials whose learning curves are worth drawing.

    The best `limit // 2` complete trials, and the latest trials of any state for the rest,
    so both the winners and what is happening now are on the chart.
    """
    with_reports = Trial.objects.filter(study=study, reports__isnull=False).distinct()
    order = "value" if direction != "maximize" else "-value"
    best = with_reports.filter(state=Trial.State.COMPLETE).order_by(order).values_list("pk", "number", "state", "value")
    latest = with_reports.order_by("-number").values_list("pk", "number", "state", "value")
    chosen = {row[0]: row for row in best[: limit // 2]}
    for row in latest[:limit]:
        if len(chosen) >= limit:
            break
        chosen.setdefault(row[0], row)
    return sorted(chosen.values(), key=lambda row: row[1])


def n_trials_with_reports(study):
    return TrialReport.objects.filter(trial__study=study).values("trial_id").distinct().count()


def reports_of(trial_ids):
    """trial id -> [(step, value), ...] for the given trials, in step order (one query)."""
    by_trial = {}
    rows = TrialReport.objects.filter(trial_id__in=trial_ids).order_by("trial_id", "step")
    for trial_id, step, value in rows.values_list("trial_id", "step", "value"):
        by_trial.setdefault(trial_id, []).append((step, value))
    return by_trial


def table_page(study, numeric, state=None, ranges=None, sort="number", descending=False, offset=0, limit=50):
    """One page of the trial table and the number of trials that pass the filters.

    `numeric` names the int and float parameters. `ranges` maps one of them, or "value",
    to (low, high), either end None for open. `sort` is a column of TABLE_COLUMNS or
    "params.<name>".
    """
    trials = Trial.objects.filter(study=study)
    if state in Trial.State.values:
        trials = trials.filter(state=state)
    for name, (low, high) in (ranges or {}).items():
        trials = _in_range(trials, name, low, high)
    trials = trials.annotate(duration=F("finished_at") - F("started_at"))
    key = _sort_key(sort, numeric)
    ordering = [key.desc(nulls_last=True) if descending else key.asc(nulls_last=True), "number"]
    columns = ("pk", "number", "state", "value", "values", "params", "started_at", "finished_at", "worker", "origin")
    n_total = trials.count()
    # Past the last row there is nothing to fetch, and an offset wider than the database's
    # integers (?page=10**20) must not reach it.
    rows = list(trials.order_by(*ordering).values_list(*columns)[offset : offset + limit]) if offset < n_total else []
    return [dict(zip(columns, row)) for row in rows], n_total


def _in_range(trials, name, low, high):
    field = "value" if name == "value" else Cast(KT(f"params__{name}"), FloatField())
    if name != "value":
        trials = trials.alias(**{f"p_{name}": field})
        field = f"p_{name}"
    if low is not None:
        trials = trials.filter(**{f"{field}__gte": low})
    if high is not None:
        trials = trials.filter(**{f"{field}__lte": high})
    return trials


def _sort_key(sort, numeric):
    if sort.startswith("params."):
        name = sort.removeprefix("params.")
        # Numbers sort as numbers, choices as text; casting a choice to a number would fail on PostgreSQL.
        return Cast(KT(f"params__{name}"), FloatField()) if name in numeric else KT(f"params__{name}")
    if sort == "duration_s":
        return F("duration")
    return F(sort if sort in TABLE_COLUMNS else "number")


def export_rows(study):
    """Every trial of the study as plain tuples, streamed from the database in chunks."""
    columns = ("number", "state", "value", "values", "params", "started_at", "finished_at", "worker", "error")
    rows = Trial.objects.filter(study=study).order_by("number").values_list(*columns)
    return columns, rows.iterator(chunk_size=2000)


def trial_reports(trial):
    return list(TrialReport.objects.filter(trial=trial).order_by("step").values_list("step", "value"))


def complete_count(study):
    return Trial.objects.filter(study=study, state=Trial.State.COMPLETE).count()


def recent_complete_rows(study, limit):
    """(number, params, value, values) of the latest `limit` complete trials, in number order."""
    rows = (
        Trial.objects.filter(study=study, state=Trial.State.COMPLETE)
        .order_by("-number")
        .values_list("number", "params", "value", "values")[:limit]
    )
    return sorted(rows, key=lambda row: row[0])
