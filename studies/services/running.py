"""Running one built-in trial on a worker: claim, evaluate the objective, tell, schedule more.

Between folds and training stages the worker checks (at most every half second) whether the
study was paused, stopped or deleted, so a stop frees the worker within a stage instead of
after the trial's whole time limit.
"""

import logging
import math
import os
import socket
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone

from studies import objectives
from studies.models import Trial

from .batches import Told, batch_size, is_still_reserved, tell_batch
from .datasets import MissingDataset, dataset_path
from .heartbeat import keep_alive
from .trials import claim_trial, interrupt_trial, report_trial, should_stop

log = logging.getLogger(__name__)
STOP_CHECK_EVERY_S = 0.5
# What _evaluate answers when the study asked the trial to stop.
_INTERRUPTED = "interrupted"


class _Pruned(Exception):
    """Raised from the report callback to stop the objective when the pruner says so."""


def run_trial(trial_id, worker=None):
    """Run a waiting trial of a built-in study to its end. Safe to call twice for one trial.

    While the trials run quickly (TUNER_TRIAL_CHAIN_S), the worker keeps the slot each one
    frees and runs the study's next trials itself, several at a time when they take only
    milliseconds (see batches.py), until that time is up; then the next trial goes through the
    queue as usual, so other studies get their turn.
    Returns the state of the last trial run, or None when the trial was not ours to run.
    """
    # Host and process, so the timeline and the active-worker count tell processes apart.
    worker = worker or f"{socket.gethostname()}:{os.getpid()}"
    trial = claim_trial(trial_id, worker)
    if trial is None:
        log.info("trial %s is not waiting or its study is paused; nothing to run", trial_id)
        return None
    chain_ends = time.monotonic() + settings.TUNER_TRIAL_CHAIN_S
    batch = [trial]
    while True:
        told, unrun, durations_s, interrupted = _run_batch(batch, worker)
        if interrupted and not told:
            # The batch's running trial itself was stopped: recorded as a lone trial's stop is.
            if unrun[1:]:
                _tell_logged(worker, [], unrun[1:], 0)
            return interrupt_trial(batch[0].pk, batch[0].attempts)
        # A batch cut short (a pause, a stop, a trial given up) ends the chain.
        n_next = batch_size(durations_s) if not unrun and time.monotonic() < chain_ends else 0
        batch = _tell_logged(worker, told, unrun, n_next)
        if not batch:
            return told[-1].state if told else None


def _run_batch(batch, worker):
    """Run the trials handed to the worker in order, until one is no longer the worker's to run.

    Returns (the `Told` outcomes, the trials not run, each trial's evaluation time in seconds,
    whether the study stopped a trial as it ran: then it is the first not run).
    """
    told, durations_s = [], []
    checked = time.monotonic()
    with keep_alive(*(trial.pk for trial in batch)):  # heartbeats tell the reaper this worker is alive
        for index, trial in enumerate(batch):
            # Between trials, as within one (every STOP_CHECK_EVERY_S), a pause, a stop or a
            # delete ends the batch. Asking before each trial of milliseconds would double the
            # round trips a batch saves; a trial run meanwhile is not recorded, as a pause or
            # stop takes the reserved trials back (see batches.tell_batch).
            if index and time.monotonic() - checked >= STOP_CHECK_EVERY_S:
                checked = time.monotonic()
                if not is_still_reserved(trial.pk, worker):
                    return told, batch[index:], durations_s, False
            started_at, began = timezone.now(), time.monotonic()
            state, value, error, fields = _evaluate(trial)
            if state == _INTERRUPTED:
                return told, batch[index:], durations_s, True
            durations_s.append(time.monotonic() - began)
            told.append(Told(trial, state, value, error, fields or {}, started_at, timezone.now()))
    return told, [], durations_s, False


def _tell_logged(worker, told, unrun, n_next):
    try:
        return _tell_reconnecting(worker, told, unrun, n_next)
    except Trial.DoesNotExist:
        log.info("the trials %s were deleted with their study while they ran", [t.trial.pk for t in told])
    return []


def _tell_reconnecting(worker, told, unrun, n_next):
    """Tell the outcomes; if the database is unreachable (a restart, a cut connection), keep
    reconnecting and telling with backoff for up to the grace period, so results computed
    during an outage are kept rather than run again. Safe because the same tell is recorded once.
    Returns the next trials to run (see `batches.tell_batch`)."""
    deadline = time.monotonic() + settings.TUNER_GRACE_PERIOD_S
    delay_s = 0.5
    while True:
        try:
            return tell_batch(worker, told, unrun, n_next)
        except (OperationalError, InterfaceError) as exc:
            if time.monotonic() + delay_s > deadline:
                raise
            log.warning("telling trials %s failed (%s); reconnecting in %.1f s", [t.trial.pk for t in told], exc,
                        delay_s)
            connections.close_all()
            time.sleep(delay_s)
            delay_s = min(delay_s * 2, 5.0)


def _evaluate(trial):
    """Evaluate the objective and return (state, value, error, fields to tell: details, metrics and
    constraints); never raises for the objective's faults."""
    def report(step, value):
        if report_trial(trial.pk, step, value):
            raise _Pruned()

    study = trial.study
    try:
        details = objectives.evaluate_details(
            study.objective, trial.params, report=report, dataset_path=dataset_path(study.objective),
            should_stop=_stop_checker(trial.pk),
        )
    except _Pruned:
        return Trial.State.PRUNED, None, "", None
    except objectives.EvaluationStopped:
        return _INTERRUPTED, None, "", None
    except MissingDataset:
        return Trial.State.FAILED, None, "the study's dataset was deleted", None
    except SoftTimeLimitExceeded:
        return Trial.State.FAILED, None, "timeout: the trial ran past its time limit and was stopped", None
    except objectives.ObjectiveError as exc:
        return Trial.State.FAILED, None, exc.message, None
    except MemoryError:
        return Trial.State.FAILED, None, "ran out of memory: the objective needed more memory than the worker has", None
    except Exception as exc:  # an objective may raise anything; the worker must outlive it
        log.exception("trial %s failed", trial.pk)
        return Trial.State.FAILED, None, f"{type(exc).__name__}: {exc}", None
    return (*_checked_result(details.value), details.tell_fields())


def _stop_checker(trial_id):
    """`should_stop` for the objective, asking the database at most every STOP_CHECK_EVERY_S."""
    asked = [time.monotonic()]

    def stop():
        if time.monotonic() - asked[0] < STOP_CHECK_EVERY_S:
            return False
        asked[0] = time.monotonic()
        return should_stop(trial_id)

    return stop


def _checked_result(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return Trial.State.FAILED, None, f"the objective returned {type(value).__name__}, not a number"
    if not math.isfinite(value):
        return Trial.State.FAILED, None, f"the objective returned {value}, not a finite number"
    return Trial.State.COMPLETE, float(value), ""
