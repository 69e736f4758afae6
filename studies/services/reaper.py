"""The reaper: fail running trials whose code went silent, and retry them where the study says so.

A trial is alive while heartbeats arrive: the client library and `tuner-agent` send them
for external trials, `heartbeat.keep_alive` for trials on the workers, and every report
counts as one. A running trial silent for longer than its study's grace period is lost:
- an external trial is failed ("worker lost"), and when the study allows retries a fresh
  waiting trial with the same params takes its place (`retry_lost`; an external trial whose code
  was interrupted and said so is retried the same way, by its tell);
- a built-in trial goes back to waiting, same number and params, and runs again on another
  worker, until it has used TUNER_MAX_ATTEMPTS attempts; then it is failed as poison;
- a trial reserved in a worker's batch (see batches.py) whose lease ran out is given back:
  it waits for a slot again, no attempt charged.

Several reapers may run at once (beat overlapping a slow run, two beat processes): each
one re-reads the stale trials under the study row lock before failing them, so a trial is
failed, and retried, once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models.functions import Coalesce

from studies.models import Study, Trial

from . import scheduling
from .clock import db_now
from .locks import bump_revision, locked_study

log = logging.getLogger(__name__)

RETRY_STATES = (Study.State.RUNNING, Study.State.PAUSED)


def reap_stale_trials(now=None):
    """Fail every running trial silent for longer than its study's grace period.

    Args:
        now: The current time (tests pass one); default the database's clock, which also
            times every heartbeat, so machines with skewed clocks agree on leases.

    Returns:
        The ids of the trials failed, sent again or given back by this call (a concurrent
        reaper's are not included).
    """
    now = now or db_now()
    study_ids = Trial.objects.filter(scheduling.HELD_BY_A_WORKER).values_list("study_id", flat=True).distinct()
    reaped = []
    for study in Study.objects.filter(pk__in=list(study_ids)):
        reaped += _reap_study(study, now)
    return reaped


def grace_period_s(study):
    """How long a running trial of the study may go without a heartbeat, in seconds."""
    return study.grace_period_s


def retry_limit(study):
    """How many times a lost trial's params are retried (0: never)."""
    return study.retry_failed


def _reap_study(study, now):
    cutoff = now - timedelta(seconds=grace_period_s(study))
    # Look before locking: the reaper runs every few seconds and must not take every
    # study's write lock when nothing is stale.
    if not _stale_trials(study.pk, cutoff).exists():
        return []
    with locked_study(study.pk) as study:
        # Re-read under the lock: a concurrent reaper may have failed them already, or a
        # heartbeat or tell may have arrived since the look above.
        trials = list(_stale_trials(study.pk, cutoff))
        for trial in trials:
            if trial.state == Trial.State.WAITING:  # reserved: it never ran, as far as we know
                scheduling.give_back(study, [trial])
                log.warning("study %s: trial %s given back: its worker went silent", study.pk, trial.number)
            elif study.is_external:
                _fail_lost(study, trial, now)
                retry_lost(study, trial)
            else:
                _requeue_or_poison(study, trial, now)
        scheduling.top_up(study)
    return [trial.pk for trial in trials]


def _stale_trials(study_id, cutoff):
    # Running trials, and the trials reserved behind one in a worker's batch (see batches.py).
    return (
        Trial.objects.filter(scheduling.HELD_BY_A_WORKER, study_id=study_id)
        .annotate(last_seen=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(last_seen__lt=cutoff)
        .order_by("number")
    )


def _fail_lost(study, trial, now):
    silent_s = round((now - trial.last_seen).total_seconds())
    _fail(study, trial, now, f"worker lost: no heartbeat for {silent_s} s (from {trial.worker or 'an unknown worker'})")


def _fail(study, trial, now, error):
    trial.state = Trial.State.FAILED
    trial.error = error
    trial.finished_at = now
    trial.revision = bump_revision(study)
    trial.save(update_fields=["state", "error", "finished_at", "revision"])
    log.warning("study %s: trial %s %s", study.pk, trial.number, error)


def _requeue_or_poison(study, trial, now):
    """Send a built-in trial whose worker died back to the queue, same number and params.

    A trial that has taken down its worker on every one of its attempts is failed as
    poison instead, so it cannot loop forever.
    """
    ran_s = (trial.last_seen - trial.started_at).total_seconds() if trial.started_at else 0
    if ran_s >= settings.TUNER_TRIAL_HARD_TIME_LIMIT_S - settings.TUNER_HEARTBEAT_INTERVAL_S:
        # Celery killed it at the hard time limit (and acked its message): running it again
        # would only time out again, so it fails once, as a timeout.
        _fail(study, trial, now, f"timeout: the trial ran past its hard time limit of "
                                 f"{settings.TUNER_TRIAL_HARD_TIME_LIMIT_S} s and was killed")
        return
    silent_s = round((now - trial.last_seen).total_seconds())
    lost = f"worker lost on attempt {trial.attempts}: no heartbeat for {silent_s} s (from {trial.worker or 'unknown'})"
    if trial.attempts >= settings.TUNER_MAX_ATTEMPTS:
        _fail(study, trial, now, f"poison: {lost}; it used all {settings.TUNER_MAX_ATTEMPTS} attempts")
        return
    trial.state = Trial.State.WAITING
    trial.error = lost
    trial.started_at = None
    trial.heartbeat_at = None
    trial.revision = bump_revision(study)
    trial.save(update_fields=["state", "error", "started_at", "heartbeat_at", "revision"])
    log.warning("study %s: trial %s %s", study.pk, trial.number, trial.error)
    if study.state == Study.State.RUNNING:
        scheduling.enqueue(trial)


def retry_lost(study, trial):
    """Enqueue a lost trial's params again, up to the study's retry limit per params; call it
    inside `locked_study`. Returns the waiting retry, or None."""
    limit = retry_limit(study)
    if limit == 0 or study.state not in RETRY_STATES:
        return None
    # Retries are counted, not stored: every earlier retry of these params is a trial of
    # origin "retry" with equal params (a retried retry has them too).
    done = sum(
        1 for params in Trial.objects.filter(study=study, origin=Trial.Origin.RETRY).values_list("params", flat=True)
        if params == trial.params
    )
    if done >= limit:
        log.info("study %s: trial %s was retried %s times already; no more", study.pk, trial.number, done)
        return None
    retry = scheduling.create_trial(study, trial.params, Trial.State.WAITING, Trial.Origin.RETRY)
    if study.state == Study.State.RUNNING:
        scheduling.enqueue(retry)  # a paused study's waiting trials are enqueued on resume
    return retry
