"""`Study` asks a Tuner server for trials; `Trial` reports, tells and keeps itself alive."""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import time
import traceback
from types import TracebackType
from typing import Any, Dict, Iterator, Optional, Sequence, Tuple, Type

from ._heartbeat import Heartbeat
from ._http import Transport
from ._multipart import file_body
from .errors import ConfigError, Conflict, NotFound, Pruned, TunerError

log = logging.getLogger("tuner_client")

MAX_ERROR_CHARS = 8000  # the server keeps 10,000; the end of a traceback matters most
GONE = "gone"  # closed by the server first (reaped, study deleted), or abandoned when closing failed
_DATASET_REFERENCE = re.compile(r"csv:\d+")
NOT_RUN = "not run: handed out with the previous trial's tell, and the trials() loop ended before it began"
INTERRUPTED = "interrupted: the code running the trial was stopped (Ctrl-C or SIGTERM) before it finished"


class Study:
    """One study on a Tuner server, driven from your own code.

    Args:
        url: The server's base URL; default ``$TUNER_URL``.
        study_id: The study's id (shown on its page); default ``$TUNER_STUDY``.
        token: Your API token (profile page); default ``$TUNER_TOKEN``.
        worker: How this process names itself to the server; default ``<hostname>:<pid>``.
        heartbeat_interval_s: Seconds between heartbeats while a trial is open. Keep it
            well below the study's grace period (60 s unless the study says otherwise).
        timeout_s: Time allowed for one HTTP exchange.
        max_retries: Retries after a connection error or a 5xx answer.
        backoff_s: The first wait between retries; each next wait doubles.

    Raises:
        ConfigError: When the URL, study id or token is neither given nor in the environment.

    Example:
        >>> study = Study("http://127.0.0.1:8000", study_id=7, token="...")  # doctest: +SKIP
        >>> for trial in study.trials(n=20):                                  # doctest: +SKIP
        ...     with trial:
        ...         trial.tell(train(**trial.params))
    """

    def __init__(
        self,
        url: Optional[str] = None,
        study_id: Optional[int] = None,
        token: Optional[str] = None,
        *,
        worker: Optional[str] = None,
        heartbeat_interval_s: float = 10.0,
        timeout_s: float = 30.0,
        max_retries: int = 5,
        backoff_s: float = 0.5,
    ) -> None:
        url, token = _url_and_token(url, token)
        self.id = _study_id(study_id)
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self.heartbeat_interval_s = heartbeat_interval_s
        self.transport = Transport(url, token, timeout_s=timeout_s, max_retries=max_retries, backoff_s=backoff_s)
        self.stopped_because: Optional[str] = None

    def __repr__(self) -> str:
        return f"Study({self.transport.url!r}, study_id={self.id})"

    @classmethod
    def create(cls, spec: Dict[str, Any], url: Optional[str] = None, token: Optional[str] = None,
               **options: Any) -> "Study":
        """Create a study on the server and return it, ready to ask.

        Args:
            spec: The body of ``POST /api/studies/``, e.g. ``{"name": "svm", "direction":
                "maximize", "search_space": {...}, "objective": {"kind": "external"},
                "budget": {"n_trials": 20}}``. ``"objective_names": ["accuracy"]`` names
                what the value measures, so the pages say "best accuracy" (one name per
                direction; a study of a built-in model is named after its metric).
            url: The server's base URL; default ``$TUNER_URL``.
            token: Your API token; default ``$TUNER_TOKEN``.
            **options: Passed on to `Study` (``worker``, ``heartbeat_interval_s``, ``timeout_s``,
                ``max_retries``, ``backoff_s``).

        Returns:
            The new study.

        Raises:
            BadRequest: When the server refuses the spec; the message names each field at
                fault (e.g. ``search_space: ...``).
            ConfigError, AuthError, TunerError: See `Study` and `Transport.request`.

        Example:
            >>> study = Study.create({"name": "demo", "objective": {"kind": "external"},   # doctest: +SKIP
            ...                       "search_space": {"x": {"type": "float", "low": 0, "high": 1}}})
        """
        url, token = _url_and_token(url, token)
        transport_options = {key: options[key] for key in ("timeout_s", "backoff_s") if key in options}
        transport = Transport(url, token, **transport_options)
        # No retry: a create repeated after a lost reply would make a second study.
        created = transport.request("POST", "/api/studies/", spec, max_retries=0)
        return cls(url, created["id"], token, **options)

    def ask(self, *, attrs: Optional[Dict[str, Any]] = None) -> "Trial":
        """Ask the server for the next trial and start its heartbeat.

        Args:
            attrs: Anything to note about the trial from the start as a small JSON object,
                e.g. ``{"commit": "3f2a1c9"}``; later reports and the tell merge into it.

        Returns:
            The trial, open: report to it, then tell it.

        Raises:
            Conflict: When the study hands out no more trials (budget or grid spent,
                paused, stopped), with the server's reason.
            AuthError, NotFound, TunerError: See `Transport.request`.
        """
        data = self.transport.request("POST", f"/api/studies/{self.id}/ask/", _extras(attrs, None) or None,
                                      headers={"X-Tuner-Worker": self.worker})
        return Trial(self, data)

    def trials(self, n: Optional[int] = None, *, attrs: Optional[Dict[str, Any]] = None,
               ask_next: bool = False) -> Iterator["Trial"]:
        """Ask for trials one after another until ``n`` were handed out or the study has none left.

        The loop ends quietly when the server has no more trials for it (budget spent, grid
        exhausted, study paused or stopped); the reason is kept in ``study.stopped_because``. A
        trial left open when the loop moves on (or is abandoned) is told ``failed``, or ``pruned``
        if its last report was pruned, so it never waits for the reaper.

        With ``ask_next=True``, one request per trial: while the loop will want another trial, a
        trial's tell (``tell``, ``prune``, ``fail``, or the closing of the ``with`` block) also asks
        for the next one, which the server hands out in the same answer (``ask_next`` on
        ``POST /api/trials/{id}/tell/``), and its heartbeat starts then. The cost: a loop left with
        ``break`` after a tell has been handed a trial it will not run, told ``failed`` ("not run")
        on the way out and counted in the budget, which is why it is not the default (tuner-agent,
        whose loop never breaks, uses it). Against a server without ``ask_next``, or when the
        owner is at the running-trial cap, the loop asks separately.

        Args:
            n: The most trials to run; None runs until the study has no more.
            attrs: Attrs every trial gets when asked (see `ask`).
            ask_next: Ask for the next trial with each tell (True), or with a separate ask (False).

        Yields:
            Open trials, one at a time.
        """
        count = 0
        trial: Optional[Trial] = None
        try:
            while n is None or count < n:
                handed = trial and trial._next_trial
                if handed is None:
                    try:
                        handed = self.ask(attrs=attrs)
                    except Conflict as exc:
                        self._stop(exc.message)
                        return
                trial = handed
                count += 1
                if ask_next and (n is None or count < n):
                    trial._ask_next = _extras(attrs, None) or True
                yield trial
                trial.close_if_open("the code moved to the next trial without telling this one")
                if trial._no_next_trial and trial._no_next_trial.get("status") == 409:
                    self._stop(trial._no_next_trial.get("detail", ""))
                    return
        finally:
            if trial is not None:
                trial._ask_next = None
                trial.close_if_open("the code left the trials() loop without telling this trial")
                if trial._next_trial is not None:
                    trial._next_trial.close_if_open(NOT_RUN)

    def _stop(self, reason: str) -> None:
        self.stopped_because = reason
        log.info("study %s hands out no more trials: %s", self.id, reason)

    def start(self) -> Dict[str, Any]:
        """Start a study that was created but not started: the server's workers begin running
        a built-in model's or a benchmark's trials (a study of your own code runs as you ask).

        Returns:
            The study as the server describes it after the change.

        Raises:
            Conflict: When the study cannot start from its state, with the server's reason.
        """
        return self._lifecycle("start")

    def pause(self) -> Dict[str, Any]:
        """Hand out no new trials until `resume`; a running built-in trial waits to run again.

        Returns:
            The study as the server describes it after the change.

        Raises:
            Conflict: When the study is not running, with the server's reason.
        """
        return self._lifecycle("pause")

    def resume(self) -> Dict[str, Any]:
        """Go on with a paused study.

        Returns:
            The study as the server describes it after the change.

        Raises:
            Conflict: When the study is not paused, with the server's reason.
        """
        return self._lifecycle("resume")

    def stop(self) -> Dict[str, Any]:
        """Stop the study for good: waiting trials are cancelled (`run_more` can still go on later).

        Returns:
            The study as the server describes it after the change.

        Raises:
            Conflict: When the study has already finished, with the server's reason.
        """
        return self._lifecycle("stop")

    def _lifecycle(self, action: str) -> Dict[str, Any]:
        self.stopped_because = None
        return self.transport.request("POST", f"/api/studies/{self.id}/{action}/", max_retries=0)

    def wait(self, *, poll_s: float = 2.0, timeout_s: Optional[float] = None) -> Dict[str, Any]:
        """Wait while the study is running (the server's workers run a built-in model's trials;
        this waits for them).

        Args:
            poll_s: Seconds between two looks at the study.
            timeout_s: The longest wait; None waits as long as it takes.

        Returns:
            The study as the server describes it once it is not ``running``: finished
            (``completed``, ``stopped``, ``failed``), ``paused``, or never started (``created``).

        Raises:
            TimeoutError: When ``timeout_s`` passed first; the study goes on running.

        Example:
            >>> again = study.retune("churn-december.csv")   # doctest: +SKIP
            >>> again.wait()["best_trial"]["value"]           # doctest: +SKIP
            0.912
        """
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            info = self.info()
            if info["state"] != "running":
                return info
            if deadline is not None and time.monotonic() + poll_s > deadline:
                raise TimeoutError(f"study {self.id} is still {info['state']} after {timeout_s} s")
            time.sleep(poll_s)

    def change_budget(self, **changes: Optional[int]) -> Dict[str, Any]:
        """Change the budget of a study that has not finished.

        Args:
            **changes: Any of ``n_trials`` (at least the trials the study has made; None lifts
                the count), ``timeout_s`` (more than the seconds it has run; None lifts it) and
                ``parallelism``, e.g. ``study.change_budget(n_trials=200)``.

        Returns:
            The study as the server describes it after the change.

        Raises:
            BadRequest: A field at fault, named as ``budget.<field>`` in the server's message.
            Conflict: When the study has finished (use `run_more`).
        """
        return self.transport.request("PATCH", f"/api/studies/{self.id}/budget/", changes)

    def run_more(self, n: int) -> Dict[str, Any]:
        """Let a completed or stopped study run ``n`` more trials where it left off.

        The study keeps its history, sampler and search space; its budget becomes the trials
        it made plus ``n``, a time limit allows as long again, and its stop rules are dropped.
        Then ask for trials (``trials()``) as before.

        Args:
            n: How many more trials, 1 or more.

        Returns:
            The study as the server describes it after the change (``state`` is ``"running"``).

        Raises:
            Conflict: When the study is not completed or stopped, its grid is exhausted, or the
                per-study trial cap leaves too little room.
            TunerError: A bad ``n`` (the server's 400 names ``more_trials``); see `Transport.request`.
        """
        self.stopped_because = None
        # No retry: a repeat after a lost reply would answer 409 (the study is running again).
        return self.transport.request("POST", f"/api/studies/{self.id}/run-more/", {"more_trials": n}, max_retries=0)

    def retune(self, data: str) -> "Study":
        """Tune this study's model again on new data, starting from its best settings.

        For a study of a built-in model on an uploaded CSV, when the table behind it has
        changed (a new month of rows, cleaned columns). The server makes a new study of
        yours: the same model, search space, sampler, pruner and budget, on the new data.
        Its first trials run this study's three best distinct settings, measured again on
        the new rows (no score is copied: one measured on other rows says nothing about
        these). The server's workers run its trials; follow it with ``info()`` or on its page.

        Args:
            data: The new CSV file's path (uploaded first with `upload_dataset`), or a
                dataset you uploaded already, as its reference ``"csv:<id>"``. It must hold
                this study's target column, read as the same task.

        Returns:
            The new study, running, with this one's options (worker name, timeouts, retries).

        Raises:
            OSError: When the file cannot be read.
            BadRequest: When the server refuses the data; the message names ``file`` (the
                upload) or ``dataset`` (no target column, another task, not yours).
            Conflict: When this study is not a built-in model on an uploaded CSV, or has no
                complete trial yet.
            TunerError: Status 413 for a file over the server's upload limit; see
                `Transport.request`.

        Example:
            >>> churn = Study("http://127.0.0.1:8000", study_id=7, token="...")  # doctest: +SKIP
            >>> again = churn.retune("churn-2026-12.csv")                         # doctest: +SKIP
            >>> again.info()["name"]                                              # doctest: +SKIP
            'Churn (new data)'
        """
        if _DATASET_REFERENCE.fullmatch(data):
            reference = data
        else:
            reference = _post_file(self.transport, "/api/datasets/", data)["reference"]
        # No retry: a repeat after a lost reply would make a second study.
        created = self.transport.request("POST", f"/api/studies/{self.id}/retune/", {"dataset": reference},
                                         max_retries=0)
        return Study(self.transport.url, created["id"], self.transport.token, worker=self.worker,
                     heartbeat_interval_s=self.heartbeat_interval_s, timeout_s=self.transport.timeout_s,
                     max_retries=self.transport.max_retries, backoff_s=self.transport.backoff_s)

    def info(self) -> Dict[str, Any]:
        """The study as the server describes it: state, counts per trial state, best trial.

        Returns:
            The body of ``GET /api/studies/{id}/``.
        """
        return self.transport.request("GET", f"/api/studies/{self.id}/")


