"""Ask, tell, report and enqueue: every change to a trial goes through here."""

from typing import NamedTuple

from django.db.models import Exists, OuterRef
from django.db.models.functions import Now
from django.utils import timezone

from studies.engine import GridExhausted, SearchSpaceError
from studies.models import Artifact, Study, Trial, TrialReport

from . import caps, read, reaper, scheduling, stopping, trial_extras
from . import constraints as trial_constraints
from .errors import Conflict, InvalidInput, ServiceError, TooMany
from .locks import bump_revision, locked_study, update_later
from .specs import is_finite_number
from .studies import STOPPED

TELL_STATES = (Trial.State.COMPLETE, Trial.State.PRUNED, Trial.State.FAILED)
# TrialReport.step is an integer column: 4 bytes on PostgreSQL, the narrower of our databases.
MAX_STEP = 2**31 - 1
# The request key of the trial a tell hands out with `tell_and_ask`, followed by the told trial's id.
NEXT_KEY = "after-trial-"


def ask_trial(study_id, worker="", request_key="", attrs=None):
    """Hand out the next trial of an external study and mark it running.

    Waiting trials that a person enqueued come first; otherwise the sampler suggests
    params, seeing every running trial. A created study starts on its first ask; a finished
    one hands out only its re-check trials (see `rechecks`). An ask repeated with the same
    request_key (the Idempotency-Key header) returns the same trial.
    `attrs` (the git commit, the machine's tags) are merged into the trial's, as at report and tell.
    Raises Conflict when the study is paused or finished, or its budget or grid is spent;
    InvalidInput for attrs past a cap.
    """
    request_key = _checked_key(request_key)
    attrs, _ = trial_extras.checked(attrs, None)
    # Counted before the lock, which every asker of the study queues for: the cap spans all
    # the owner's studies, which this study's lock does not cover anyway.
    with locked_study(study_id, first_waiting=True, running_of_owner=True) as study:
        return _hand_out(study, worker, request_key, attrs)


def _hand_out(study, worker, request_key, attrs, key_may_exist=True):
    # The ask inside the lock. Its refusals (Conflict, TooMany) come before any write but a
    # created study's start, so a caller that goes on after one (tell_and_ask) keeps its own writes.
    if request_key and key_may_exist:
        earlier = Trial.objects.filter(study=study, request_key=request_key).first()
        if earlier is not None:
            return earlier
    trial = _waiting_recheck(study)
    if trial is None:
        _check_can_ask(study)
        trial = _first_waiting(study)
    if trial is None:
        caps.check_room(study)
    # A trial enqueued by hand starts running here as much as a sampled one does.
    caps.check_running(study.running_of_owner)
    if trial is None:
        try:
            params = scheduling.sample_params(study)
        except GridExhausted:
            raise Conflict("grid exhausted: every point of the grid has been asked") from None
        # Born running: one INSERT, no second write to mark it.
        trial_extras.note_names(study, attrs, None)
        # Its id is needed only once the lock's block has ended: its INSERT goes with the COMMIT.
        return scheduling.create_trial(
            study, params, Trial.State.RUNNING, Trial.Origin.SAMPLER, id_later=True, attempts=1,
            request_key=request_key, attrs=attrs, **_lease(study, worker),
        )
    trial.request_key = request_key
    _mark_running(study, trial, worker, trial_extras.merge(study, trial, attrs, None))
    return trial


def _first_waiting(study):
    # The lock query saw no waiting trial, in the usual ask, and saves a round trip under the
    # lock; one it saw may have been taken while it waited, hence the state in the filter.
    waiting = Trial.objects.filter(study=study, state=Trial.State.WAITING)
    if not hasattr(study, "first_waiting_id"):
        return waiting.order_by("number").first()
    if study.first_waiting_id is None:
        return None
    return waiting.filter(pk=study.first_waiting_id).first() or waiting.order_by("number").first()


def _waiting_recheck(study):
    """A finished study's next re-check trial (see `rechecks`): handed out although the study
    takes no new trials, so the user's usual loop runs the re-check."""
    if study.state not in Study.FINISHED_STATES:
        return None
    return Trial.objects.filter(study=study, state=Trial.State.WAITING, origin=Trial.Origin.RECHECK
                                ).order_by("number").first()


def _checked_key(request_key):
    if len(request_key) > 128:
        raise InvalidInput.single("Idempotency-Key", "the Idempotency-Key header is longer than 128 characters")
    return request_key


