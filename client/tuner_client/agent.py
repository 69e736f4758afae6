"""`tuner-agent`: run any command as the trials of a Tuner study.

Usage::

    tuner-agent --study 7 [--count 20] [--url URL] [--token TOKEN] [--metrics-file PATH] \\
        [--artifact 'out/*.png' ...] -- python train.py --lr {lr} --depth {depth}

For each trial the agent asks the server for params, replaces ``{name}`` in the command
with each param's value, exports ``TUNER_PARAMS`` (JSON) and ``TUNER_PARAM_<NAME>``, runs
the command, echoes its output, reports every ``tuner: step=N value=X`` line (see
`tuner_client.metrics`), stops the command when the server prunes the trial, and tells the
result of the last ``tuner: value=X`` line (``tuner: values=X,Y`` for a study with several
objectives, one number per objective in the order of its directions). ``tuner: metric name=X`` and ``tuner: attr key=text``
lines are recorded on the trial with the next report or the tell. A command that exits non-zero, or prints no
result, fails the trial with the tail of its standard error. Ctrl-C (or SIGTERM) tells the running
trial ``failed`` ("interrupted", as lost: the study retries its params when its ``retry_failed``
allows) and exits. With ``--artifact GLOB`` (repeatable, ``{name}`` replaced
too), the files matching it that the command wrote or changed are attached to the trial after
the command ends and before the tell; a file the server refuses is reported and skipped.
"""

from __future__ import annotations

import argparse
import glob
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, TextIO, Tuple, Union

from ._process import Command
from .errors import AuthError, BadRequest, ConfigError, Conflict, NotFound, Pruned, TunerError
from .metrics import Extra, Metric, MetricsFile
from .study import Study, Trial

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
POLL_S = 0.1
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class Outcome:
    """How one trial ended, as told to the server (``state`` None: the server closed it first)."""

    state: Optional[str]
    value: Union[None, float, Tuple[float, ...]] = None
    error: str = ""


