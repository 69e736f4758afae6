"""Deciding how many trials a running study needs next, and sending them to the workers.

Callers hold the study row lock (see locks.locked_study), so the counts read here cannot
change underneath; tasks are sent only after the transaction commits.
"""

from itertools import count

from django.db.models import Count, Q
from django.utils import timezone

from studies.engine import GridExhausted, TrialRecord, rng_for
from studies.models import Study, Trial, TrialReport

from . import caps, dispatch, ensembles, explanations, read
from .locks import bump_revision, insert_later

PENDING_STATES = (Trial.State.WAITING, Trial.State.RUNNING)
# A waiting trial with a lease is reserved: handed to a worker in a batch of quick trials (see
# `top_up`), which runs it after the batch's running trial, in that trial's slot. Every other
# waiting trial has no lease (the reaper and an interrupted run clear it on the way back).
RESERVED = Q(state=Trial.State.WAITING, heartbeat_at__isnull=False)
# What a worker holds (its lease renewed by heartbeats, given back or re-run by the reaper).
HELD_BY_A_WORKER = Q(state=Trial.State.RUNNING) | RESERVED
# Enqueued by hand and waiting, unsent, for a free slot (not reserved: that one has its worker).
HELD_FOR_A_SLOT = Q(state=Trial.State.WAITING, enqueued_at__isnull=True, heartbeat_at__isnull=True)


def create_trial(study, params, state, origin, id_later=False, **fields):
    """Store the study's next trial with the next gapless number (inside locked_study).

    With `id_later`, its INSERT is sent as late as it can be, with the block's COMMIT (`locks.insert_later`):
    the trial's id is set at the latest when the locked block ends, for a caller that needs none before.
    """
    trial = Trial(study=study, number=study.next_number, params=params, state=state, origin=origin,
                  revision=bump_revision(study), **fields)
    if id_later:
        insert_later(study, trial)
    else:
        trial.save(force_insert=True)
    study.next_number += 1  # written with the revision when the locked block ends
    return trial


def sample_params(study):
    """Ask the study's sampler for the params of its next trial; the engine never writes.

    Raises GridExhausted when a grid has no point left.
    """
    return next(_draws(study))


def _draws(study):
    # The params of the study's next trials, one at a time (GridExhausted when a grid runs
    # out), the sampler seeing each one drawn before as pending, as it would had each been
    # stored before the next ask. Nothing is read until the first is asked for.
    sampler = read.sampler_of(study)
    # Reading 10,000 trials under the study lock is the cost of an ask; skip it when unused.
    records = read.trial_records(study) if sampler.reads_history else ()
    space = read.search_space_of(study)
    for number in count(study.next_number):
        params = sampler.sample(space, records, rng_for(study.seed, number), study.directions)
        yield params
        if sampler.reads_history:
            records += (TrialRecord(number=number, params=params, state=Trial.State.WAITING),)


def fill_slots(study):
    """Fill the free slots of a running built-in study: `parallelism` trials with the workers.

    Trials enqueued by hand wait unsent until a slot is free and go first, oldest first;
    then the sampler creates and sends new trials while the budget lasts.
    Returns how many trials are pending (waiting or running) afterwards, or None when the
    study takes none from here (not running, or external), so complete_if_done can skip
    counting again.
    """
    return _fill(study)[0]


def _fill(study, worker="", n_reserved=0):
    # With a worker, the first free slot goes to a new trial born running on that worker, with
    # up to `n_reserved` more reserved for it behind (see top_up); the other free slots are
    # sent as usual. Returns (pending, the trials handed to the worker).
    if study.state != Study.State.RUNNING or study.is_external:
        return None, []
    # A waiting trial with a send time is with the workers; one without is held for a slot,
    # unless it is reserved: then it waits for its worker, in that worker's slot.
    counts = Trial.objects.filter(study=study, state__in=PENDING_STATES).aggregate(
        sent=Count("pk", filter=Q(state=Trial.State.RUNNING) | Q(enqueued_at__isnull=False)),
        held=Count("pk", filter=HELD_FOR_A_SLOT),
        reserved=Count("pk", filter=RESERVED),
    )
    pending = counts["sent"] + counts["held"] + counts["reserved"]
    free = max(study.parallelism - counts["sent"], 0)
    if counts["held"] and free:
        free -= len(_send_held(study, free))
        worker = ""  # trials enqueued by hand go first, through the queue
    room = caps.room_left(study)
    free = min(free, room)
    handed = []
    for _ in range(max(free, 0)):
        try:
            params = sample_params(study)
        except GridExhausted:
            break
        if worker and not handed:
            handed.append(create_trial(study, params, Trial.State.RUNNING, Trial.Origin.SAMPLER, attempts=1,
                                       started_at=study.db_now, heartbeat_at=study.db_now, worker=worker[:255]))
            # The other free slots keep their room; the reserved trials take what is left.
            handed += _reserve(study, worker, min(n_reserved, room - free))
            pending += len(handed) - 1
        else:
            trial = create_trial(study, params, Trial.State.WAITING, Trial.Origin.SAMPLER,
                                 enqueued_at=timezone.now())
            _send_on_commit(trial.pk)
        pending += 1
    return pending, handed


