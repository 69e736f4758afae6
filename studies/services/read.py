"""The one read side: what the API, the pages, summaries, reports, exports and the engine read.

Every query reads only the columns it needs, and never every trial as model instances: a
study of 100,000 trials costs a few light queries. Trials come out as `TrialRow`s, one shape
from the database to the chart, the summary and the report; the engine gets them as its own
`TrialRecord`s (`trial_records`). Callers fetched the study through `studies.access`.

A trial a person excluded (`services.exclusions`) is listed, changed and exported like any
other, but every reader of results here leaves it out: the engine's history, the best value,
importance, summaries, the leaderboard and the charts (`_counted`).

A trial that broke one of its constraints (`feasible` false; see `services.constraints`) counts
everywhere but where the best result is chosen: the best value and trial, the best rows, the
leaderboard, the study list's best and the stop rules' progress leave it out (`_feasible`).
"""

import hashlib
import json
import math
import operator
import statistics
from dataclasses import replace
from datetime import timedelta
from functools import reduce
from typing import NamedTuple

import numpy as np
from django.core.cache import cache
from django.db.models import (
    Aggregate, Case, Count, DurationField, Exists, ExpressionWrapper, F, FloatField, Max, Min, OuterRef, Prefetch, Q,
    Subquery, Sum, TextField, Value, When, Window,
)
from django.db.models.fields.json import KT, KeyTextTransform, KeyTransform, compile_json_path
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone

from studies import objectives
from studies.engine import SearchSpace, StopRules, TrialRecord, make_pruner, make_sampler
from studies.models import (
    Artifact, Baseline, Dataset, Ensemble, Explanation, ModelExport, Note, Recheck, ShareLink, Study, StudyFigures,
    StudyMember, Trial, TrialReport,
)

from . import tally, usage

HEARTBEAT_WINDOW_S = 60
FINISHED_STATES = Trial.FINISHED_STATES
# The engine knows no "stopped": to a sampler, a trial its study stopped is a trial without a
# result, as a failed one is.
_ENGINE_STATE = {Trial.State.STOPPED: Trial.State.FAILED}
# Ids per `IN (...)` query, under SQLite's oldest limit on query parameters.
_IDS_PER_QUERY = 900
TABLE_COLUMNS = ("number", "state", "value", "duration_s", "started_at", "worker", "origin")


class TrialRow(NamedTuple):
    """One trial as every reader above the engine sees it."""

    number: int
    state: str = ""
    value: float | None = None
    values: list | None = None
    params: dict | None = None
    started_at: object = None
    finished_at: object = None
    worker: str = ""
    origin: str = ""
    pk: int | None = None
    excluded_at: object = None
    exclusion_reason: str = ""
    metrics: dict | None = None
    attrs: dict | None = None
    constraints: list | None = None
    feasible: bool | None = None

    @property
    def infeasible(self):
        """Whether the trial broke one of its constraints (False when it gave none)."""
        return self.feasible is False

    @property
    def excluded(self):
        return self.excluded_at is not None

    @property
    def objective(self):
        """The value to plot: the value, or the first objective of a multi-objective trial."""
        if self.value is None and self.values:
            return self.values[0]
        return self.value

    @property
    def duration_s(self):
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def record(self):
        """The row as the engine's immutable `TrialRecord`."""
        return TrialRecord(number=self.number, params=self.params or {}, state=_ENGINE_STATE.get(self.state, self.state),
                           value=self.value,
                           values=tuple(self.values) if self.values is not None else None,
                           constraints=tuple(self.constraints) if self.constraints is not None else None)


_ROW = ("number", "state", "value", "values", "params", "feasible")
_TIMED_ROW = (*_ROW, "started_at", "finished_at", "worker", "origin", "pk")
_TABLE_ROW = (*_TIMED_ROW, "excluded_at", "exclusion_reason", "metrics", "attrs", "constraints")


def cache_key(study, *parts):
    """A cache key for something computed from a study; the creation time tells apart studies
    that reuse an id (a restored database, a test run), so one never gets another's entry."""
    return ":".join(map(str, (study.pk, int(study.created_at.timestamp() * 1e6), *parts)))


def _counts(prefix=""):
    """A trial that counts in its study's results: not excluded by a person, not a re-check of
    another trial; `prefix` reaches the trial from another model (``"trials__"`` from a study)."""
    return Q(**{f"{prefix}excluded_at__isnull": True}) & ~Q(**{f"{prefix}origin": Trial.Origin.RECHECK})


def _is_feasible(prefix=""):
    """A trial that broke no constraint (one without constraints is feasible)."""
    return ~Q(**{f"{prefix}feasible": False})


def _may_be_best(prefix=""):
    """A trial that may be its study's best value: complete, counted and feasible."""
    return Q(**{f"{prefix}state": Trial.State.COMPLETE}) & _counts(prefix) & _is_feasible(prefix)


def _rows(queryset, columns=_ROW):
    return [TrialRow(**dict(zip(columns, row))) for row in queryset.values_list(*columns)]


def _counted(study):
    """The study's trials that count in its results: every one but those a person excluded and
    the re-check trials, which measure an earlier trial's params again (`rechecks`): counting
    them would feed the sampler the same params twice and let a lucky repeat be the best."""
    return Trial.objects.filter(_counts(), study=study)


def _feasible(trials):
    """The trials that may be the best: all but those that broke a constraint (null counts: no constraints)."""
    return trials.filter(_is_feasible())



# ---- studies ----------------------------------------------------------------------------


def children_among(visible):
    """A prefetch of each study's children (the studies that narrow it) among `visible` (the
    studies the reader may see, so the ids of others' studies stay unknown), ids only."""
    return Prefetch("children", queryset=visible.only("id", "parent_id").order_by("pk"))


def with_state_counts(queryset):
    """Annotate each study with the number of its trials in every state (one query)."""
    annotations = {f"n_{state}": Count("trials", filter=Q(trials__state=state)) for state in Trial.State.values}
    return queryset.annotate(**annotations)


def with_summary(queryset):
    """Studies annotated with state counts and the lowest and highest complete value (one query)."""
    complete = _may_be_best("trials__")
    return with_state_counts(queryset).annotate(
        value_min=Min("trials__value", filter=complete), value_max=Max("trials__value", filter=complete)
    )


def summarize_all(studies):
    """`summarize` for a list of studies: cached figures where the cache has them, the rest
    counted in one query (`with_summary`). Returns the studies, in their order."""
    studies = list(studies)
    keys = {study.pk: cache_key(study, "list-figures", study.revision) for study in studies}
    found = cache.get_many(list(keys.values()))
    missing = [study.pk for study in studies if keys[study.pk] not in found]
    if missing:
        names = [f"n_{state}" for state in Trial.State.values] + ["value_min", "value_max"]
        for pk, *figures in with_summary(Study.objects.filter(pk__in=missing)).values_list("pk", *names):
            found[keys[pk]] = dict(zip(names, figures))
        cache.set_many({keys[pk]: found[keys[pk]] for pk in missing}, timeout=600)
    for study in studies:
        for name, value in found[keys[study.pk]].items():
            setattr(study, name, value)
    return studies