class Trial:
    """A trial handed out by the server. Report intermediate values, then tell the outcome.

    Used as a context manager, the trial closes itself: an exception tells it ``failed``
    with the traceback (and propagates), `Pruned` tells it ``pruned`` (and is swallowed, so
    a ``for`` loop goes on to the next trial), Ctrl-C (``KeyboardInterrupt``) tells it
    ``failed`` as ``lost`` ("interrupted"; the server retries its params when the study's
    ``retry_failed`` allows), and leaving the block without telling tells it ``failed``.

    Attributes:
        id: The trial's id on the server.
        number: Its number within the study (0, 1, 2...).
        params: The parameters to try, e.g. ``{"lr": 0.01}``; pass them as ``**trial.params``.
        state: ``"running"`` until told, then the told state, or ``"gone"`` when the server
            had closed the trial first (the reaper failed it, or the study was deleted) or
            closing it failed (the reaper will fail it).
    """

    def __init__(self, study: Study, data: Dict[str, Any]) -> None:
        self.study = study
        self.id: int = data["id"]
        self.number: int = data["number"]
        self.params: Dict[str, Any] = dict(data["params"])
        self.state = "running"
        self._pruned = False
        # Set by Study.trials while it will want another trial: the tell asks for it (ask_next).
        self._ask_next: Any = None
        self._next_trial: Optional[Trial] = None
        self._no_next_trial: Optional[Dict[str, Any]] = None
        self._heartbeat = Heartbeat(self._beat, study.heartbeat_interval_s, name=f"tuner-heartbeat-{self.id}")
        self._heartbeat.start()

    def __repr__(self) -> str:
        return f"Trial(id={self.id}, number={self.number}, params={self.params!r}, state={self.state!r})"

    @property
    def is_open(self) -> bool:
        """True until the trial is told."""
        return self.state == "running"

    def report(
        self,
        step: int,
        value: float,
        *,
        attrs: Optional[Dict[str, Any]] = None,
        metrics: Optional[Dict[str, float]] = None,
        constraints: Optional[Sequence[float]] = None,
    ) -> None:
        """Send an intermediate value, e.g. the validation score after an epoch.

        Args:
            step: A whole number ≥ 0 (the epoch); reporting a step again replaces its value.
            value: A finite number.
            attrs: Anything to note about the trial as a small JSON object, e.g.
                ``{"commit": "3f2a1c9", "tags": ["gpu"]}``; merged into what the trial
                holds, later keys winning (at most 100 keys, 16 KB as JSON).
            metrics: Named numbers to record but not optimise, e.g.
                ``{"train_time_s": 41.2, "recall": 0.87}``; merged likewise (at most 100).
            constraints: The trial's constraint values as known so far (see ``tell``); they
                replace any given before.

        Raises:
            Pruned: When the study's pruner says this trial should stop.
            ValueError: For a value or metric that is not a finite number (NaN, inf): tell
                the trial ``failed`` instead.
            BadRequest: For a step, value, attrs or metrics the server refuses.
            Conflict: When the trial is no longer running on the server.

        Example:
            >>> trial.report(3, 0.81, metrics={"epoch_time_s": 12.5})  # doctest: +SKIP
        """
        _check_finite(value)
        body: Dict[str, Any] = {"step": step, "value": value, **_extras(attrs, metrics, constraints)}
        try:
            answer = self.study.transport.request("POST", f"/api/trials/{self.id}/report/", body)
        except (Conflict, NotFound):
            self._close(GONE)
            raise
        if answer and answer.get("should_prune"):
            self._pruned = True
            raise Pruned(self.number, step)

    def tell(
        self,
        value: Optional[float] = None,
        *,
        state: str = "complete",
        error: str = "",
        values: Optional[Sequence[float]] = None,
        attrs: Optional[Dict[str, Any]] = None,
        metrics: Optional[Dict[str, float]] = None,
        constraints: Optional[Sequence[float]] = None,
        lost: bool = False,
    ) -> Dict[str, Any]:
        """Record the trial's outcome and stop its heartbeat.

        A tell repeated after a lost reply is recorded once: the server answers the same
        outcome with 200. Inside ``study.trials(ask_next=True)`` the tell also asks for the
        loop's next trial (see `Study.trials`); the returned trial carries no trace of that.

        Args:
            value: The final value (required to complete a single-objective trial).
            state: ``"complete"``, ``"pruned"`` or ``"failed"``.
            error: Why the trial failed.
            values: One value per direction, for multi-objective studies.
            attrs: Anything to note about the trial as a small JSON object (tags, the git
                commit); merged into what earlier reports gave, later keys winning (at most
                100 keys, 16 KB as JSON). Shown on the study page as text.
            metrics: Named numbers to record but not optimise (training time, model size,
                recall), merged likewise (at most 100); the study page shows, sorts, filters
                and plots them against the value.
            constraints: The trial's constraint values; it is feasible when every one is
                <= 0 (Optuna's convention), e.g. ``[latency_ms - 50]`` for "at most 50 ms".
                The study's best trial is its best feasible one, and the tpe, gp and nsga2
                samplers steer towards feasible regions. Every trial of a study gives the
                same number of them (at most 100).
            lost: With ``state="failed"``: the code stopped before the trial finished, not
                because of its params (Ctrl-C, SIGTERM: a machine reclaimed, a scheduler's
                time limit). The server retries the params, as it does for a trial whose
                heartbeat stopped, when the study's ``retry_failed`` allows.

        Returns:
            The trial as the server stored it, with its ``attrs``, ``metrics``,
            ``constraints`` and ``feasible``.

        Raises:
            ValueError: For a value, metric or constraint that is not a finite number.
            BadRequest: For a malformed outcome (e.g. completing without a value), or attrs
                or metrics past a cap.
            Conflict: When the trial already has a different outcome (for instance the
                reaper failed it after its heartbeat stopped).

        Example:
            >>> trial.tell(0.93, attrs={"commit": "3f2a1c9"}, metrics={"model_mb": 41.5})  # doctest: +SKIP
            >>> trial.tell(0.91, constraints=[latency_ms - 50])  # doctest: +SKIP
        """
        body: Dict[str, Any] = {"state": state, **_extras(attrs, metrics, constraints)}
        if value is not None:
            _check_finite(value)
            body["value"] = value
        if values is not None:
            body["values"] = list(values)
        if error:
            body["error"] = error[-MAX_ERROR_CHARS:]
        if lost:
            body["lost"] = True  # a server that predates it ignores the key and records the failure alone
        headers = None
        if self._ask_next is not None:
            body["ask_next"] = self._ask_next
            headers = {"X-Tuner-Worker": self.study.worker}
        try:
            stored = self.study.transport.request("POST", f"/api/trials/{self.id}/tell/", body, headers=headers)
        except (Conflict, NotFound):
            self._close(GONE)
            raise
        self._close(state)
        self._take_next(stored)
        return stored

    def _take_next(self, stored: Dict[str, Any]) -> None:
        # The server hands out the next trial running: its heartbeat starts now, not when the
        # loop yields it, so work the code does after the tell cannot let the reaper take it.
        # A server without ask_next answers neither key, and the loop asks as before.
        handed, self._no_next_trial = stored.pop("next_trial", None), stored.pop("no_next_trial", None)
        if handed is not None and self._next_trial is None:
            self._next_trial = Trial(self.study, handed)

    def prune(self) -> Dict[str, Any]:
        """Tell the trial ``pruned`` (its last reported value stands as its value).

        Returns:
            The trial as the server stored it.
        """
        return self.tell(state="pruned")

    def fail(self, error: str, *, lost: bool = False) -> Dict[str, Any]:
        """Tell the trial ``failed`` with a reason.

        Args:
            error: Why it failed; shown on the study page.
            lost: The code stopped before the trial finished, not because of its params
                (see `tell`): the server retries the params when the study allows.

        Returns:
            The trial as the server stored it.
        """
        return self.tell(state="failed", error=error, lost=lost)

    def upload(self, path: str) -> Dict[str, Any]:
        """Attach a file to the trial: a plot, a log, a table of predictions.

        The server decides what the file is from its bytes (a PNG, a CSV, text...); the trial
        page shows images, the first rows of a CSV or TSV and the first lines of text, and
        offers every file for download. A file may be attached before or after the trial is
        told. The body is built with the standard library only (``_multipart.file_body``).

        Args:
            path: The file to attach; it is read whole into memory.

        Returns:
            What the server stored: ``{"id", "name", "size", "content_type", "url"}``.

        Raises:
            OSError: When the file cannot be read.
            BadRequest: For a file the server refuses: a program, or bytes that are not
                what the name says (a ``.png`` that is not a PNG image).
            TunerError: Status 413 when the file is over the server's limit for one file,
                or the study's files would pass the limit for a study.

        Example:
            >>> trial.upload("out/loss.png")  # doctest: +SKIP
            {'id': 4, 'name': 'loss.png', 'size': 18211, 'content_type': 'image/png', 'url': '...'}
        """
        return _post_file(self.study.transport, f"/api/trials/{self.id}/artifacts/", path)

    def close_if_open(self, reason: str, *, lost: bool = False) -> None:
        """Tell the trial ``pruned`` (if its last report was pruned) or ``failed`` unless already told.

        Args:
            reason: The error text for a failed tell.
            lost: For a failed tell, whether the code stopped before the trial finished (see `tell`).
        """
        if not self.is_open:
            return
        try:
            self.prune() if self._pruned else self.fail(reason, lost=lost)
        except (Conflict, NotFound) as exc:
            log.warning("trial %s was already closed on the server: %s", self.number, exc.message)
        except TunerError as exc:
            # Closing runs on the way out of an error; do not mask that error. Stop the
            # heartbeat so that the server's reaper fails the trial after its grace period.
            log.warning("could not close trial %s: %s", self.number, exc.message)
            self._close(GONE)

    def __enter__(self) -> "Trial":
        return self

    def __exit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> bool:
        if exc_type is None:
            self.close_if_open("the with-block ended without telling the trial a value")
            return False
        if issubclass(exc_type, Pruned):
            self._pruned = True
            self.close_if_open("pruned")
            return True
        # The error leaves the loop too: no next trial to ask for with this tell.
        self._ask_next = None
        if issubclass(exc_type, KeyboardInterrupt):
            # Stopped from outside (Ctrl-C, or SIGTERM in tuner-agent): the params are not at fault,
            # so the server may run them again, as it does for a trial whose heartbeat stopped.
            self.close_if_open(INTERRUPTED, lost=True)
            return False
        self.close_if_open("".join(traceback.format_exception(exc_type, exc, tb)))
        return False

    def _beat(self) -> None:
        # One quick retry only: the next beat comes soon anyway.
        self.study.transport.request("POST", f"/api/trials/{self.id}/heartbeat/", max_retries=1)

    def _close(self, state: str) -> None:
        self.state = state
        self._heartbeat.stop()


