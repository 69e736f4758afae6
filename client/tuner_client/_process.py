"""Run a command in its own process group, echo its output, and pick out metric lines."""

from __future__ import annotations

import errno
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections import deque
from typing import IO, Deque, List, Mapping, Optional, Sequence, TextIO, Tuple, Union

from .metrics import Extra, Metric, MetricFormatError, parse_line

TAIL_LINES = 30
GRACE_S = 5.0  # how long a stopped command has to finish before SIGKILL
# On Linux the command runs under a guard that stops it if the agent dies (`_guard.py`).
GUARD = [sys.executable, "-I", "-S", os.path.join(os.path.dirname(os.path.abspath(__file__)), "_guard.py")]
Event = Tuple[str, Union[Metric, Extra, str]]  # ("metric", Metric or Extra) or ("problem", message)


class Command:
    """One run of the user's command.

    Output is echoed line by line as it arrives; ``tuner:`` lines become events. The
    command gets its own process group so that stopping it also stops whatever it
    started (data loaders, shells), and so that Ctrl-C in the terminal reaches the agent,
    which then decides how to stop the command. On Linux the group also stops if the
    agent is killed without a chance to stop it (SIGKILL, the out-of-memory killer).

    Args:
        argv: The program and its arguments.
        env: The environment.
        stdout: Where to echo the command's standard output.
        stderr: Where to echo its standard error.
    """

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], stdout: TextIO, stderr: TextIO) -> None:
        self.argv = list(argv)
        self.env = dict(env)
        self.echo = {"stdout": stdout, "stderr": stderr}
        self.events: "queue.Queue[Event]" = queue.Queue()
        self.stderr_tail: Deque[str] = deque(maxlen=TAIL_LINES)
        self.process: Optional[subprocess.Popen] = None
        self._readers: List[threading.Thread] = []

    def start(self) -> None:
        """Start the command.

        Raises:
            OSError: When the program cannot be started (not found, not executable).
        """
        argv = self.argv
        if sys.platform.startswith("linux"):
            # The guard starts the program, so it cannot raise here for a program that is not there.
            if shutil.which(argv[0], path=self.env.get("PATH", os.defpath)) is None:
                raise FileNotFoundError(errno.ENOENT, "not found, or not executable", argv[0])
            argv = [*GUARD, str(os.getpid()), str(GRACE_S), *argv]
        self.process = subprocess.Popen(
            argv, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for name, pipe in (("stdout", self.process.stdout), ("stderr", self.process.stderr)):
            reader = threading.Thread(target=self._read, args=(name, pipe), name=f"tuner-agent-{name}", daemon=True)
            reader.start()
            self._readers.append(reader)

    def poll(self) -> Optional[int]:
        """The exit code once the command has exited and its output is read; else None."""
        assert self.process is not None
        code = self.process.poll()
        if code is None:
            return None
        for reader in self._readers:
            # A grandchild that inherited the pipes may keep them open; do not wait for it forever.
            reader.join(timeout=5)
        return code

    def take_events(self) -> List[Event]:
        """The events read since the last call, in order."""
        events = []
        while True:
            try:
                events.append(self.events.get_nowait())
            except queue.Empty:
                return events

    def stop(self, grace_s: float = GRACE_S) -> None:
        """Stop the command's whole process group: SIGTERM, then SIGKILL after ``grace_s``."""
        if self.process is None or self.process.poll() is not None:
            self._kill_group(signal.SIGKILL)  # leftovers of an exited command
            return
        self._kill_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            pass
        self._kill_group(signal.SIGKILL)
        self.process.wait()

    def tail(self) -> str:
        """The last lines the command wrote to standard error."""
        return "".join(self.stderr_tail)

    def _kill_group(self, sig: int) -> None:
        assert self.process is not None
        try:
            os.killpg(self.process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def _read(self, name: str, pipe: IO[bytes]) -> None:
        echo = self.echo[name]
        for raw in iter(pipe.readline, b""):
            line = raw.decode("utf-8", "replace")
            echo.write(line)
            echo.flush()
            if name == "stderr":
                self.stderr_tail.append(line)
            try:
                metric = parse_line(line)
            except MetricFormatError as exc:
                self.events.put(("problem", str(exc)))
                continue
            if metric is not None:
                self.events.put(("metric", metric))
        pipe.close()