def summarize(study):
    """Give one study the figures `with_summary` annotates (`n_<state>`, `value_min`, `value_max`),
    and `complete_count`'s and the summary's counts, from the study's tally (`tally.py`): counted
    once, then brought up to each new revision by folding in the trials changed since (every
    change to a trial gives it the study's next revision), so a poll of a 100,000-trial study
    after a trial completes reads that trial, not every trial."""
    for name, value in _tally(study).figures.items():
        setattr(study, name, value)
    return study


_TALLY_S = 24 * 3600
# Past this many changed trials, counting afresh costs no more than reading them.
_FOLD_LIMIT = 2000
# From this many trials a worker keeps the study's figures in the database (`figures.py`): below
# it, counting the trials and fitting the importance forest cost a page little.
KEPT_FROM = 1000


def _tally(study, parts_for=None):
    """The study's `tally.Tally` at its revision; given `parts_for` (n_first, n_typical, names,
    share, minimum), with the summary's parts for them."""
    key = cache_key(study, f"tally-{tally.VERSION}")
    found = cache.get(key)
    if found is not None and found.study_revision >= study.revision and parts_for is None:
        # Up to date, and the parts are not asked for: their 0.3 MB (the best trials, the pruned
        # trials' durations) are not read, which every poll of a large study did.
        return replace(found, parts=None)
    found, big = _load_parts(key, found), None
    if found is not None:
        if found.study_revision >= study.revision and _parts_fit(found, parts_for):
            return found
        big = (found.parts.ranked, found.parts.pruned_us) if found.parts is not None else None
    else:
        # The cache lost it: the copy a worker kept is a starting point, folded forward as the cache's is.
        found = _kept_tally(study)
    try:
        if found is None:
            raise tally.Recount
        _fold(study, found)
    except tally.Recount:
        found = _recount(study)
    found.study_revision = max(found.study_revision, study.revision)
    if not _parts_fit(found, parts_for):
        found.parts = _parts(study, found, *parts_for)
    _store_tally(key, found, big)
    return found


def recounted_tally(study, parts_for=None):
    """The study's tally counted afresh, never folded forward from an earlier one, with the
    summary's parts for `parts_for` as `study_tally`; the cache is left as it is. What a worker
    keeps (`figures.py`): a copy that outlives the cache is never built on an older copy."""
    found = _recount(study)
    found.study_revision = study.revision
    if parts_for is not None:
        found.parts = _parts(study, found, *parts_for)
    return found


def _kept_tally(study):
    if study.next_number < KEPT_FROM:
        return None  # none kept: no query
    kept = StudyFigures.objects.filter(study=study).values_list("tally", flat=True).first()
    return tally.loads(kept)


def kept_importance(study, kind, key):
    """The importance of `kind` a worker kept for the study under the cache key `key`, or None
    (none kept, or kept for other trials)."""
    if study.next_number < KEPT_FROM:
        return None
    kept = StudyFigures.objects.filter(study=study).values_list("importance", flat=True).first() or {}
    entry = kept.get(kind)
    return entry["found"] if entry is not None and entry["key"] == key else None


def _load_parts(key, found):
    if found is not None and found.parts is not None:
        big = cache.get(f"{key}:{found.parts.big}")
        if big is None:
            found.parts = None  # evicted: read again when asked for
        else:
            found.parts.ranked, found.parts.pruned_us = big
    return found


def _store_tally(key, found, big):
    """Keep the tally: the best trials and the pruned trials' durations (most of its bytes) under
    their own key, written only when they changed: most changes leave them as they were."""
    parts = found.parts
    if parts is None:
        cache.set(key, found, timeout=_TALLY_S)
        return
    kept = (parts.ranked, parts.pruned_us)
    if big is None or big[0] is not kept[0] or big[1] is not kept[1]:
        parts.big = found.revision
        cache.set(f"{key}:{parts.big}", kept, timeout=_TALLY_S)
    parts.ranked, parts.pruned_us = None, None
    try:
        cache.set(key, found, timeout=_TALLY_S)
    finally:
        parts.ranked, parts.pruned_us = kept


def _parts_fit(found, parts_for):
    if parts_for is None:
        return True
    parts = found.parts
    n_first, n_typical, names, share, minimum = parts_for
    return (parts is not None and (parts.n_first, parts.n_typical, parts.names) == (n_first, n_typical, names)
            and tally.ranked_ready(parts, tally.n_best(found.figures["facts_n_complete"], share, minimum)))


def _recount(study):
    # As `with_summary`: every trial is counted in its state, but only some may be the best value.
    # `complete_count`'s figures and the summary's counts come in the same scan of the trials,
    # and so does what the fold needs: the latest revision and number counted and the trials
    # counted waiting or running (a single statement, so they agree with the counts).
    complete, direction = _may_be_best(), _summary_direction(study)
    figures = {f"n_{state}": Count("pk", filter=Q(state=state)) for state in Trial.State.values}
    extra = {"tally_revision": Max("revision"), "tally_number": Max("number"),
             **{f"tally_{state}": _Numbers(filter=Q(state=state, excluded_at__isnull=True))
                for state in tally.OPEN_STATES}}
    if direction:
        # The best trial's number and value: the subqueries are evaluated once, not per row.
        extra["tally_best_number"] = Max(_best_number(study, direction))
        extra["tally_best"] = Max(_best_number(study, direction, "value"))
    found = Trial.objects.filter(study=study).aggregate(
        **figures, value_min=Min("value", filter=complete), value_max=Max("value", filter=complete),
        **_complete_count_figures(), **_fact_counts(study, direction), **extra)
    extra = {name: found.pop(name) for name in list(found) if name.startswith("tally_")}
    best = (extra["tally_best"], extra["tally_best_number"]) if direction else None
    best = None if best is None or None in best else best
    opened = {int(number): state for state in tally.OPEN_STATES for number in (extra[f"tally_{state}"] or "").split(",")
              if number}
    # Every number counted bounds the eligible ones': a new best among them is counted afresh.
    return tally.Tally(revision=extra["tally_revision"] or 0, study_revision=0, max_number=_or(extra["tally_number"]),
                       open=opened, figures=found, direction=direction, best=best,
                       max_eligible=_or(extra["tally_number"]))


def _or(number):
    return -1 if number is None else number