@dataclass
class Extras:
    """The metrics, attrs and constraints the command printed that the server has not been sent yet."""

    metrics: Dict[str, float] = field(default_factory=dict)
    attrs: Dict[str, Any] = field(default_factory=dict)
    constraints: List[float] = field(default_factory=list)

    def add(self, extra: Extra) -> None:
        """Keep a printed metric, attr or constraint until the next report or the tell (a later
        metric or attr wins; ``constraint`` lines add up, a ``constraints`` line replaces them)."""
        if extra.kind == "constraint":
            self.constraints.extend(extra.value)
        elif extra.kind == "constraints":
            self.constraints = list(extra.value)
        else:
            (self.metrics if extra.kind == "metric" else self.attrs)[extra.name] = extra.value

    def take(self) -> Dict[str, Any]:
        """The keyword arguments for report or tell, emptied for the next ones."""
        taken = {"attrs": self.attrs or None, "metrics": self.metrics or None,
                 "constraints": self.constraints or None}
        self.metrics, self.attrs, self.constraints = {}, {}, []
        return taken


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the agent; the console script ``tuner-agent`` calls this.

    Args:
        argv: The arguments after the program name; default ``sys.argv[1:]``.

    Returns:
        The exit code: 0 when the study or ``--count`` ran out, 1 on an error the
        server reported (a bad token...), 2 on bad usage, 130 when interrupted.
    """
    args = _parse_args(sys.argv[1:] if argv is None else list(argv))
    logging.basicConfig(format="tuner-agent: %(message)s", level=logging.WARNING)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
        # Installed explicitly: Python leaves Ctrl-C ignored when the agent starts with it ignored
        # (a shell's background job, a test runner's worker), and the trial would then never be told.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        study = Study(args.url, args.study, args.token, heartbeat_interval_s=args.heartbeat_s)
        return Agent(study, args.command, args.metrics_file, artifacts=args.artifact).run(args.count)
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except ConfigError as exc:
        _say(f"error: {exc.message}")
        return EXIT_USAGE
    except TunerError as exc:
        _say(f"error: {_describe(exc)}")
        return EXIT_ERROR


class Agent:
    """Runs a command once per trial until the count or the study runs out.

    Args:
        study: The study to ask for trials.
        command: The command, with ``{name}`` placeholders.
        metrics_file: A JSON-lines file the command writes metrics to, or None.
        stdout: Where the command's output and the agent's progress go.
        stderr: Where the command's errors go.
        artifacts: Glob patterns (``{name}`` placeholders allowed) of files to attach to each
            trial once its command ends: those the command created or changed.
    """

    def __init__(
        self, study: Study, command: Sequence[str], metrics_file: Optional[str] = None,
        stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr, artifacts: Sequence[str] = (),
    ) -> None:
        self.study = study
        self.command = list(command)
        self.metrics_file = metrics_file
        self.stdout = stdout
        self.stderr = stderr
        self.n_done = 0
        self.artifacts = list(artifacts)
        self._files = _Files([])
        self.directions: List[str] = []

    def run(self, count: Optional[int]) -> int:
        """Run trials until ``count`` are done (None: until the study has none left).

        Returns:
            0.

        Raises:
            TunerError: When the server refuses the agent (bad token, unknown study...).
            KeyboardInterrupt: After the running trial was told ``failed`` ("interrupted").
        """
        self.directions = self.study.info().get("directions") or []
        # One request per trial: the agent's loop never leaves early but on Ctrl-C (the running
        # trial is told "interrupted" before a next one is handed out).
        for trial in self.study.trials(n=count, ask_next=True):
            with trial:
                _say(f"trial {trial.number} starts: {json.dumps(trial.params)}")
                outcome = self.run_trial(trial)
            self.n_done += 1
            _say(self._progress(trial, outcome))
        reason = self.study.stopped_because or f"{_trials(count)} done"
        _say(f"done: {_trials(self.n_done)} run by this agent; {reason}")
        if self.study.stopped_because and "budget exhausted" in self.study.stopped_because:
            _say("to go on from here: 'Run more trials' on the study's page (or study.run_more(n)), then run "
                 "this agent again")
        return 0

    def run_trial(self, trial: Trial) -> Outcome:
        """Run the command for one trial, report its steps, and tell its outcome."""
        values = _placeholder_values(trial)
        metrics = MetricsFile(_substitute(self.metrics_file, values)) if self.metrics_file else None
        if metrics:
            metrics.reset()
        command = Command([_substitute(arg, values) for arg in self.command], self._env(trial, metrics),
                          self.stdout, self.stderr)
        self._files = _Files([_substitute(pattern, values) for pattern in self.artifacts])
        try:
            command.start()
        except OSError as exc:
            return _tell(trial, Outcome("failed", error=f"cannot run {command.argv[0]!r}: {exc}"))
        try:
            return self._follow(trial, command, metrics)
        except BaseException:
            command.stop()  # Ctrl-C, or the server went away: never leave the command behind
            raise

    def _follow(self, trial: Trial, command: Command, metrics: Optional[MetricsFile]) -> Outcome:
        result: Union[None, float, Tuple[float, ...]] = None
        extras = Extras()
        while True:
            code = command.poll()
            for metric in self._new_metrics(command, metrics, final=code is not None):
                if isinstance(metric, Extra):
                    extras.add(metric)
                    continue
                if metric.step is None:
                    result = metric.value
                    continue
                try:
                    _with_extras(trial.report, extras, metric.step, metric.value)
                except Pruned:
                    _say(f"trial {trial.number} pruned at step {metric.step}; stopping the command")
                    command.stop()
                    self._files.upload(trial)
                    return _tell(trial, Outcome("pruned"), extras)
                except Conflict as exc:
                    _say(f"the server closed trial {trial.number}: {exc.message}; stopping the command")
                    command.stop()
                    return Outcome(None, error=exc.message)
            if code is not None:
                command.stop()  # whatever the command left running in its group
                self._files.upload(trial)
                return _tell(trial, _outcome_of(code, result, command.tail(), self.directions), extras)
            time.sleep(POLL_S)

    def _new_metrics(
        self, command: Command, metrics: Optional[MetricsFile], final: bool
    ) -> List[Union[Metric, Extra]]:
        found = []
        for kind, item in command.take_events():
            if kind == "metric":
                found.append(item)
            else:
                _say(f"ignored: {item}")
        if metrics is not None:
            from_file, problems = metrics.read_new(final=final)
            for problem in problems:
                _say(f"ignored: {problem}")
            found.extend(from_file)
        return found

    def _env(self, trial: Trial, metrics: Optional[MetricsFile]) -> Dict[str, str]:
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")  # or a Python command's metric lines arrive late
        env["TUNER_PARAMS"] = json.dumps(trial.params)
        for name, value in trial.params.items():
            env[f"TUNER_PARAM_{name.upper()}"] = _text(value)
        env["TUNER_STUDY"] = str(self.study.id)
        env["TUNER_TRIAL_ID"] = str(trial.id)
        env["TUNER_TRIAL_NUMBER"] = str(trial.number)
        if metrics is not None:
            env["TUNER_METRICS_FILE"] = metrics.path
        return env

    def _progress(self, trial: Trial, outcome: Outcome) -> str:
        told = outcome.state or "closed by the server"
        line = f"trial {trial.number} {told}"
        if isinstance(outcome.value, tuple):
            line += ", values " + ", ".join(f"{value:g}" for value in outcome.value)
        elif outcome.value is not None:
            line += f", value {outcome.value:g}"
        if outcome.error:
            # Why, in the terminal the user is watching; the command's own output is echoed above.
            line += f": {outcome.error.split(_TAIL)[0]}"
        line += f" | {self.n_done} done by this agent"
        best = self._best()
        return line + (f" | best so far {best['value']:g} (trial {best['number']})" if best else "")

    def _best(self) -> Optional[Dict[str, Any]]:
        try:
            best = self.study.info().get("best_trial")
        except TunerError:
            return None
        return best if best and best.get("value") is not None else None


class _Files:
    """The files matching some glob patterns that a trial's command created or changed.

    What matched before the command started is noted with its modification time, so a file
    left by an earlier trial is not attached to this one unless the command wrote it again.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = list(patterns)
        self.before = self._matching()

    def upload(self, trial: Trial) -> None:
        """Attach each new or changed file to the trial; a failure is printed, never raised."""
        for path, stamp in sorted(self._matching().items()):
            if self.before.get(path) == stamp:
                continue
            try:
                stored = trial.upload(path)
            except (OSError, TunerError) as exc:
                _say(f"could not attach {path} to trial {trial.number}: {getattr(exc, 'message', exc)}")
                continue
            _say(f"attached {path} to trial {trial.number} ({stored['content_type']}, {stored['size']} bytes)")

    def _matching(self) -> Dict[str, int]:
        found = {}
        for pattern in self.patterns:
            for path in glob.glob(pattern, recursive=True):
                try:
                    if os.path.isfile(path):
                        found[path] = os.stat(path).st_mtime_ns
                except OSError:
                    continue  # removed while we looked
        return found


