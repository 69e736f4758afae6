"""A background thread that tells the server a trial's code is still alive."""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from typing import Callable, Optional

from .errors import Conflict, NotFound, TunerError

log = logging.getLogger("tuner_client")
_RUNNING: "weakref.WeakSet[Heartbeat]" = weakref.WeakSet()


class Heartbeat:
    """Calls ``send`` every ``interval_s`` seconds until stopped.

    The thread is a daemon, so a script that dies takes it along and the server's reaper
    notices the silence. It stops by itself when the server says the trial is no longer
    running (409) or gone (404); other failures are logged and the next beat tries again.

    Args:
        send: Sends one heartbeat; raises TunerError on failure.
        interval_s: Seconds between beats.
        name: The thread's name, for debugging.
    """

    def __init__(self, send: Callable[[], None], interval_s: float, name: str = "tuner-heartbeat") -> None:
        self.send = send
        self.interval_s = interval_s
        self.name = name
        self.closed_reason: Optional[str] = None
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        """Start beating in the background."""
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        _RUNNING.add(self)
        self._thread.start()

    def stop(self) -> None:
        """Stop beating; returns without waiting for a beat that is in flight."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.send()
            except (Conflict, NotFound) as exc:
                self.closed_reason = exc.message
                log.warning("heartbeat stopped: %s", exc.message)
                return
            except TunerError as exc:
                log.warning("heartbeat failed, will try again: %s", exc.message)


@atexit.register
def _stop_all() -> None:
    # At interpreter exit the logging streams close; a beat still running would fail and
    # then fail again writing its warning. Whatever the script left open, stop beating.
    for heartbeat in list(_RUNNING):
        heartbeat.stop()