def _check_can_ask(study):
    if not study.is_external:
        raise Conflict("this study runs on the workers; enqueue params with POST /api/studies/{id}/trials/ instead")
    if study.state == Study.State.CREATED:
        study.state = Study.State.RUNNING
        study.started_at = timezone.now()
        study.save(update_fields=["state", "started_at", "updated_at"])
    elif study.state == Study.State.COMPLETED:
        raise Conflict("budget exhausted: the study is completed")
    elif study.state != Study.State.RUNNING:
        # A study its stop rule ended says which rule, so the caller's loop can tell its user.
        why = stopping.stop_sentence(study) if study.state == Study.State.STOPPED else ""
        raise Conflict(f"the study is {study.state}; it hands out no trials" + (f". {why}" if why else ""))


def _lease(study, worker):
    # The lease starts by the database clock, shared by every machine (read with the lock).
    return {"started_at": study.db_now, "heartbeat_at": study.db_now, "worker": worker[:255]}


def _mark_running(study, trial, worker, merged=()):
    trial.state = Trial.State.RUNNING
    for field, value in _lease(study, worker).items():
        setattr(trial, field, value)
    trial.attempts += 1
    trial.revision = bump_revision(study)
    trial.save(update_fields=["state", "started_at", "heartbeat_at", "worker", "attempts", "request_key", "revision",
                              *merged])


def claim_trial(trial_id, worker):
    """Claim a waiting trial for a worker; return it, or None if it is not ours to run.

    A duplicate delivery of the same message finds the trial already running and does
    nothing, so each trial runs once however often its message arrives.
    """
    try:
        with locked_study(trial_id=trial_id) as study:
            # A reserved trial waits for the worker it was handed to (see batches.py), not for a message.
            trial = Trial.objects.filter(pk=trial_id, state=Trial.State.WAITING).exclude(scheduling.RESERVED).first()
            if trial is None or study.state in (Study.State.CREATED, Study.State.PAUSED):
                return None
            _mark_running(study, trial, worker)
    except Trial.DoesNotExist:
        return None  # deleted with its study before the message arrived
    trial.study = study
    return trial


def enqueue_trial(study_id, params, value=None, values=None):
    """Add a trial with params a person chose (manual tuning or warm start).

    For a built-in study the trial runs on a worker as soon as the study's parallelism
    leaves a slot, before any new trial of the sampler; for an external study it waits for
    the next ask. A result given with it records it as complete at once.
    Raises InvalidInput when params do not fit the search space, Conflict when the study's
    budget or trial cap is spent or the study is finished, TooMany when the owner has the
    most trials waiting that the cap allows (see caps.py).
    """
    with locked_study(study_id) as study:
        clean = _validated_params(study, params)
        recorded = value is not None or values is not None
        # A result run elsewhere may still be recorded on a finished study, unless it was stopped on workers.
        if (study.state in Study.FINISHED_STATES and not recorded) or (
                study.state == Study.State.STOPPED and not study.is_external):
            raise Conflict(f"the study is {study.state}; run more trials on it first ('Run more trials' on its "
                           f"page, or POST /api/studies/{study.pk}/run-more/), then queue this one")
        caps.check_room(study)
        if value is not None or values is not None:
            outcome = _outcome(study, Trial.State.COMPLETE, value, values, "")
            now = timezone.now()
            return scheduling.create_trial(
                study, clean, Trial.State.COMPLETE, Trial.Origin.MANUAL, started_at=now, finished_at=now, **outcome
            )
        caps.check_waiting(study)
        trial = scheduling.create_trial(study, clean, Trial.State.WAITING, Trial.Origin.MANUAL)
        scheduling.fill_slots(study)  # sends it now if the parallelism leaves a slot
    return trial


def _validated_params(study, params):
    if not isinstance(params, dict):
        raise InvalidInput.single("params", "params must be an object of parameter name to value")
    try:
        return read.search_space_of(study).validate_params(params)
    except SearchSpaceError as exc:
        raise InvalidInput({f"params.{path}" if path else "params": [message] for path, message in exc.errors}) from None


