"""Quick trials handed to a worker several at a time, and their outcomes recorded together.

A worker whose trials run in milliseconds spends most of each trial on the database: the tell
and the next trial's creation are a locked transaction of several round trips, and the study's
other workers queue for that lock. So when a worker's last trials were quick (as measured,
whatever the objective), the tell that frees its slot hands it the study's next trial running
plus a few reserved behind it (`scheduling.top_up`), enough for about TUNER_TRIAL_BATCH_MS of
work; the worker runs them one after another in its one slot and tells them all in one locked
transaction (`tell_batch`), which hands it the next batch. A trial that takes more than half
of that time is never batched: it runs and is told alone, as before.

What holds for one trial at a time holds for a batch:
- parallelism: only the batch's first trial is running; the reserved ones wait in its slot
  (see scheduling.RESERVED), so a worker holds one slot however many trials it was handed;
- the budget: reserved trials are trials of the study, counted against n_trials when made;
- pause, stop and delete: a pause gives the reserved trials back and a stop stops them, like
  any waiting trial, so a reserved trial run after either is not recorded; between its trials
  the worker asks whether to go on (`is_still_reserved`) as often as it asks within a long
  trial, and when not, tells what it ran and gives the rest back;
- a worker that dies: reserved trials hold a lease, renewed with the batch's heartbeats; the
  reaper gives back the silent ones, to wait for a slot with no attempt charged (as far as the
  database knows, they never ran), and re-runs the running one as usual. A trial evaluated but
  not yet told when its worker died runs again, as a lone trial killed before its tell does;
- the sampler sees every reserved trial as pending, and every batch's results before the next;
- a reserved trial reports intermediate values and is pruned like a running one.
"""

import logging
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models.functions import Now

from studies.models import Study, Trial

from . import scheduling, stopping
from .errors import Conflict
from .locks import locked_study
from .scheduling import HELD_BY_A_WORKER, RESERVED
from .trials import set_outcome

log = logging.getLogger(__name__)


class Told(NamedTuple):
    """One outcome of a batch, as its worker ran it: `fields` are the objective's tell fields
    (details, metrics, constraints); `started_at` and `finished_at` by the worker's clock."""

    trial: Trial
    state: str
    value: float | None
    error: str
    fields: dict
    started_at: object
    finished_at: object


def batch_size(durations_s):
    """How many trials to hand a worker whose last trials took `durations_s` seconds each.

    Enough for about TUNER_TRIAL_BATCH_MS milliseconds of work by the slowest of them, at most
    TUNER_TRIAL_BATCH_MAX; 1 (no batch) when it took more than half of that, or there is none.

    Example:
        >>> batch_size([0.002, 0.004])              # doctest: +SKIP
        12
    """
    if not durations_s:
        return 1
    n = int(settings.TUNER_TRIAL_BATCH_MS / 1000 / max(max(durations_s), 1e-6))
    return max(1, min(n, settings.TUNER_TRIAL_BATCH_MAX))


def is_still_reserved(trial_id, worker):
    """Whether a reserved trial is still this worker's to run: its study runs, and nobody gave it
    back, stopped it or deleted it. One light query, before each reserved trial of a batch."""
    return Trial.objects.filter(RESERVED, pk=trial_id, worker=worker[:255], study__state=Study.State.RUNNING).exists()


def heartbeat_trials(trial_ids):
    """Note that the worker holding these trials (running, or reserved in its batch) is alive.

    Raises Conflict when it holds none of them any more (told, given back or reaped), and
    Trial.DoesNotExist when they were deleted.
    """
    if Trial.objects.filter(HELD_BY_A_WORKER, pk__in=trial_ids).update(heartbeat_at=Now()):
        return
    if not Trial.objects.filter(pk__in=trial_ids).exists():
        raise Trial.DoesNotExist(f"trials {list(trial_ids)} do not exist")
    raise Conflict("none of these trials is running or reserved any more")


