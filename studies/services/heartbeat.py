"""Heartbeats for trials that run on the workers, so the reaper can tell a dead worker from a slow one."""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections

from studies.models import Trial

from .errors import Conflict
from .batches import heartbeat_trials

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 10


def default_interval_s():
    """Seconds between a worker's heartbeats (``TUNER_HEARTBEAT_INTERVAL_S``, default 10)."""
    return getattr(settings, "TUNER_HEARTBEAT_INTERVAL_S", DEFAULT_INTERVAL_S)


@contextmanager
def keep_alive(*trial_ids, interval_s=None):
    """Send heartbeats for a running trial from a background thread while the block runs.

    Args:
        trial_ids: The trial being evaluated, or a worker's batch: its running trial and the
            ones reserved behind it (see batches.py), whose lease the heartbeats renew too.
        interval_s: Seconds between heartbeats; default `default_interval_s()`.

    Example:
        >>> with keep_alive(trial.pk):              # doctest: +SKIP
        ...     value = objectives.evaluate(...)
    """
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat, args=(trial_ids, interval_s or default_interval_s(), stop), name=f"heartbeat-{trial_ids[0]}",
        daemon=True,
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _beat(trial_ids, interval_s, stop):
    try:
        while not stop.wait(interval_s):
            try:
                heartbeat_trials(trial_ids)
            except (Conflict, Trial.DoesNotExist):
                return  # the trial was told, reaped or deleted: nothing left to keep alive
            except (DatabaseError, InterfaceError) as exc:
                # A cut connection stays dead until closed: drop it so the next beat reconnects.
                log.warning("heartbeat of trials %s failed, will try again: %s", trial_ids, exc)
                connections.close_all()
    finally:
        # Django opens one connection per thread; this thread's must not leak.
        connections.close_all()