def tell_trial(trial_id, state=Trial.State.COMPLETE, value=None, values=None, error="", attempt=None, details=None,
               attrs=None, metrics=None, constraints=None, authorise=None, lost=False):
    """Record a trial's outcome. Telling the same outcome twice returns the stored trial.

    A worker passes its `attempt`: when the trial was given up and handed to another
    worker meanwhile, the stale worker's outcome is refused. A built-in trial's worker also passes
    the `details` of its cross-validation (fold scores, spread, fit time), stored when it completes.
    `attrs` and `metrics` are merged into the trial's (see trial_extras) and `constraints`
    replace its own (see services.constraints); a repeated tell changes nothing.
    `authorise`, when given, is called with the locked study before anything is read or written,
    and refuses by raising (the API's role check: no look-up of its own before the lock).
    `lost` (with state failed) says the code running the trial stopped before it finished, not
    because of its params (Ctrl-C, SIGTERM: a machine reclaimed, a scheduler's time limit): the
    trial is retried as the reaper retries a lost one (`reaper.retry_lost`, per `retry_failed`).
    Raises InvalidInput for a malformed outcome, attrs, metrics or constraints, or `lost` with
    another state, and Conflict for a different outcome of a trial that is already finished, or a
    stale attempt.
    """
    extras = trial_extras.checked(attrs, metrics)
    constraints = trial_constraints.checked(constraints)
    _check_lost(state, lost)
    with locked_study(trial_id=trial_id, trial_query=TOLD_TRIAL) as study:
        _authorised(study, authorise)
        return _record(study, trial_id, state, value, values, error, attempt, details, extras, constraints, lost)[0]


def _check_lost(state, lost):
    if lost and state != Trial.State.FAILED:
        raise InvalidInput.single("lost", f"lost says why a trial failed; a trial told {state!r} cannot be lost")


def _authorised(study, authorise):
    if authorise is not None:
        authorise(study)


def _record(study, trial_id, state, value, values, error, attempt, details, extras, constraints, lost=False):
    # The tell inside the lock; returns the trial and its state before this tell.
    found = study.trial_rows
    if not found:
        raise Trial.DoesNotExist(f"trial {trial_id} does not exist")
    trial = found[0]
    if not trial.has_files:
        # The tell's answer lists the trial's files: known to be none, they cost it no query.
        trial._prefetched_objects_cache = {"artifacts": Artifact.objects.none()}
    if attempt is not None and (trial.attempts != attempt or trial.state == Trial.State.WAITING):
        raise Conflict(f"trial {trial.number} was handed to another worker after attempt {attempt}")
    outcome = _outcome(study, state, value, values, error, trial)
    before = trial.state
    if before in Trial.FINISHED_STATES:
        return _same_outcome_or_conflict(trial, state, outcome), before
    _finish(study, trial, state, outcome, details if state == Trial.State.COMPLETE else None, extras, constraints)
    if state == Trial.State.COMPLETE:
        stopping.stop_if_a_rule_says_so(study)
    if lost and study.is_external:
        retry = reaper.retry_lost(study, trial)
        if retry is not None and getattr(study, "first_waiting_id", False) is None:
            # The lock query saw no waiting trial (PostgreSQL): the retry is now the first, for a tell with ask_next.
            study.first_waiting_id = retry.pk
    scheduling.top_up(study)
    return trial, before


def _told_trial_query(trial_id):
    files = Artifact.objects.filter(trial=OuterRef("pk"))
    return Trial.objects.select_for_update().annotate(has_files=Exists(files)).filter(pk=trial_id)


# The told trial, read as soon as the study's lock is held, with the lock query (locked_study's trial_query).
TOLD_TRIAL = ("told trial", _told_trial_query)


class Told(NamedTuple):
    """What `tell_and_ask` did: the told `trial`, and the study's `next_trial` handed out, or
    None with the `refusal` a separate ask would have met (a Conflict or TooMany)."""

    trial: Trial
    next_trial: Trial | None
    refusal: ServiceError | None