class _Numbers(Aggregate):
    """The numbers of the trials it counts, as text joined by commas (None for none)."""

    function = "STRING_AGG"
    template = "%(function)s(%(distinct)s%(expressions)s, ',')"
    output_field = TextField()

    def __init__(self, **extra):
        super().__init__(Cast("number", TextField()), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


_CHANGED = ("revision", "number", "state", "value", "values", "excluded_at", "origin", "feasible", "started_at",
            "finished_at")


def _fold(study, found):
    """Fold the trials changed since `found` was counted into it (`tally.Recount` when it cannot)."""
    trials = Trial.objects.filter(study=study, revision__gt=found.revision).order_by("revision")
    columns = _CHANGED
    parts = found.parts
    if parts is not None:
        trials, columns = trials.annotate(mask=_names_mask(parts.names)), (*columns, "mask")
        if parts.name is not None:
            trials, columns = trials.annotate(chosen=_KeyValue(parts.name, "params")), (*columns, "chosen")
    rows = list(trials.values_list(*columns)[: _FOLD_LIMIT + 1])
    if len(rows) > _FOLD_LIMIT:
        raise tally.Recount
    changed = []
    for row in rows:
        row = dict(zip(columns, row))
        started, finished = row["started_at"], row["finished_at"]
        duration = (finished - started) // timedelta(microseconds=1) if started and finished else None
        changed.append(tally.Changed(row["number"], row["revision"], row["state"], row["value"], row["values"],
                                     row["excluded_at"] is not None, row["origin"] != Trial.Origin.RECHECK,
                                     row["feasible"], duration, row.get("chosen"), row.get("mask", 0)))
    tally.fold(found, changed)


def _names_mask(names):
    """Which of `names` a trial's params hold, as the bits of an integer (bit i: names[i])."""
    bits = [Case(When(params__has_key=name, then=Value(1 << i)), default=Value(0)) for i, name in enumerate(names)]
    return reduce(operator.add, bits) if bits else Value(0)


def _parts(study, found, n_first, n_typical, names, share, minimum):
    """The summary's parts of `found`, read from the trials as counted (revision <= its revision:
    a trial changed since is folded in later, or asks for a recount)."""
    finished = _counted(study).filter(state__in=(Trial.State.COMPLETE, Trial.State.PRUNED),
                                      revision__lte=found.revision)
    eligible = finished.filter(Q(state=Trial.State.COMPLETE) & _finite_value() & _is_feasible())
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    micro = timedelta(microseconds=1)
    timed = finished.filter(state=Trial.State.COMPLETE, started_at__isnull=False, finished_at__isnull=False)
    latest = timed.annotate(duration=duration).order_by("-number").values_list("number", "duration")[:n_typical]
    latest = sorted((number, d // micro) for number, d in latest)
    pruned = [] if not found.figures["facts_n_pruned"] else list(
        finished.filter(state=Trial.State.PRUNED).annotate(duration=duration).values_list("duration", flat=True))
    pruned_us = np.sort(np.array([d // micro for d in pruned if d is not None], dtype=np.int64))
    direction = found.direction
    first, ranked, name, capacity = [], [], None, 0
    if direction:
        first = list(eligible.order_by("number").values_list("number", "value")[:n_first])
        n = tally.n_best(found.figures["facts_n_complete"], share, minimum)
        capacity = max(n, 1) + tally.RANKED_MARGIN
        order = F("value").desc() if direction == "maximize" else F("value").asc()
        best_first = eligible.order_by(order, "number")[:capacity]
        # With the first name's values: the name told for, unless one of the best lacks it (then read again).
        read_for = names[0] if names else None
        ranked = list(best_first.annotate(mask=_names_mask(names), chosen=_KeyValue(read_for or "", "params"))
                      .values_list("number", "value", "chosen", "mask"))
        name = tally.chosen_name(ranked, n, names)
        if name is not None and name != read_for:
            chosen = best_first.annotate(chosen=_KeyValue(name or "", "params")).values_list("chosen", flat=True)
            ranked = [(number, value, value_of, mask) for (number, value, _, mask), value_of in zip(ranked, chosen)]
    return tally.Parts(n_first=n_first, n_typical=n_typical, names=names, first=first, latest=latest,
                       pruned_us=pruned_us, n_untimed=len(pruned) - len(pruned_us), ranked=ranked, capacity=capacity,
                       whole=len(ranked) < capacity or not direction, name=name)


def _summary_direction(study):
    """The direction the summary counts in: None for several objectives."""
    return study.directions[0] if len(study.directions) == 1 else None


def _fact_counts(study, direction):
    """`summary_facts`' counts of the finished trials that count, as aggregates over all of the
    study's trials (``facts_<name>``), so that they come in the scan `summarize` makes anyway."""
    finished = _counts() & Q(state__in=(Trial.State.COMPLETE, Trial.State.PRUNED))
    complete = finished & Q(state=Trial.State.COMPLETE)
    eligible = complete & _finite_value() & _is_feasible()
    counts = {"facts_n_scored": Count("pk", filter=complete & _finite_value()),
              "facts_n_complete": Count("pk", filter=eligible),
              "facts_n_pruned": Count("pk", filter=finished & Q(state=Trial.State.PRUNED)),
              "facts_n_multi": Count("pk", filter=complete & Q(values__isnull=False) & ~Q(values=[]))}
    if direction:
        # The subquery refers to nothing outside it: evaluated once, not per row.
        counts["facts_n_since_best"] = Count("pk", filter=eligible & Q(number__gt=_best_number(study, direction)))
    return counts


def _best_number(study, direction, column="number"):
    """The number (or another column) of the study's best trial in `direction`, as a subquery."""
    eligible = _may_be_best() & _finite_value()
    order = F("value").desc() if direction == "maximize" else F("value").asc()
    return Subquery(Trial.objects.filter(eligible, study=study).order_by(order, "number").values(column)[:1])


def state_counts(study):
    """Trial counts per state of a study annotated by `with_state_counts`."""
    return {state: getattr(study, f"n_{state}", 0) for state in Trial.State.values}


def attach_summary(study):
    """Give a study annotated by with_state_counts its `state_counts` and `best` trial."""
    study.state_counts = state_counts(study)
    study.best = best_trial(study)
    return study


def search_studies(queryset, text, state):
    """Narrow a study list by a name search and a state."""
    if text:
        queryset = queryset.filter(name__icontains=text)
    if state in Study.State.values:
        queryset = queryset.filter(state=state)
    return queryset


def best_trial(study):
    """The best feasible complete trial of a single-objective study (a Trial with a few fields), or None."""
    if len(study.directions) != 1:
        return None
    order = "value" if study.directions[0] == "minimize" else "-value"
    return (
        _feasible(_counted(study)).filter(state=Trial.State.COMPLETE, value__isnull=False)
        .order_by(order, "number")
        .only("pk", "number", "params", "value", "values", "details")
        .first()
    )


def n_active_agents(study, now=None):
    """Distinct workers with a running trial that sent a heartbeat in the last minute."""
    since = (now or timezone.now()) - timedelta(seconds=HEARTBEAT_WINDOW_S)
    running = Trial.objects.filter(study=study, state=Trial.State.RUNNING, heartbeat_at__gte=since)
    return running.exclude(worker="").values("worker").distinct().count()


# ---- changes since a cursor ---------------------------------------------------------------


def changes(study, since, limit, columns=None):
    """Trials changed after revision `since`, oldest change first, and the cursor to ask from next.

    Every trial carries the revision of its last change (bumped under the study lock), so a
    reader that asks again from the cursor misses no change, however late it committed.

    Args:
        study: The study.
        since: The cursor the reader holds (0 for everything).
        limit: The most trials to return.
        columns: Trial columns to read; None returns model instances (the API's serializer),
            their files prefetched.

    Returns:
        (trials, cursor, has_more): `TrialRow`s for `columns`, else Trials.
    """
    trials = Trial.objects.filter(study=study, revision__gt=since).order_by("revision")
    if columns is None:
        rows = list(trials.select_related("excluded_by").prefetch_related("artifacts")[: limit + 1])
        revisions = [row.revision for row in rows]
    else:
        rows = list(trials.values_list("revision", *columns)[: limit + 1])
        revisions = [row[0] for row in rows]
        rows = [TrialRow(**dict(zip(columns, row[1:]))) for row in rows]
    has_more = len(rows) > limit
    cursor = revisions[limit - 1] if has_more else max(study.revision, since)
    return rows[:limit], cursor, has_more


def every_trial(study, columns):
    """Every trial of the study as a tuple of `columns`, in number order, read a chunk at a time:
    a caller that keeps a few numbers of each (the history chart's sample) never holds a
    100,000-trial study's rows at once."""
    trials = Trial.objects.filter(study=study).order_by("number").values_list(*columns)
    return trials.iterator(chunk_size=5000)


# ---- trials as rows ---------------------------------------------------------------------


def complete_rows(study):
    """Every complete trial, in number order."""
    return _rows(_counted(study).filter(state=Trial.State.COMPLETE).order_by("number"))


def complete_records(study):
    """Every complete trial as the engine's `TrialRecord`, in number order, read a chunk at a
    time: the caller that keeps only what it needs of each (a surrogate keeps its encoded
    params) never holds every trial's decoded params at once (60,000 of them took 120 MB); 500 rows
    at a time, as the advice's peak memory counts them (2,000 took 2.5 MB more, in no less time)."""
    rows = _counted(study).filter(state=Trial.State.COMPLETE).order_by("number").values_list(*_ROW)
    for row in rows.iterator(chunk_size=500):
        yield TrialRow(**dict(zip(_ROW, row))).record()


def n_infeasible(study):
    """How many complete trials that count broke a constraint."""
    return _counted(study).filter(state=Trial.State.COMPLETE, feasible=False).count()


def latest_errors(study, limit):
    """(how many of the study's trials failed, the errors of the latest `limit` of them, newest
    first). The count is the study's tally's (`summarize`), so a study with no failure reads no
    trial, and one with failures only the latest few of them."""
    n_failed = summarize(study).n_failed
    if not n_failed:
        return 0, []
    failed = Trial.objects.filter(study=study, state=Trial.State.FAILED).order_by("-number")
    return n_failed, list(failed.values_list("error", flat=True)[:limit])


def complete_value_range(study):
    """(lowest, highest) value of the study's complete trials that count, (None, None) with none."""
    found = _counted(study).filter(state=Trial.State.COMPLETE).aggregate(low=Min("value"), high=Max("value"))
    return found["low"], found["high"]


def complete_values(study):
    """The value to plot of every complete trial that has one (a multi-objective trial's first
    objective), in number order, without reading any params."""
    trials = _counted(study).filter(state=Trial.State.COMPLETE).order_by("number")
    if len(study.directions) == 1:
        return list(trials.filter(value__isnull=False).values_list("value", flat=True))
    return [values[0] for values in trials.values_list("values", flat=True) if values]


def complete_objectives(study):
    """(numbers, values) of every complete trial with a value for each objective, in number
    order, without reading any params: what the hypervolume history needs."""
    n = len(study.directions)
    trials = _counted(study).filter(state=Trial.State.COMPLETE).order_by("number").values_list("number", "values")
    kept = [(number, values) for number, values in trials
            if values and len(values) == n and all(v is not None for v in values)]
    return [number for number, _ in kept], [values for _, values in kept]


def sample_complete_rows(study, limit):
    """At most `limit` complete trials with a value, in number order, and how many there are in all.

    The best `limit // 2` by the value to plot (a multi-objective trial's first objective),
    then an even spread of the rest by number, as `dashboard.plots.sample` chooses. Both are chosen in the database (an
    index for the best, a row number for the spread), so a chart of a 100,000-trial study
    reads a thousand or two trials, not all of them.
    """
    plotted = _counted(study).filter(state=Trial.State.COMPLETE)
    if len(study.directions) == 1:
        plotted, objective = plotted.filter(value__isnull=False), F("value")
    else:
        objective = Cast(KeyTransform(0, "values"), FloatField())
        plotted = plotted.alias(first=objective).filter(first__isnull=False)
    # The header's count, kept per revision: counting here would scan every complete trial again.
    n_total = summarize(study).n_complete
    if n_total <= limit:
        return _rows(plotted.order_by("number")), n_total
    descending = bool(study.directions) and study.directions[0] == "maximize"
    best = plotted.order_by(objective.desc() if descending else objective.asc(), "number")[: limit // 2]
    best_pks = list(best.values_list("pk", flat=True))
    n_rest = n_total - len(best_pks)
    positions = {int(i) for i in np.linspace(1, n_rest, limit - len(best_pks)).round()}
    spread = plotted.exclude(pk__in=best_pks).annotate(position=Window(RowNumber(), order_by=F("number").asc()))
    spread = spread.filter(position__in=sorted(positions))
    pks = set(best_pks) | set(spread.values_list("pk", flat=True))
    return rows_with_params(pks), n_total


def rows_with_params(pks):
    """The trials with these ids as (number, state, value, values, params) rows, in number order."""
    rows = []
    pks = list(pks)
    for start in range(0, len(pks), _IDS_PER_QUERY):
        rows += _rows(Trial.objects.filter(pk__in=pks[start : start + _IDS_PER_QUERY]))
    return sorted(rows, key=lambda row: row.number)


def recent_complete_rows(study, limit):
    """The latest `limit` complete trials, in number order."""
    latest = _counted(study).filter(state=Trial.State.COMPLETE).order_by("-number")[:limit]
    return sorted(_rows(latest), key=lambda row: row.number)


def finished_rows(study, states=(Trial.State.COMPLETE, Trial.State.PRUNED), params=True):
    """Trials in the given finished states with their times, in number order; without their
    params (None) when `params` is False, which spares decoding every trial's JSON."""
    columns = _TIMED_ROW if params else tuple(column for column in _TIMED_ROW if column != "params")
    return _rows(_counted(study).filter(state__in=states).order_by("number"), columns)


class SummaryFacts(NamedTuple):
    """What the summary's sentences say of a study's finished trials that count (complete and
    pruned), counted and chosen in the database (`summary_facts`) or from rows
    (`summary.facts_of`), the same either way.

    "Complete" here means complete with a finite value; `n_complete` of them met every limit.
    """

    n_scored: int = 0  # complete with a finite value
    n_complete: int = 0  # ... and within every limit: the ones that may be the best
    best: TrialRow | None = None  # the best of those (the lowest number among equals)
    first: tuple = ()  # the first `n_first` of those by number
    ranked: tuple = ()  # the best `share` of those (at least `minimum`), best first, with params
    n_since_best: int = 0  # of those, how many came after the best
    n_pruned: int = 0
    typical_s: float | None = None  # the median duration of the latest complete trials (any value)
    saved_s: float = 0.0  # what the pruned trials saved: each one's shortfall on typical_s
    n_multi: int = 0  # complete trials with their values (several objectives)


def _finite_value():
    # An imported Optuna trial may carry an infinite value; NaN compares above every number on
    # PostgreSQL, so the upper bound leaves it out too.
    return Q(value__isnull=False, value__gt=float("-inf"), value__lt=float("inf"))


def summary_facts(study, direction, n_first, share, minimum, n_typical, names=None):
    """`SummaryFacts` of a study, counted in the database: a few aggregate and bounded queries,
    however many trials it has, where reading every finished trial of a 100,000-trial study
    took a second or more.

    Args:
        study: The study.
        direction: "minimize" or "maximize"; None for several objectives (then only the
            counts and the pruned trials' figures are read).
        n_first: How many first trials `first` holds.
        share: The share of the complete trials `ranked` holds ...
        minimum: ... and at least this many; none below it.
        n_typical: How many of the latest complete trials the typical duration is the median of.
        names: Parameter names in the order a reader of `ranked` tries them, or None. Given,
            each ranked row's params hold only the first of them that every ranked row has
            (none when no name is in all): decoding every param of the best tenth of a
            100,000-trial study (6,000 JSON objects) cost more than the rest of the summary.
    """
    if names is not None and direction == _summary_direction(study) and len(names) <= tally.MAX_NAMES:
        return _tallied_facts(study, direction, n_first, share, minimum, n_typical, tuple(names))
    finished = _counted(study).filter(state__in=(Trial.State.COMPLETE, Trial.State.PRUNED))
    eligible = Q(state=Trial.State.COMPLETE) & _finite_value() & _is_feasible()
    order = F("value").desc() if direction == "maximize" else F("value").asc()
    counts = fact_counts(study, direction)
    typical_s, saved_s = _pruned_savings(finished, counts["n_pruned"], n_typical)
    facts = SummaryFacts(n_scored=counts["n_scored"], n_complete=counts["n_complete"], n_pruned=counts["n_pruned"],
                         typical_s=typical_s, saved_s=saved_s, n_multi=counts["n_multi"])
    if direction is None or not facts.n_complete:
        return facts
    n_best = max(minimum, math.ceil(share * facts.n_complete)) if facts.n_complete >= minimum else 0
    # The best trial is the first of the best share (read alone when there are too few for a share).
    best_first = finished.filter(eligible).order_by(order, "number")
    if names is None:
        ranked = _rows(best_first[: max(n_best, 1)], ("number", "value", "params"))
    else:
        ranked = _ranked_with_one_param(best_first, max(n_best, 1), n_best, names)
    first = _rows(finished.filter(eligible).order_by("number")[:n_first], ("number", "value"))
    return facts._replace(best=ranked[0], first=tuple(first), ranked=tuple(ranked[:n_best]),
                          n_since_best=counts.get("n_since_best", 0))


def _tallied_facts(study, direction, n_first, share, minimum, n_typical, names):
    """`summary_facts` from the study's tally (the same facts, folded forward rather than read)."""
    found = _tally(study, (n_first, n_typical, names, share, minimum))
    parts = found.parts
    counts = {name.removeprefix("facts_"): value for name, value in found.figures.items() if name.startswith("facts_")}
    typical_s, saved_s = tally.durations(parts, counts["n_pruned"])
    facts = SummaryFacts(n_scored=counts["n_scored"], n_complete=counts["n_complete"], n_pruned=counts["n_pruned"],
                         typical_s=typical_s, saved_s=saved_s, n_multi=counts["n_multi"])
    if direction is None or not facts.n_complete:
        return facts
    n_best = tally.n_best(facts.n_complete, share, minimum)
    name = parts.name
    ranked = [TrialRow(number=number, value=value, params={name: chosen} if name is not None else {})
              for number, value, chosen, _ in parts.ranked[: max(n_best, 1)]]
    first = tuple(TrialRow(number=number, value=value) for number, value in parts.first)
    return facts._replace(best=ranked[0], first=first, ranked=tuple(ranked[:n_best]),
                          n_since_best=counts.get("n_since_best", 0))


def fact_counts(study, direction):
    """The counts of `summary_facts` alone (``n_scored``, ``n_complete``, ``n_pruned``,
    ``n_multi`` and, with a direction, ``n_since_best``): in the study's own direction the
    figures `summarize` keeps per revision, so no trial is read when they are cached."""
    found = vars(summarize(study)) if direction == _summary_direction(study) else \
        Trial.objects.filter(study=study).aggregate(**_fact_counts(study, direction))
    return {name.removeprefix("facts_"): value for name, value in found.items() if name.startswith("facts_")}


def _ranked_with_one_param(best_first, n_read, n_best, names):
    """The first `n_read` of `best_first` as rows whose params hold only the first of `names`
    that each of the first `n_best` has (empty params when none is in all of them)."""
    top = best_first[:n_read]
    name = None
    if n_best and names:
        # How many of the best have each name, in one query.
        found = best_first[:n_best].aggregate(
            **{f"n_{i}": Count("pk", filter=Q(params__has_key=n)) for i, n in enumerate(names)})
        name = next((n for i, n in enumerate(names) if found[f"n_{i}"] == n_best), None)
    if name is None:
        return [TrialRow(number=number, value=value, params={}) for number, value in top.values_list("number", "value")]
    rows = top.annotate(chosen=_KeyValue(name, "params")).values_list("number", "value", "chosen")
    return [TrialRow(number=number, value=value, params={name: chosen}) for number, value, chosen in rows]


class _KeyValue(KeyTransform):
    """A key's value in a JSON column, read back as stored on SQLite too, where `KeyTransform`
    hands a string back unquoted and Django then reads the choice "1" as the number 1."""

    def as_sqlite(self, compiler, connection):
        lhs, params, key_transforms = self.preprocess_lhs(compiler, connection)
        path = compile_json_path(key_transforms)
        sql = (f"(CASE JSON_TYPE({lhs}, %s) WHEN 'text' THEN JSON_QUOTE(JSON_EXTRACT({lhs}, %s)) "
               f"WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE JSON_EXTRACT({lhs}, %s) END)")
        return sql, (*params, path) * 3


def _pruned_savings(finished, n_pruned, n_typical):
    """(the median duration of the latest `n_typical` complete trials in seconds, or None when
    none has its times; the seconds the pruned trials saved against it: each one's shortfall, a
    pruned trial without times counting 0 s)."""
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    timed = finished.filter(state=Trial.State.COMPLETE, started_at__isnull=False, finished_at__isnull=False)
    # The latest by number (an index), not all: sorting every duration of a 100,000-trial study
    # cost more than the rest of the summary, for a figure the sentence gives as "about".
    latest = list(timed.annotate(duration=duration).order_by("-number").values_list("duration", flat=True)[:n_typical])
    if not latest:
        return None, 0.0
    typical = timedelta(seconds=statistics.median(d.total_seconds() for d in latest))
    if not n_pruned:
        return typical.total_seconds(), 0.0
    shorter = finished.filter(state=Trial.State.PRUNED).annotate(duration=duration)
    found = shorter.aggregate(
        n_untimed=Count("pk", filter=Q(duration__isnull=True)),
        n_short=Count("pk", filter=Q(duration__lt=typical)), total=Sum("duration", filter=Q(duration__lt=typical)))
    total = found["total"] or timedelta(0)
    saved = (found["n_untimed"] + found["n_short"]) * typical - total
    return typical.total_seconds(), max(0.0, saved.total_seconds())


def ranked_rows(study, limit):
    """The best `limit` complete trials that count of a single-objective study, best first,
    feasible or not (the report marks those that broke a constraint), each with its metrics,
    attrs, constraints and pk; empty for several objectives."""
    if len(study.directions) != 1:
        return []
    order = "-value" if study.directions[0] == "maximize" else "value"
    trials = _counted(study).filter(state=Trial.State.COMPLETE, value__isnull=False)
    return _rows(trials.order_by(order, "number")[:limit], _TABLE_ROW)


def rows_numbered(study, numbers):
    """The study's trials with these numbers, as full rows (metrics, attrs, constraints, pk), in number order."""
    numbers = list(numbers)
    rows = []
    for start in range(0, len(numbers), _IDS_PER_QUERY):
        chunk = Trial.objects.filter(study=study, number__in=numbers[start : start + _IDS_PER_QUERY])
        rows += _rows(chunk, _TABLE_ROW)
    return sorted(rows, key=lambda row: row.number)


def n_constraints(study):
    """How many constraints the study's trials give (the first that gave any fixed it), or None."""
    found = Trial.objects.filter(study=study, constraints__isnull=False).values_list("constraints", flat=True).first()
    return None if found is None else len(found)


def metric_rows(study, name):
    """Complete trials that recorded metric `name`, in number order, each with only that metric read."""
    trials = _counted(study).filter(state=Trial.State.COMPLETE, metrics__has_key=name)
    trials = trials.annotate(metric=Cast(KeyTextTransform(name, "metrics"), FloatField())).order_by("number")
    return [TrialRow(number, Trial.State.COMPLETE, value, values, metrics={name: metric})
            for number, value, values, metric in trials.values_list("number", "value", "values", "metric")]


def complete_count(study):
    """The number of complete trials that count, and a fingerprint of the excluded ones (one query).

    Returns:
        (n_complete, exclusions): `exclusions` changes whenever a trial is excluded or included
        again (their count, the latest exclusion's time, the sum of their numbers), so a result
        cached under it is never read with another set of trials.
    """
    return _complete_count_of(Trial.objects.filter(study=study).aggregate(**_complete_count_figures()))


def counted_complete(study):
    """`complete_count`, from the figures `summarize` keeps per study revision (no scan of the
    trials when the revision's figures are cached)."""
    return _complete_count_of(vars(summarize(study)))


def _complete_count_figures():
    excluded = Q(excluded_at__isnull=False)
    return {"n_complete_counted": Count("pk", filter=Q(state=Trial.State.COMPLETE, excluded_at__isnull=True)),
            "n_excluded": Count("pk", filter=excluded), "excluded_latest": Max("excluded_at"),
            "excluded_numbers": Sum("number", filter=excluded)}


def _complete_count_of(found):
    latest = found["excluded_latest"].timestamp() if found["excluded_latest"] else 0
    return found["n_complete_counted"], (found["n_excluded"], latest, found["excluded_numbers"] or 0)


def complete_revision(study):
    """(count, latest revision) of the study's complete trials, in one query: a pair that changes
    whenever a trial completes, a complete trial changes or one goes, and not when others run."""
    found = Trial.objects.filter(study=study, state=Trial.State.COMPLETE).aggregate(n=Count("pk"), last=Max("revision"))
    return found["n"], found["last"] or 0


def timeline_rows(study, limit):
    """The latest `limit` started trials, latest first.

    Latest by number: trials start in the order they were asked for, near enough, and the
    number has an index, where sorting a 100,000-trial study by start time takes a second.
    """
    started = _counted(study).filter(started_at__isnull=False).order_by("-number")[:limit]
    return _rows(started, _TIMED_ROW)


def n_started(study):
    return _counted(study).filter(started_at__isnull=False).count()


def curve_rows(study, limit):
    """The trials whose learning curves are worth drawing, in number order.

    The best `limit // 2` complete trials, and the latest trials of any state for the rest,
    so both the winners and what is happening now are on the chart.
    """
    with_reports = _counted(study).filter(_has_reports())
    order = "-value" if study.directions and study.directions[0] == "maximize" else "value"
    best = _rows(with_reports.filter(state=Trial.State.COMPLETE).order_by(order)[: limit // 2], _TIMED_ROW)
    chosen = {row.pk: row for row in best}
    for row in _rows(with_reports.order_by("-number")[:limit], _TIMED_ROW):
        if len(chosen) >= limit:
            break
        chosen.setdefault(row.pk, row)
    return sorted(chosen.values(), key=lambda row: row.number)


def n_trials_with_reports(study):
    return _counted(study).filter(_has_reports()).count()


def _has_reports():
    # A semi-join (an index probe per trial), where joining the reports and taking the distinct
    # trials sorted a million report rows of a 100,000-trial study (20 s on PostgreSQL).
    return Exists(TrialReport.objects.filter(trial=OuterRef("pk")))


def reports_of(trial_ids):
    """trial id -> [(step, value), ...] for the given trials, in step order (one query)."""
    by_trial = {}
    rows = TrialReport.objects.filter(trial_id__in=trial_ids).order_by("trial_id", "step")
    for trial_id, step, value in rows.values_list("trial_id", "step", "value"):
        by_trial.setdefault(trial_id, []).append((step, value))
    return by_trial


def trial_reports(trial):
    """[(step, value), ...] of one trial, in step order."""
    return list(TrialReport.objects.filter(trial=trial).order_by("step").values_list("step", "value"))


def table_page(study, numeric, state=None, ranges=None, sort="number", descending=False, offset=0, limit=50,
               texts=None, choices=None, hide_infeasible=False):
    """One page of the trial table, and the number of trials that pass the filters.

    `numeric` names the int and float parameters. `ranges` maps one of them, "value" or
    "metrics.<name>" to (low, high), either end None for open. `sort` is a column of
    TABLE_COLUMNS, "params.<name>", "metrics.<name>" or "attrs.<key>". `texts` maps an attr's
    key to text its value must contain (any case). `choices` maps a categorical parameter to
    the choices (as in the search space) a trial's value must be one of. `hide_infeasible` leaves
    out the trials that broke a constraint.
    """
    trials = Trial.objects.filter(study=study)
    if hide_infeasible:
        trials = _feasible(trials)
    if state in Trial.State.values:
        trials = trials.filter(state=state)
    for name, (low, high) in (ranges or {}).items():
        trials = _in_range(trials, name, low, high)
    for i, (key, text) in enumerate((texts or {}).items()):
        trials = trials.alias(**{f"t_{i}": KeyTextTransform(key, "attrs")}).filter(**{f"t_{i}__icontains": text})
    for i, (name, picked) in enumerate((choices or {}).items()):
        # Compared as JSON, so the choice 1 never matches "1" and true never matches 1.
        alias = f"c_{i}"
        trials = trials.alias(**{alias: KeyTransform(name, "params")})
        trials = trials.filter(reduce(operator.or_, (Q(**{alias: choice}) for choice in picked), Q(pk__in=[])))
    trials = trials.annotate(duration=F("finished_at") - F("started_at"))
    key = _sort_key(sort, numeric)
    ordering = [key.desc(nulls_last=True) if descending else key.asc(nulls_last=True), "number"]
    filtered = hide_infeasible or ranges or texts or choices
    # Unfiltered (or by state only), the count is the header's, kept per revision: counting here
    # scanned every trial of the study again, most of what page 1 of a 100,000-trial study cost.
    # Filtered, it is kept per revision and filters, for the next page and the next sort.
    n_total = _n_filtered(study, trials, [state, ranges, texts, choices, hide_infeasible]) if filtered \
        else _n_in_state(study, state)
    # Past the last row there is nothing to fetch, and an offset wider than the database's
    # integers (?page=10**20) must not reach it.
    rows = _rows(trials.order_by(*ordering)[offset : offset + limit], _TABLE_ROW) if offset < n_total else []
    return rows, n_total


def _n_filtered(study, trials, filters):
    picked = json.dumps(filters, sort_keys=True)  # user text: hashed, the key stays short and plain
    key = cache_key(study, "table", study.revision, hashlib.sha256(picked.encode()).hexdigest()[:32])
    found = cache.get(key)
    if found is None:
        found = trials.count()
        cache.set(key, found, timeout=600)
    return found


def _n_in_state(study, state):
    counts = state_counts(summarize(study))
    return counts[state] if state in counts else sum(counts.values())


def _in_range(trials, name, low, high):
    if name == "value":
        field = "value"
    else:
        # An alias of its own per filter; a metric's name is any text, so it is not part of it.
        alias = f"r_{len(trials.query.annotations)}"
        trials = trials.alias(**{alias: _number_of(name)})
        field = alias
    if low is not None:
        trials = trials.filter(**{f"{field}__gte": low})
    if high is not None:
        trials = trials.filter(**{f"{field}__lte": high})
    return trials


def _number_of(name):
    if name.startswith("metrics."):
        # KeyTextTransform takes the name whole: KT("metrics__a__b") would read a path.
        return Cast(KeyTextTransform(name.removeprefix("metrics."), "metrics"), FloatField())
    return Cast(KT(f"params__{name}"), FloatField())


def _sort_key(sort, numeric):
    if sort.startswith("metrics."):
        return _number_of(sort)
    if sort.startswith("attrs."):
        return KeyTextTransform(sort.removeprefix("attrs."), "attrs")
    if sort.startswith("params."):
        name = sort.removeprefix("params.")
        # Numbers sort as numbers, choices as text; casting a choice to a number would fail on PostgreSQL.
        return Cast(KT(f"params__{name}"), FloatField()) if name in numeric else KT(f"params__{name}")
    if sort == "duration_s":
        return F("duration")
    return F(sort if sort in TABLE_COLUMNS else "number")


def export_rows(study):
    """Every trial of the study with its error, constraints, metrics and attrs, streamed from the database
    in chunks; an excluded trial too, with when and why it was excluded."""
    columns = ("number", "state", "value", "values", "params", "started_at", "finished_at", "worker", "error",
               "excluded_at", "exclusion_reason", "constraints", "feasible", "metrics", "attrs")
    rows = Trial.objects.filter(study=study).order_by("number").values_list(*columns)
    return columns, rows.iterator(chunk_size=2000)


# ---- what the engine reads --------------------------------------------------------------


def trial_records(study, with_reports_up_to=None):
    """Every trial of the study that counts, as an immutable TrialRecord, in number order.

    An excluded trial is not in it: the sampler and the pruner must not learn from a result a
    person ruled out. Intermediate values are loaded only when a pruner needs them, and only up
    to the given step.
    """
    rows = _counted(study).order_by("number").values_list(
        "pk", "number", "params", "state", "value", "values", "constraints"
    )
    intermediate = _intermediate_by_trial(study, with_reports_up_to) if with_reports_up_to is not None else {}
    return tuple(
        TrialRecord(number=number, params=params, state=_ENGINE_STATE.get(state, state), value=value,
                    values=tuple(values) if values is not None else None, intermediate=intermediate.get(pk, {}),
                    constraints=tuple(constraints) if constraints is not None else None)
        for pk, number, params, state, value, values, constraints in rows
    )


def _intermediate_by_trial(study, max_step):
    by_trial = {}
    reports = TrialReport.objects.filter(trial__study_id=study.pk, trial__excluded_at__isnull=True,
                                         step__lte=max_step).values_list(
        "trial_id", "step", "value"
    )
    for trial_id, step, value in reports:
        by_trial.setdefault(trial_id, {})[step] = value
    return by_trial


def search_space_of(study):
    """The study's search space as the engine's value object."""
    return SearchSpace.from_json(study.search_space)


def sampler_of(study):
    """The study's sampler, built from its stored settings."""
    return make_sampler(study.sampler, seed=study.seed)


def pruner_of(study):
    """The study's pruner, or None when it has none."""
    return make_pruner(study.pruner)


def stop_rules_of(study):
    """The study's stop rules (an engine `StopRules`; `.any` is False when it has none)."""
    return StopRules.from_json(study.stop_rules or {})


def budget_of(study):
    """The study's budget as the API shows and the wizard copies it: counts, then stop rules
    (null where unset; min_delta only with patience)."""
    rules = study.stop_rules or {}
    return {
        "n_trials": study.n_trials, "timeout_s": study.timeout_s, "parallelism": study.parallelism,
        "target": rules.get("target"), "patience": rules.get("patience"),
        "min_delta": rules.get("min_delta") if rules.get("patience") is not None else None,
        "regret_bound": rules.get("regret_bound"),
    }


def n_complete_by(study, moment):
    """How many of the study's own trials (none inherited) had completed by `moment`."""
    return (Trial.objects.filter(study=study, state=Trial.State.COMPLETE, finished_at__lte=moment)
            .exclude(origin=Trial.Origin.INHERITED).count())


def values_in_completion_order(study):
    """The complete trials' values that count (none a person excluded, none infeasible), in the order
    they completed (one column, one query). Inherited trials are left out: the stop rules judge what
    the study itself ran, so a parent that ran out of patience does not stop its child at once."""
    complete = _feasible(_counted(study)).filter(state=Trial.State.COMPLETE, value__isnull=False).exclude(
        origin=Trial.Origin.INHERITED)
    return list(complete.order_by("finished_at", "number").values_list("value", flat=True))


# ---- what is shared around a study -------------------------------------------------------


def members_of(study):
    """The members who accepted their invitation (pending ones would tell whether a username exists)."""
    return list(StudyMember.objects.filter(study=study, accepted_at__isnull=False).select_related("user")
                .order_by("user__username"))


def invitations_of(user):
    """The user's invitations not yet accepted, newest first, each with its study and the study's owner."""
    return list(StudyMember.objects.filter(user=user, accepted_at__isnull=True).select_related("study__owner")
                .order_by("-created_at", "-pk"))


def share_links_of(study):
    """Every share link of the study, newest first (revoked and expired ones too), with when each
    was last opened, including an opening the reconciler has not written yet."""
    links = ShareLink.objects.filter(study=study).select_related("created_by").order_by("-created_at")
    return usage.with_noted(links, "last_opened_at")


def artifacts_of(trial):
    """The files attached to a trial, oldest first."""
    return list(Artifact.objects.filter(trial=trial).order_by("created_at", "pk"))


def artifacts_by_trial(trial_pks):
    """The files attached to these trials, in one query per 900 trials: {trial pk: [Artifact]},
    oldest first, each with only its name, size and content type read."""
    found = {}
    pks = list(trial_pks)
    for start in range(0, len(pks), _IDS_PER_QUERY):
        chunk = (Artifact.objects.filter(trial_id__in=pks[start : start + _IDS_PER_QUERY])
                 .order_by("created_at", "pk").only("pk", "trial_id", "name", "size", "content_type"))
        for artifact in chunk:
            found.setdefault(artifact.trial_id, []).append(artifact)
    return found


def notes_of(study, trial=None):
    """The study's notes (its own and its trials'), or only one trial's note."""
    notes = Note.objects.filter(study=study).select_related("trial", "updated_by")
    if trial is not None:
        notes = notes.filter(trial=trial)
    return list(notes.order_by("trial__number"))


def latest_model_export(study):
    """The study's most recent model export in any state, or None, with `is_best`: whether its
    trial is still the study's best. Reading repairs nothing (the reconciler does)."""
    export = (ModelExport.objects.filter(study=study).select_related("study", "trial", "requested_by")
              .order_by("-pk").first())
    if export is not None:
        best = best_trial(study)
        export.is_best = best is not None and best.pk == export.trial_id
    return export


def ready_model_export(study):
    """The study's most recent ready export (what downloads serve, even if the best changed), or None."""
    return ModelExport.objects.filter(study=study, state=ModelExport.State.READY).order_by("-pk").first()


# ---- what a result is measured against -------------------------------------------------


def baseline_of(study):
    """The ready baseline of the study's data and metric, as ``{"value", "cv_std", "strategy"}``, or None.

    Also None while a worker computes it, when it failed, and for studies without a built-in model.
    """
    row = _baseline_row(study)
    return {"value": row.value, "cv_std": row.cv_std, "strategy": row.strategy} if row else None


def _baseline_row(study):
    key = Baseline.key_of(study.objective)
    if key is None:
        return None
    return Baseline.objects.filter(**key, state=Baseline.State.READY).first()


def leaderboard_trials(study):
    """The complete trials as the leaderboard and the ensemble read them: mappings with
    ``number``, ``params``, ``value``, ``state`` and ``details``, in number order."""
    trials = _feasible(_counted(study)).filter(state=Trial.State.COMPLETE, value__isnull=False).order_by("number")
    return list(trials.values("number", "params", "value", "state", "details"))


def ensemble_of(study):
    """The study's ensemble as the leaderboard shows it, or None until a worker has evaluated it (and
    once one of its members is excluded).

    Returns:
        ``{"members", "value", "cv_mean", "cv_std", "fit_time_s", "best_trial", "best_value",
        "beats"}``: ``members`` are trial numbers, best first; ``beats`` says whether it is
        offered as the result.
    """
    row = Ensemble.objects.filter(study=study, state=Ensemble.State.READY).first() if _chooses_model(study) else None
    # An average that takes in a trial excluded since is no result any more.
    if row is None or _counted(study).filter(number__in=row.members).count() != len(row.members):
        return None
    details = row.details or {}
    return {"members": row.members, "value": row.value, "cv_mean": details.get("cv_mean"),
            "cv_std": details.get("cv_std"), "fit_time_s": details.get("fit_time_s"),
            "best_trial": row.best_trial, "best_value": row.best_value, "beats": row.beats}


def ensemble_state(study):
    """The state of the study's ensemble job ("queued", "running", "ready", "failed"), or None when it has none."""
    return Ensemble.objects.filter(study=study).values_list("state", flat=True).first()


def leaderboard(study):
    """The best trial of each model family, best first, with the ensemble and the baseline.

    Returns:
        What `objectives.build_leaderboard` returns; no families for a study without a
        built-in model or with several objectives.
    """
    estimator = study.objective.get("estimator") if study.objective.get("kind") == "sklearn" else None
    if estimator is None or study.direction is None:
        return {"families": [], "ensemble": None, "baseline": baseline_of(study)}
    return objectives.build_leaderboard(leaderboard_trials(study), study.direction, estimator,
                                        ensemble=ensemble_of(study), baseline=baseline_of(study))


def results_pending(study):
    """Whether workers may still add to a built-in study's result: trials still to finish, or its
    baseline or ensemble queued or running. Never for studies without a built-in model."""
    key = Baseline.key_of(study.objective)
    if key is None:
        return False
    if study.state not in Study.FINISHED_STATES:
        return True
    if Baseline.objects.filter(**key, state__in=Baseline.PENDING_STATES).exists():
        return True
    return _chooses_model(study) and Ensemble.objects.filter(study=study, state__in=Ensemble.PENDING_STATES).exists()


def _chooses_model(study):
    """Whether the study lets Tuner choose the model family, so it may have an ensemble."""
    return study.objective.get("kind") == "sklearn" and objectives.is_auto(study.objective.get("estimator"))


def winning_ensemble(study):
    """The members and params of the study's ensemble when it beats the best trial, else None (also
    when one of its members was excluded since).

    Returns:
        ``{"members": [(number, params), ...], "value"}``, best first.
    """
    row = Ensemble.objects.filter(study=study, state=Ensemble.State.READY, beats=True).first() \
        if _chooses_model(study) else None
    if row is None:
        return None
    params = dict(_counted(study).filter(number__in=row.members).values_list("number", "params"))
    if len(params) != len(row.members):
        return None
    return {"members": [(number, params[number]) for number in row.members], "value": row.value}


def result_facts(study):
    """What wording the study's result needs beyond its trials: the baseline with the target's
    classes, and the dataset's name. None until the baseline is ready."""
    row = _baseline_row(study)
    if row is None:
        return None
    return {"baseline": {"value": row.value, "cv_std": row.cv_std, "strategy": row.strategy},
            "roles": row.roles or {}, "dataset_name": dataset_name(study.objective) or "the uploaded file",
            "target": study.objective.get("target") or "target"}


def dataset_name(objective):
    """The name of a sklearn objective's data as people know it: the uploaded file's name (or the
    name given at upload), or the bundled dataset's; None for other objectives and deleted files."""
    reference = str(objective.get("dataset", "")) if objective.get("kind") == "sklearn" else ""
    if not reference.startswith("csv:"):
        return reference or None
    return Dataset.objects.filter(pk=int(reference.removeprefix("csv:"))).values_list("name", flat=True).first()


def latest_explanation(study):
    """The study's most recent explanation of its best model in any state, or None."""
    return Explanation.objects.filter(study=study).select_related("trial").order_by("-pk").first()


# ---- re-checks ----------------------------------------------------------------------------


def top_trials(study, k):
    """The `k` best complete trials that count, best first (ties: the lower number), as rows with
    number, value, params and pk; empty for a multi-objective study."""
    if len(study.directions) != 1:
        return []
    order = "value" if study.directions[0] == "minimize" else "-value"
    best = _counted(study).filter(state=Trial.State.COMPLETE, value__isnull=False).order_by(order, "number")[:k]
    return [TrialRow(number=number, value=value, params=params, pk=pk)
            for number, value, params, pk in best.values_list("number", "value", "params", "pk")]


def latest_recheck(study):
    """The study's most recent re-check in any state, or None."""
    return Recheck.objects.filter(study=study).order_by("-pk").first()


def trial_values(study, numbers):
    """The state and value of some of the study's trials: {number: (state, value)}."""
    rows = Trial.objects.filter(study=study, number__in=list(numbers)).values_list("number", "state", "value")
    return {number: (state, value) for number, state, value in rows}