def upload_dataset(path: str, url: Optional[str] = None, token: Optional[str] = None) -> Dict[str, Any]:
    """Upload a CSV file to the server, for a study of a built-in model or for `Study.retune`.

    Args:
        path: The CSV file; read whole into memory.
        url: The server's base URL; default ``$TUNER_URL``.
        token: Your API token; default ``$TUNER_TOKEN``.

    Returns:
        What the server stored: ``{"id", "name", "reference", "n_rows", "columns", "preview",
        "suggested_target", "created_at"}``. Use ``reference`` (``"csv:<id>"``) as the
        ``dataset`` of a study's objective.

    Raises:
        OSError: When the file cannot be read.
        ConfigError: When the URL or token is neither given nor in the environment.
        BadRequest: When the file is not a table the server can read; the message names ``file``.
        TunerError: Status 413 when the file is over the server's upload limit.

    Example:
        >>> data = upload_dataset("churn.csv", "http://127.0.0.1:8000", token="...")  # doctest: +SKIP
        >>> data["reference"], data["suggested_target"]                               # doctest: +SKIP
        ('csv:12', 'churned')
    """
    return _post_file(Transport(*_url_and_token(url, token)), "/api/datasets/", path)


def _post_file(transport: Transport, url_path: str, path: str) -> Dict[str, Any]:
    data, content_type = file_body("file", path)
    # No retries: an upload whose answer was lost would be stored twice.
    return transport.request("POST", url_path, data=data, headers={"Content-Type": content_type}, max_retries=0)