def _outcome_of(
    code: int, result: Union[None, float, Tuple[float, ...]], tail: str, directions: Sequence[str]
) -> Outcome:
    if code != 0:
        how = f"was killed by signal {signal.Signals(-code).name}" if code < 0 else f"exited with code {code}"
        return Outcome("failed", error=_with_tail(f"the command {how}", tail))
    if result is None:
        message = f"the command printed no result line such as {_result_line(len(directions))!r}"
        return Outcome("failed", error=_with_tail(message, tail))
    fault = _result_fault(result, directions)
    if fault:
        return Outcome("failed", error=fault)
    return Outcome("complete", value=result)


def _result_line(n_objectives: int) -> str:
    """An example result line for a study with this many objectives."""
    if n_objectives > 1:  # the study page's example too (dashboard/snippets.py)
        return "tuner: values=" + ",".join(("0.93", "41.2", "7", "0.5")[i % 4] for i in range(n_objectives))
    return "tuner: value=0.93"


def _result_fault(result: Union[float, Tuple[float, ...]], directions: Sequence[str]) -> str:
    """Why the printed result does not fit the study's objectives, or "" when it does."""
    count = len(directions)
    if isinstance(result, tuple) and count <= 1:
        return f"the command printed {len(result)} values, but this study has one objective: print 'tuner: value=0.93'"
    given = len(result) if isinstance(result, tuple) else 1
    if given != count and count > 1:
        return (f"the command printed {given} value{'s' if given > 1 else ''}, but this study has {count} objectives "
                f"({', '.join(directions)}): print one number per objective, in that order, on one line such as "
                f"{_result_line(count)!r}")
    return ""


_TAIL = "; last lines of its standard error:\n"


def _with_tail(message: str, tail: str) -> str:
    return f"{message}{_TAIL}{tail}" if tail.strip() else message