def tell_and_ask(trial_id, state=Trial.State.COMPLETE, value=None, values=None, error="", attrs=None, metrics=None,
                 constraints=None, worker="", next_attrs=None, authorise=None, lost=False):
    """Record a trial's outcome as `tell_trial` does and hand out the study's next trial as
    `ask_trial` does, under one lock in one transaction: one request per trial for a loop
    that tells and asks again, instead of two.

    The ask keeps every rule of a separate one (budget, grid, pause and stop, stop rules, the
    owner's running-trial cap, where the told trial no longer counts, re-checks of a finished
    study), seeing the study as the tell left it: the tell that spends the budget or meets a
    stop rule hands out nothing. A refusal leaves the tell recorded and is returned, not raised.
    The next trial is keyed by the told one, as an ask by its Idempotency-Key: a tell repeated
    after a lost reply hands out the same next trial, not a second one.
    `worker` and `next_attrs` are the next trial's, as `ask_trial`'s `worker` and `attrs`;
    `authorise` and `lost` as `tell_trial`'s (a lost trial's retry is the next trial handed out).
    Raises what `tell_trial` raises, and InvalidInput naming `ask_next.attrs` for next_attrs
    past a cap; then nothing is recorded.
    """
    extras = trial_extras.checked(attrs, metrics)
    constraints = trial_constraints.checked(constraints)
    try:
        next_attrs, _ = trial_extras.checked(next_attrs, None)
    except InvalidInput as exc:
        raise InvalidInput({f"ask_next.{field}": messages for field, messages in exc.errors.items()}) from None
    _check_lost(state, lost)
    with locked_study(trial_id=trial_id, first_waiting=True, running_of_owner=True, trial_query=TOLD_TRIAL) as study:
        _authorised(study, authorise)
        trial, before = _record(study, trial_id, state, value, values, error, None, None, extras, constraints, lost)
        # Counted as the lock query began, the told trial still running then.
        study.running_of_owner -= before == Trial.State.RUNNING
        # Only a repeated tell can find its next trial already handed out.
        key_may_exist = before in Trial.FINISHED_STATES
        try:
            next_trial = _hand_out(study, worker, f"{NEXT_KEY}{trial.pk}", next_attrs, key_may_exist)
        except (Conflict, TooMany) as refusal:
            return Told(trial, None, refusal)
    return Told(trial, next_trial, None)


def _outcome(study, state, value, values, error, trial=None):
    if state not in TELL_STATES:
        raise InvalidInput.single("state", f"{state!r} is not a final state; use complete, pruned or failed")
    if state == Trial.State.FAILED:
        return {"value": None, "values": None, "error": str(error or "failed")[:10_000]}
    if len(study.directions) > 1:
        return {"value": None, "values": _checked_values(study, values, state, trial), "error": ""}
    if value is None and state == Trial.State.PRUNED and trial is not None:
        value = _last_reported(trial)
    if value is None and state == Trial.State.COMPLETE:
        raise InvalidInput.single("value", "value is required to complete a trial")
    if value is not None and not is_finite_number(value):
        raise InvalidInput.single("value", f"value must be a finite number, got {value!r}")
    return {"value": float(value) if value is not None else None, "values": None, "error": ""}


def _checked_values(study, values, state, trial):
    if values is None and state == Trial.State.PRUNED:
        return None
    n = len(study.directions)
    if not isinstance(values, list) or len(values) != n:
        raise InvalidInput.single("values", f"values must be a list of {n} numbers, one per direction")
    for item in values:
        if not is_finite_number(item):
            raise InvalidInput.single("values", f"every value must be a finite number, got {item!r}")
    return [float(item) for item in values]


def _last_reported(trial):
    return TrialReport.objects.filter(trial=trial).order_by("-step").values_list("value", flat=True).first()


def _same_outcome_or_conflict(trial, state, outcome):
    same = trial.state == state and trial.value == outcome["value"] and trial.values == outcome["values"]
    if same or (state == Trial.State.FAILED and trial.state == Trial.State.FAILED):
        return trial
    raise Conflict(f"trial {trial.number} is already {trial.state}; a different outcome cannot replace it")


def _finish(study, trial, state, outcome, details=None, extras=(None, None), constraints=None):
    fields = _set_outcome(study, trial, state, outcome, details, extras, constraints)
    # Sent with the block's COMMIT (and the next trial's INSERT of a tell with ask_next): no wait under the lock.
    update_later(study, Trial.objects.filter(pk=trial.pk), **{field: getattr(trial, field) for field in fields})


def set_outcome(study, trial, state, value=None, error="", details=None, metrics=None, constraints=None):
    """Set a built-in trial's outcome on it, unsaved, as `tell_trial` would record it (inside
    locked_study); return the fields that changed, for a save or a bulk update of several.

    Raises InvalidInput for a malformed outcome, metrics or constraints.
    """
    extras = trial_extras.checked(None, metrics)
    outcome = _outcome(study, state, value, None, error, trial)
    return _set_outcome(study, trial, state, outcome, details if state == Trial.State.COMPLETE else None, extras,
                        trial_constraints.checked(constraints))


def _set_outcome(study, trial, state, outcome, details=None, extras=(None, None), constraints=None):
    merged = trial_extras.merge(study, trial, *extras) + trial_constraints.store(study, trial, constraints)
    trial.state = state
    trial.details = details
    trial.value = outcome["value"]
    trial.values = outcome["values"]
    trial.error = outcome["error"]
    trial.finished_at = timezone.now()
    trial.revision = bump_revision(study)
    return ["state", "value", "values", "details", "error", "finished_at", "revision", *merged]