def tell_batch(worker, told, unrun=(), n_next=0):
    """Record the outcomes of trials a worker ran, give back the reserved ones it did not run,
    and hand it its next trials: one locked transaction for the whole batch.

    Args:
        worker: The worker's name, as the trials were handed to it.
        told: `Told` outcomes in the order run, the batch's running trial first; a trial that
            is no longer the worker's (the reaper gave it up, the study was stopped) is skipped.
        unrun: The batch's reserved trials the worker did not run: they go back to wait for a
            slot, with the reports they made forgotten.
        n_next: How many trials to hand the worker next (the first running, the others
            reserved); 0 for none.

    Returns:
        The trials handed to the worker, each with its study set; [] when none: n_next is 0,
        there is no slot or budget, or a told trial was not the worker's any more (a tell
        repeated after a lost reply, a trial given up), when the queue takes over.

    Raises:
        Trial.DoesNotExist: the study was deleted.
        InvalidInput: an outcome is malformed (as `tell_trial`).
    """
    handed_ids = [each.trial.pk for each in told] + [trial.pk for trial in unrun]
    with locked_study(trial_id=handed_ids[0]) as study:
        rows = Trial.objects.select_for_update().in_bulk(handed_ids)
        recorded = [(rows[each.trial.pk], _recorded(study, rows[each.trial.pk], each, worker))
                    for each in told if each.trial.pk in rows]
        recorded = [(row, fields) for row, fields in recorded if fields]
        _update([row for row, _ in recorded], {field for _, fields in recorded for field in fields})
        scheduling.give_back(study, [rows[trial.pk] for trial in unrun
                                     if trial.pk in rows and _is_reserved_by(rows[trial.pk], worker)])
        if any(each.state == Trial.State.COMPLETE for each in told):
            stopping.stop_if_a_rule_says_so(study)
        all_ours = len(recorded) == len(told)
        handed = scheduling.top_up(study, worker if n_next and all_ours else "", _n_reserved(study, n_next))
    for trial in handed:
        trial.study = study
    return handed


def _n_reserved(study, n_next):
    # The sampler sees a batch's trials only as pending, never their results: so that a short
    # study's later trials still learn from its earlier ones, no more than a tenth of the budget
    # (TUNER_TRIAL_BATCH_BUDGET_SHARE) is handed out ahead across the study's slots: a 50-trial
    # study at 2 slots gets batches of 2, a 400-trial one of 16.
    if study.n_trials:
        share = settings.TUNER_TRIAL_BATCH_BUDGET_SHARE * study.n_trials / max(study.parallelism, 1)
        n_next = min(n_next, max(1, int(share)))
    return max(n_next - 1, 0)


def _recorded(study, row, told, worker):
    # The fields set on the row, or [] when the trial is not the worker's to tell any more.
    if row.state == Trial.State.RUNNING and row.attempts == told.trial.attempts:
        fields = set_outcome(study, row, told.state, told.value, told.error, **told.fields)
    elif _is_reserved_by(row, worker):
        fields = [*set_outcome(study, row, told.state, told.value, told.error, **told.fields), "started_at", "attempts"]
        row.started_at, row.attempts = told.started_at, 1
    else:
        log.info("trial %s finished on %s after it was taken back (it is %s); not recorded", row.pk, worker,
                 row.state)
        return []
    row.finished_at = told.finished_at
    return fields


def _update(rows, fields):
    """Write `fields` of every row in one round trip: one UPDATE statement run for each row
    (psycopg pipelines an executemany). Django's bulk_update builds a CASE per field and row,
    which took longer to compile than the database took to run it. The rows were read under
    the lock, so a field a row did not change is written back as it was."""
    if not rows:
        return
    columns = [Trial._meta.get_field(name) for name in sorted(fields)]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(Trial._meta.db_table)} SET {', '.join(f'{quote(c.column)} = %s' for c in columns)} "
           f"WHERE {quote(Trial._meta.pk.column)} = %s")
    params = [[c.get_db_prep_save(getattr(row, c.attname), connection) for c in columns] + [row.pk] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _is_reserved_by(row, worker):
    return row.state == Trial.State.WAITING and row.heartbeat_at is not None and row.worker == worker[:255]