def _tell(trial: Trial, outcome: Outcome, extras: Optional[Extras] = None) -> Outcome:
    extras = extras or Extras()
    try:
        if outcome.state == "complete" and isinstance(outcome.value, tuple):
            _with_extras(trial.tell, extras, values=list(outcome.value))
        elif outcome.state == "complete":
            _with_extras(trial.tell, extras, outcome.value)
        elif outcome.state == "pruned":
            outcome.value = _with_extras(trial.tell, extras, state="pruned").get("value")
        else:
            _with_extras(trial.tell, extras, state="failed", error=outcome.error)
    except (Conflict, NotFound) as exc:
        _say(f"the server had already closed trial {trial.number}: {exc.message}")
        return Outcome(None, error=exc.message)
    return outcome


def _with_extras(send: Callable[..., Any], extras: Extras, *args: Any, **kwargs: Any) -> Any:
    """Report or tell with the pending metrics and attrs; when the server refuses those (past a
    cap), say so and send the value without them, so the trial itself is not lost."""
    taken = extras.take()
    if not any(taken.values()):
        return send(*args, **kwargs)
    try:
        return send(*args, **kwargs, **taken)
    except BadRequest as exc:
        _say(f"ignored: the server refused the printed metrics, attrs or constraints: {exc.message}")
        return send(*args, **kwargs)


def _placeholder_values(trial: Trial) -> Dict[str, Any]:
    return {"trial_id": trial.id, "trial_number": trial.number, **trial.params}


def _substitute(text: str, values: Dict[str, Any]) -> str:
    """Replace ``{name}`` for each known name; other braces (``${HOME}``, ``{}``) stay as they are."""
    return _PLACEHOLDER.sub(lambda m: _text(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def _text(value: Any) -> str:
    return str(value)


def _describe(exc: TunerError) -> str:
    if isinstance(exc, AuthError):
        return f"the server refused the token ({exc.message}); check --token or TUNER_TOKEN"
    if isinstance(exc, NotFound):
        return f"no such study ({exc.message}); check --study, and that the token belongs to its owner"
    return exc.message


def _say(message: str) -> None:
    print(f"tuner-agent: {message}", file=sys.stderr, flush=True)


def _interrupt(signum: int, frame: Any) -> None:
    # SIGTERM (a scheduler stopping the agent) takes the same path as Ctrl-C.
    raise KeyboardInterrupt


def _parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="tuner-agent", description="Run a command as the trials of a Tuner study.",
        usage="tuner-agent --study ID [--count N] [--url URL] [--token TOKEN] [--metrics-file PATH] "
              "[--artifact GLOB ...] -- COMMAND ...",
        epilog="In COMMAND, {name} is replaced by the trial's value of param `name`. The command prints "
               "'tuner: step=3 value=0.81' for intermediate values and 'tuner: value=0.93' for its result "
               "('tuner: values=0.93,41.2' when the study has several objectives); "
               "'tuner: metric name=12.5' and 'tuner: attr key=text' are recorded on the trial.",
    )
    parser.add_argument("--study", default=os.environ.get("TUNER_STUDY"), help="the study id (default $TUNER_STUDY)")
    parser.add_argument("--count", type=_positive_int, default=None, help="run at most this many trials")
    parser.add_argument("--url", default=os.environ.get("TUNER_URL"), help="the server (default $TUNER_URL)")
    parser.add_argument("--token", default=os.environ.get("TUNER_TOKEN"), help="your API token (default $TUNER_TOKEN)")
    parser.add_argument("--metrics-file", help="a JSON-lines file the command writes metrics to ($TUNER_METRICS_FILE)")
    parser.add_argument("--artifact", action="append", default=[], metavar="GLOB",
                        help="attach the files matching GLOB that the command wrote to the trial, e.g. 'out/*.png' "
                             "(repeatable; {name} is replaced as in the command)")
    parser.add_argument("--heartbeat-s", type=float, default=10.0, help="seconds between heartbeats (default 10)")
    if "--" not in argv:
        parser.parse_args(argv)  # answers --help, and flags errors before the missing command
        parser.error("give the command after --, e.g. tuner-agent --study 7 -- python train.py --lr {lr}")
    split = argv.index("--")
    args = parser.parse_args(argv[:split])
    args.command = argv[split + 1:]
    if not args.command:
        parser.error("the command after -- is empty")
    return args


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


if __name__ == "__main__":
    sys.exit(main())


def _trials(n: int) -> str:
    """Say a count of trials: "1 trial", "3 trials"."""
    return f"{n} trial{'' if n == 1 else 's'}"