def report_trial(trial_id, step, value, attrs=None, metrics=None, constraints=None):
    """Store an intermediate value and return whether the study's pruner stops the trial.

    `attrs` and `metrics` are merged into the trial's (see trial_extras); `constraints`, the
    latest known, replace its own (see services.constraints).
    Raises InvalidInput for a bad step, value, attrs, metrics or constraints, Conflict when the trial is not running.
    """
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= MAX_STEP:
        raise InvalidInput.single("step", f"step must be a whole number from 0 to {MAX_STEP}, got {step!r}")
    if not is_finite_number(value):
        raise InvalidInput.single("value", f"value must be a finite number, got {value!r}")
    extras = trial_extras.checked(attrs, metrics)
    constraints = trial_constraints.checked(constraints)
    with locked_study(trial_id=trial_id) as study:
        trial = Trial.objects.get(pk=trial_id)
        if not _held_by_a_worker(trial.state, trial.heartbeat_at):
            raise Conflict(f"trial {trial.number} is {trial.state}; only a running trial reports values")
        merged = trial_extras.merge(study, trial, *extras) + trial_constraints.store(study, trial, constraints)
        TrialReport.objects.update_or_create(trial=trial, step=step, defaults={"value": float(value)})
        trial.heartbeat_at = study.db_now
        trial.revision = bump_revision(study)
        trial.save(update_fields=["heartbeat_at", "revision", *merged])
        return _should_prune(study, trial, step)


def _should_prune(study, trial, step):
    pruner = read.pruner_of(study)
    if pruner is None or len(study.directions) > 1:
        return False
    records = read.trial_records(study, with_reports_up_to=step)
    current = next(record for record in records if record.number == trial.number)
    return bool(pruner.should_prune(current, records, study.directions))


def heartbeat_trial(trial_id):
    """Note that the code running a trial is alive. Raises Conflict when it is not running."""
    updated = Trial.objects.filter(pk=trial_id, state=Trial.State.RUNNING).update(heartbeat_at=Now())
    if not updated:
        state = Trial.objects.filter(pk=trial_id).values_list("state", flat=True).first()
        if state is None:
            raise Trial.DoesNotExist(f"trial {trial_id} does not exist")
        raise Conflict(f"the trial is {state}; only a running trial takes heartbeats")


def should_stop(trial_id):
    """Whether a running (or reserved, see batches.py) built-in trial must stop now: its study was
    paused, stopped or deleted, or the trial itself was given up by the reaper. One light query."""
    row = Trial.objects.filter(pk=trial_id).values_list("state", "heartbeat_at", "study__state").first()
    return row is None or not _held_by_a_worker(row[0], row[1]) or row[2] != Study.State.RUNNING


def _held_by_a_worker(state, heartbeat_at):
    # Running, or reserved in a worker's batch (see batches.py), which runs it while it still waits.
    return state == Trial.State.RUNNING or (state == Trial.State.WAITING and heartbeat_at is not None)


def interrupt_trial(trial_id, attempt):
    """Record a built-in trial its worker stopped because `should_stop` said so.

    A paused study's trial goes back to waiting, with its reports and this attempt forgotten,
    and runs again from the start on resume; a stopped study's trial is stopped. Returns the
    trial's new state, or None when there is nothing to record (the trial was deleted with its
    study, or was given up and finished by someone else meanwhile).
    """
    try:
        with locked_study(trial_id=trial_id) as study:
            trial = Trial.objects.select_for_update().get(pk=trial_id)
            if trial.state != Trial.State.RUNNING or trial.attempts != attempt:
                return None
            if study.state == Study.State.PAUSED:
                _requeue(study, trial)
            else:
                _finish(study, trial, Trial.State.STOPPED, {"value": None, "values": None, "error": STOPPED})
            return trial.state
    except Trial.DoesNotExist:
        return None


def _requeue(study, trial):
    TrialReport.objects.filter(trial=trial).delete()
    trial.state = Trial.State.WAITING
    trial.attempts -= 1  # an interrupted run is not a failed attempt
    trial.started_at = trial.heartbeat_at = None
    trial.worker = ""
    trial.revision = bump_revision(study)
    trial.save(update_fields=["state", "attempts", "started_at", "heartbeat_at", "worker", "revision"])