def _check_finite(value: Any, what: str = "value") -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}; tell the trial failed instead")


def _extras(attrs: Optional[Dict[str, Any]], metrics: Optional[Dict[str, float]],
            constraints: Optional[Sequence[float]] = None) -> Dict[str, Any]:
    """The attrs, metrics and constraints part of a report or tell body; NaN and inf are
    refused here, as JSON cannot carry them."""
    extras: Dict[str, Any] = {}
    if attrs is not None:
        extras["attrs"] = dict(attrs)
    if metrics is not None:
        for name, number in metrics.items():
            _check_finite(number, f"metric {name!r}")
        extras["metrics"] = dict(metrics)
    if constraints is not None:
        for i, number in enumerate(constraints):
            _check_finite(number, f"constraint {i}")
        extras["constraints"] = list(constraints)
    return extras


def _url_and_token(url: Optional[str], token: Optional[str]) -> Tuple[str, str]:
    url = url or os.environ.get("TUNER_URL")
    token = token or os.environ.get("TUNER_TOKEN")
    if not url:
        raise ConfigError("no server URL: pass url= or set TUNER_URL")
    if not token:
        raise ConfigError("no API token: pass token= or set TUNER_TOKEN (create one on your profile page)")
    return url, token


def _study_id(study_id: Optional[int]) -> int:
    raw = study_id if study_id is not None else os.environ.get("TUNER_STUDY")
    if raw is None or raw == "":
        raise ConfigError("no study id: pass study_id= or set TUNER_STUDY")
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"the study id must be a whole number, got {raw!r}") from None
