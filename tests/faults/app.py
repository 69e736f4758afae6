"""The Celery app for fault tests: Tuner's own app, with an objective that misbehaves on request.

Started only by the fault suite (`celery -A tests.faults.app worker`), so production code
keeps no backdoor. Built-in studies reach the workers through ``studies.objectives.evaluate_details``;
this module wraps it, inside the worker process only, and acts on two control params:

- ``sleep_s``: sleep this long before evaluating (a slow trial to kill mid-way);
- ``fault``: ``"hang"`` (sleep far past any time limit), ``"hang_native"`` (the same with
  the soft-limit signal blocked, like a long C call), ``"raise"``, ``"nan"``, ``"inf"``,
  ``"-inf"``, ``"none"`` (return None), ``"string"``, ``"memory"`` (a bounded allocation
  that raises MemoryError at once), ``"suicide"`` (SIGKILL its own pool process), or
  ``"ok"`` for a trial that behaves.

The remaining params are evaluated by the real objective. Every evaluation appends a
``start`` and, if it returns, an ``end`` record (pid, params, time) to ``$FAULT_LOG``, so a
test can count attempts and check that no trial ran twice at once.
"""

import json
import os
import signal
import time

from studies import objectives
from tuner_site.celery import app

__all__ = ["app"]

_real_evaluate = objectives.evaluate_details
CONTROL_PARAMS = ("sleep_s", "fault")
RESULTS = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "none": None, "string": "not a number"}


def _log(event, params):
    path = os.environ.get("FAULT_LOG")
    if not path:
        return
    line = json.dumps({"event": event, "pid": os.getpid(), "params": params, "t": time.time()}) + "\n"
    # One write with O_APPEND: records from several processes never interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def _misbehave(fault):
    if fault == "hang":
        time.sleep(10_000)
    if fault == "hang_native":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # Celery's soft limit arrives as SIGUSR1
        time.sleep(10_000)
    if fault == "raise":
        raise ValueError("the objective blew up on purpose")
    if fault == "memory":
        bytearray(10**12)  # 1 TB: refused by the allocator at once, raising MemoryError
    if fault == "suicide":
        os.kill(os.getpid(), signal.SIGKILL)


def evaluate_details(spec, params, **kwargs):
    """`studies.objectives.evaluate_details`, with the control params above acted on first."""
    if not any(name in params for name in CONTROL_PARAMS):
        return _real_evaluate(spec, params, **kwargs)
    _log("start", params)
    time.sleep(float(params.get("sleep_s", 0)))
    fault = params.get("fault", "ok")
    _misbehave(fault)
    if fault in RESULTS:
        details = objectives.TrialDetails(RESULTS[fault], None, None, (), 0.0)
    else:
        details = _real_evaluate(spec, {k: v for k, v in params.items() if k not in CONTROL_PARAMS}, **kwargs)
    _log("end", params)
    return details


objectives.evaluate_details = evaluate_details
