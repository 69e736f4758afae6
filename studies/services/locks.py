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
    written once, when the block ends.

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
    later = _Later() if outermost and connection.vendor == "postgresql" else None
    with ExitStack() as commit, transaction.atomic():
        if later is not None:
            commit.push(later.exit)  # after the COMMIT or the ROLLBACK
        study = _lock(study_id, trial_id, first_waiting, commit_without_waiting=outermost,
                      running_of_owner=running_of_owner and running is None, trial_query=trial_query)
        if running is not None:
            study.running_of_owner = running
        counters = (study.revision, study.next_number)
        study._locked, study._later = True, later
        try:
            yield study
        finally:
            study._locked, study._later = False, None
        if (study.revision, study.next_number) != counters:
            with _with_the_commit(later):
                Study.objects.filter(pk=study.pk).update(
                    revision=study.revision, next_number=study.next_number, updated_at=timezone.now()
                )
        elif later is not None and connection.run_on_commit:
            later.close()  # see _with_the_commit
    if outermost:
        _wait_for_disk()


@contextmanager
def answered_later(study):
    """Inside locked_study: send the block's statements without waiting for their answers.

    On PostgreSQL, in a transaction the lock's block opened, they go out at once (psycopg's
    pipeline mode) and their answers are read with the next statement of the block, which then
    costs the only round trip for all of them, or with the COMMIT: fewer waits while every asker
    of the study queues for the lock. The server runs them in order, so whatever follows reads
    what they wrote. Only for writes whose row count nobody reads (it is unknown until the answer
    comes): `QuerySet.update`, not `save`. An error in one is raised where the answers are read,
    the next statement or the commit, and the transaction rolls back. Elsewhere (SQLite, a block
    nested in an outer transaction) they run as usual.
    """
    later = getattr(study, "_later", None)
    if later is None:
        yield
        return
    with later.unanswered():
        yield


def insert_answered_later(study, obj):
    """Insert a new model instance inside locked_study as `answered_later` sends a statement: its
    id is set when the answers are read, at the latest as the block ends, for a caller that needs
    none before (the trial an ask hands out). Elsewhere an ordinary `save`."""
    later = getattr(study, "_later", None)
    if later is None:
        obj.save(force_insert=True)
        return
    with later.unanswered():
        later.readers.append(compiled.insert_sent(obj))


class _Later:
    """The pipeline of a locked block's statements sent by `answered_later`, open until the block's
    next statement (sent in it, and then the pipeline is left, which reads every answer in one
    round trip) or its COMMIT."""

    def __init__(self):
        self.pipeline = None
        self.depth = 0
        self.readers = []  # of answers, called once they are read

    @contextmanager
    def unanswered(self):
        self.open()
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def open(self):
        if self.pipeline is None:
            self.pipeline = connection.connection.pipeline()
            self.pipeline.__enter__()
            connection.execute_wrappers.append(self._execute)

    def _execute(self, execute, sql, params, many, context):
        if self.depth:
            return execute(sql, params, many, context)
        if getattr(context["cursor"].cursor, "name", None):
            self.close()  # a server-side cursor (a chunked read) does not run in a pipeline
            return execute(sql, params, many, context)
        try:
            result = execute(sql, params, many, context)
        except BaseException as error:
            self.close(error)
            raise
        self.close()
        return result

    def exit(self, error_type, error, traceback):
        self.close(error)

    def close(self, error=None):
        if self.pipeline is None:
            return
        pipeline, self.pipeline = self.pipeline, None
        connection.execute_wrappers.remove(self._execute)
        if error is not None:
            pipeline.__exit__(type(error), error, error.__traceback__)
            return
        with connection.wrap_database_errors:
            pipeline.__exit__(None, None, None)
        readers, self.readers = self.readers, []
        for read in readers:
            read()


@contextmanager
def _with_the_commit(later):
    # On PostgreSQL the statement of this block and the block's COMMIT go in one round trip
    # (with what answered_later sent before them): the server releases the row lock when it
    # reaches the COMMIT, instead of after this thread is back from the write and has got the
    # GIL again, a wait of milliseconds each when the process's other threads are busy. A failed
    # write aborts the COMMIT and is raised by it, and the transaction rolls back as before.
    # Not with commit hooks (tasks sent on commit): they run inside the atomic block's exit,
    # where queries must answer at once.
    if later is not None and connection.run_on_commit:
        later.close()
        later = None
    if later is None:
        yield
        return
    with later.unanswered():
        yield


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
