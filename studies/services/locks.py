"""The study row lock that serialises every change to a study's trials."""

from contextlib import ExitStack, contextmanager
from functools import partial

from django.db import connection, transaction
from django.db.models import CharField, Func, OuterRef, Subquery, Value
from django.db.models.functions import Now
from django.utils import timezone

from studies.models import Study, Trial

from . import caps, compiled

# set_config(name, value, is_local=true) is SET LOCAL: it lasts until the transaction ends.
_SET_LOCAL_ASYNC_COMMIT = Func(Value("synchronous_commit"), Value("off"), Value(True), function="set_config",
                               output_field=CharField())


@contextmanager
def locked_study(study_id=None, *, trial_id=None, first_waiting=False, running_of_owner=False, trial_query=None):
    """Open a transaction holding the study row lock and yield the study.

    Give the study's id, or `trial_id` to lock the study a trial belongs to (raises
    Trial.DoesNotExist when there is no such trial). With `first_waiting` on PostgreSQL,
    the lock query also reads `study.first_waiting_id`, the id of the study's waiting trial
    with the lowest number, or None (elsewhere the attribute is not set); read as the query
    began, before any wait for the lock, so a trial enqueued during that wait may be missed
    and one taken during it may no longer be waiting. With `running_of_owner` (and a study id),
    `study.running_of_owner` is how many trials the study's owner has running across all their
    studies, counted before the lock was taken: in the lock query on PostgreSQL (read as it
    began, like the first waiting trial), before the transaction elsewhere. With `trial_query`
    (and a trial id), the `(name, build)` of a query of that trial as `compiled.rows` takes it,
    `study.trial_rows` are its instances, read as soon as the lock is held; on PostgreSQL it is
    sent with the lock query, so it costs no round trip of its own under the lock.

    Every change to a study's trials happens inside this block: the lock makes trial
    numbers gapless, lets the sampler see every pending trial, and orders revisions.
    SQLite ignores FOR UPDATE, but our SQLite connections open IMMEDIATE transactions,
    which take the database write lock at BEGIN and so serialise the same way.

    Everything runs while other workers wait for the lock, so the block is kept to as few
    statements as possible: the lock query also reads the database clock
    (`study.db_now`), and the counters that `bump_revision` and new trials advance are
    written once, when the block ends; on PostgreSQL that write, and those the block made with
    `update_later` and `insert_later`, go in one message with the COMMIT (see `_Held`).

    On PostgreSQL the lock is not held while the commit waits for the disk: the block commits
    without waiting, which releases the lock at once, and then waits until the disk holds
    the commit (see `_wait_for_disk`) before handing back; so when the caller answers, its
    change is as durable as after an ordinary commit, and the askers of one study queue for
    the lock only for its statements, not for a disk flush each.
    """
    outermost = not connection.in_atomic_block
    running = None
    if running_of_owner and connection.vendor != "postgresql":
        running = caps.running_trials_of_owner(study_id, trial_id)  # not under SQLite's write lock
    held = _Held() if outermost and connection.vendor == "postgresql" else None
    with ExitStack() as cleanup, transaction.atomic():
        if held is not None:
            cleanup.callback(held.drop)  # what an error left unsent is never sent
        study = _lock(study_id, trial_id, first_waiting, commit_without_waiting=outermost,
                      running_of_owner=running_of_owner and running is None, trial_query=trial_query)
        if running is not None:
            study.running_of_owner = running
        counters = (study.revision, study.next_number)
        study._locked, study._held = True, held
        try:
            yield study
        finally:
            study._locked, study._held = False, None
        if (study.revision, study.next_number) != counters:
            update_later(held, Study.objects.filter(pk=study.pk), revision=study.revision,
                         next_number=study.next_number, updated_at=timezone.now())
        if held is not None:
            # Not with commit hooks (tasks sent on commit): they run inside the atomic block's
            # exit, after Django's own COMMIT.
            held.send(commit=not connection.run_on_commit)
    if outermost:
        _wait_for_disk()


def update_later(study, queryset, **values):
    """`queryset.update(**values)` inside locked_study, sent as late as it can be: see `_Held`.

    Its row count is not read. `study` is the locked study (or the block's `_Held`).
    """
    held = _held(study)
    if held is None:
        queryset.update(**values)
    else:
        held.hold(*compiled.update_statement(queryset, values))


def insert_later(study, obj):
    """Insert a new model instance inside locked_study, sent as late as it can be (see `_Held`):
    its id is set once the answer is read, at the latest as the block ends, for a caller that
    needs none before (the trial an ask hands out)."""
    held = _held(study)
    if held is None:
        obj.save(force_insert=True)
    else:
        held.hold(*compiled.insert_statement(obj))