def _reserve(study, worker, n):
    # Waiting, with a lease from now: the reaper gives them back if the worker goes silent.
    # One read of the history and one INSERT for them all.
    reserved = [
        Trial(study=study, number=study.next_number + offset, params=params, state=Trial.State.WAITING,
              origin=Trial.Origin.SAMPLER, revision=bump_revision(study), heartbeat_at=study.db_now,
              worker=worker[:255])
        for offset, params in enumerate(_sample_many(study, n))
    ]
    study.next_number += len(reserved)  # written with the revision when the locked block ends
    return Trial.objects.bulk_create(reserved) if reserved else []


def _sample_many(study, n):
    # The params of the study's next n trials, fewer when a grid runs out.
    drawn, draws = [], _draws(study)
    try:
        while len(drawn) < n:
            drawn.append(next(draws))
    except GridExhausted:
        pass
    return drawn


def give_back(study, trials):
    """Free trials reserved for a worker (see RESERVED) that it will not run, inside locked_study:
    its batch was cut short, the study paused, or the worker went silent. They wait for a slot
    again, the next top_up sends them, with the reports they made forgotten and no attempt
    charged: by the database they never ran."""
    if not trials:
        return
    TrialReport.objects.filter(trial__in=trials).delete()
    for trial in trials:
        trial.worker, trial.heartbeat_at, trial.revision = "", None, bump_revision(study)
    Trial.objects.bulk_update(trials, ["worker", "heartbeat_at", "revision"])


def give_back_reserved(study):
    """`give_back` every trial reserved in the study (a pause: the workers take no new trial)."""
    give_back(study, list(Trial.objects.filter(RESERVED, study=study)))


def _send_held(study, n):
    held = Trial.objects.filter(HELD_FOR_A_SLOT, study=study)
    trial_ids = list(held.order_by("number").values_list("pk", flat=True)[:n])
    for trial_id in trial_ids:
        enqueue_id(trial_id)
    return trial_ids


def top_up(study, worker="", n_reserved=0):
    """After a change that may free a slot or spend the budget: fill the free slots, then
    complete the study if nothing is left to run (inside locked_study).

    With `worker`, the worker that just finished a trial of the study keeps its slot: the
    first free slot becomes a new trial already running on it, and with `n_reserved` up to that
    many more trials are reserved for it (waiting, with a lease; see RESERVED), all returned
    so the worker runs them one after another in its slot, without a claim and a round trip
    through the queue each. Returns [] when there is none (no slot, no budget, or trials
    enqueued by hand waiting for slots).
    """
    pending, handed = _fill(study, worker, n_reserved)
    complete_if_done(study, pending=pending)
    return handed


def complete_if_done(study, pending=None):
    """Mark a running study completed once its budget is spent and nothing is pending.

    `pending` is fill_slots' count when the caller has it.
    """
    if study.state != Study.State.RUNNING:
        return
    budget_spent = caps.room_left(study) == 0
    if not budget_spent and not is_grid(study):
        return
    if pending is None:
        pending = Trial.objects.filter(study=study, state__in=PENDING_STATES).exists()
    if pending or (not budget_spent and not grid_exhausted(study)):
        return
    study.state = Study.State.COMPLETED
    study.stop_reason = Study.StopReason.BUDGET
    study.finished_at = timezone.now()
    study.save(update_fields=["state", "stop_reason", "finished_at", "updated_at"])
    ask_for_results(study)


def ask_for_results(study):
    """Queue what a finished study's result needs beyond its trials: the ensemble of its best
    trials and the explanation of its best model (each only where it applies). Called inside
    `locked_study` as the study completes or is stopped; the jobs go once the transaction commits."""
    ensembles.request_ensemble(study)
    explanations.explain_when_completed(study)


def is_grid(study):
    """Whether Tuner's own workers run this study with the grid sampler."""
    return study.sampler.get("name") == "grid" and not study.is_external


def grid_exhausted(study):
    """Whether a built-in grid study has tried every point of its grid."""
    try:
        sample_params(study)
    except GridExhausted:
        return True
    return False


def enqueue_waiting(study, older_than=None):
    """Send the run message again for every waiting trial of a built-in study that was sent.

    With `older_than`, only for trials whose last message was sent before that time.
    Trials held for a free slot (never sent) are left to fill_slots, which keeps the
    parallelism. Returns the ids sent.
    """
    if study.is_external:
        return []
    waiting = Trial.objects.filter(study=study, state=Trial.State.WAITING, enqueued_at__isnull=False)
    if older_than is not None:
        waiting = waiting.filter(enqueued_at__lt=older_than)
    trial_ids = list(waiting.values_list("pk", flat=True))
    for trial_id in trial_ids:
        enqueue_id(trial_id)
    return trial_ids


def enqueue(trial):
    """Send the trial to the workers once the current transaction commits."""
    if not trial.study.is_external:
        enqueue_id(trial.pk)


def enqueue_id(trial_id):
    """Note the send time and send the run message once the transaction commits.

    A message that cannot be sent (the broker is down) is logged, not raised: the trial is
    safely waiting in the database and the reconciler sends it again later.
    """
    Trial.objects.filter(pk=trial_id).update(enqueued_at=timezone.now())
    _send_on_commit(trial_id)


def _send_on_commit(trial_id):
    dispatch.send_on_commit(dispatch.RUN_TRIAL, trial_id)