def _held(study):
    return study if isinstance(study, _Held) else getattr(study, "_held", None)


class _Held:
    """A locked block's writes held back, on PostgreSQL, in a transaction the block opened, and
    sent together as one message, with the block's COMMIT when nothing else comes first.

    Every asker of the study queues for its lock, so the holder should not wait for the server
    while it holds it: each wait is a round trip, and after it the thread waits for its process's
    GIL (another thread has it, for up to its 5 ms switch interval) and for a core. Held writes
    cost no wait: the block's last writes (the told trial's outcome, the next trial, the study's
    counters) go out with the COMMIT in one message, which the server runs in order and which
    releases the lock when it reaches the COMMIT; the answer is read after that. A statement the
    block runs in the meantime sends what is held first, in order, so it reads what they wrote
    (one round trip for all). A held write that fails raises where they are sent; the rest of
    the message, COMMIT included, is not run, and the transaction rolls back. An error before
    they are sent drops them with the rest of the transaction. Their row counts are not read.
    """

    def __init__(self):
        self.statements = []  # (sql, params, read): read(cursor) takes the statement's answer

    def hold(self, sql, params, read=None):
        if not self.statements:
            connection.execute_wrappers.append(self._execute)
        self.statements.append((sql, params, read))
        if connection.queries_logged:  # logged as Django logs a statement it runs
            connection.queries_log.append({"sql": connection.ops.compose_sql(sql, params), "time": "0.000"})

    def _execute(self, execute, sql, params, many, context):
        self.send()
        return execute(sql, params, many, context)

    def send(self, commit=False):
        statements = self.drop()
        if not statements:
            return
        text = [connection.ops.compose_sql(sql, params) for sql, params, _ in statements]
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            # Client-side bound (as Django binds every statement) and sent as one simple query.
            cursor.execute("; ".join(text + ["COMMIT"] if commit else text))
            for _, _, read in statements:
                if read is not None:
                    read(cursor)
                cursor.nextset()

    def drop(self):
        statements, self.statements = self.statements, []
        if statements:
            connection.execute_wrappers.remove(self._execute)
        return statements


def _wait_for_disk():
    # The WAL is flushed in order: a small transaction committed synchronously returns once
    # the disk holds everything before it, our commit included (and several waiters share
    # one flush). The transactional message gives that transaction a WAL record to flush;
    # no reader decodes it.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_logical_emit_message(true, 'tuner', '')")


def _lock(study_id, trial_id, first_waiting=False, commit_without_waiting=False, running_of_owner=False,
          trial_query=None):
    postgresql = connection.vendor == "postgresql"
    # On SQLite a query is a call in process, not a round trip: nothing to fold into it there.
    shape = (trial_id is not None, commit_without_waiting and postgresql, first_waiting and postgresql,
             running_of_owner)
    lock = (("lock", *shape), partial(_lock_query, *shape), study_id if trial_id is None else trial_id)
    if trial_query is None:
        found = compiled.rows(*lock)
    else:
        found, trial_rows = compiled.rows_in_one_trip(lock, (*trial_query, trial_id))
        if found:
            found[0].trial_rows = trial_rows
    if found:
        return found[0]
    if trial_id is not None:
        raise Trial.DoesNotExist(f"trial {trial_id} does not exist")
    raise Study.DoesNotExist(f"study {study_id} does not exist")


def _lock_query(by_trial, commit_without_waiting, first_waiting, running_of_owner, key):
    # The clock rides along with the lock: the lease of a trial claimed here starts by the
    # database's time, shared by every machine, at no extra round trip.
    query = Study.objects.select_for_update(of=("self",)).annotate(db_now=Now())
    if commit_without_waiting:
        # `SET LOCAL synchronous_commit TO OFF` as a function, riding along with the lock query
        # too (it was a round trip of its own). Only for a transaction the block opens: an outer
        # one must keep its own commit, which _wait_for_disk cannot cover.
        query = query.annotate(_commit_setting=_SET_LOCAL_ASYNC_COMMIT)
    if first_waiting:
        waiting = Trial.objects.filter(study=OuterRef("pk"), state=Trial.State.WAITING).order_by("number")
        query = query.annotate(first_waiting_id=Subquery(waiting.values("pk")[:1]))
    if running_of_owner:
        query = query.annotate(running_of_owner=caps.running_trials_of_owner_expression())
    return query.filter(trials__pk=key) if by_trial else query.filter(pk=key)


def bump_revision(study):
    """Advance the study's change counter and return the new value.

    Only inside `locked_study`, which writes the counter when its block ends.
    """
    if not getattr(study, "_locked", False):
        raise RuntimeError("bump_revision needs the study from an open locked_study block")
    study.revision += 1
    return study.revision
