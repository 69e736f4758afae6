"""The metric formats `tuner-agent` reads from a command: printed lines and a JSON-lines file.

Printed lines (stdout or stderr), one per value::

    tuner: step=3 value=0.81     an intermediate value (step: a whole number >= 0)
    tuner: value=0.93            the trial's result
    tuner: values=0.93,41.2      the result of a study with several objectives, one number per
                                 objective in the order of its directions
    tuner: metric train_time_s=41.2   a number recorded but not optimised
    tuner: attr commit=3f2a1c9        any text to note about the trial (the rest of the line)
    tuner: constraint 0.3             one constraint value (feasible when <= 0); one line per constraint
    tuner: constraints 0.3,-1         all of the trial's constraint values at once

A metrics file (``--metrics-file PATH``; the command finds the path in
``$TUNER_METRICS_FILE``) holds one JSON object per line, in the same two shapes::

    {"step": 3, "value": 0.81}
    {"value": 0.93}
    {"values": [0.93, 41.2]}                 the result of a study with several objectives
    {"metrics": {"train_time_s": 41.2}}      numbers recorded but not optimised
    {"attrs": {"commit": "3f2a1c9"}}         anything to note about the trial

Values must be finite numbers. When several results are given, the last one counts.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple, Union

_LINE = re.compile(r"^\s*tuner:\s*(?P<body>.*?)\s*$")
_EXTRA = re.compile(r"^(?P<kind>metric|attr)\s+(?P<name>[^\s=]+)\s*=\s*(?P<value>.*)$")
_PAIR = re.compile(r"(\w+)\s*=\s*([^\s,;]+)")
_KEYS = {"step", "value"}
_VALUES = re.compile(r"^values\s*=\s*(?P<values>\S.*)$")
_CONSTRAINTS = re.compile(r"^(?P<kind>constraints?)\s+(?P<values>\S.*)$")


class MetricFormatError(ValueError):
    """A line or file entry meant for the agent that it cannot read; the message says why."""


@dataclass(frozen=True)
class Metric:
    """One value read from the command.

    Attributes:
        value: A finite number; for the result of a study with several objectives, a tuple of
            them, one per objective in the order of the study's directions.
        step: The step of an intermediate value, or None for the trial's result.
    """

    value: Union[float, Tuple[float, ...]]
    step: Optional[int] = None


@dataclass(frozen=True)
class Extra:
    """A metric recorded but not optimised, or an attribute, read from the command.

    Attributes:
        kind: ``"metric"``, ``"attr"``, ``"constraint"`` (one more constraint value) or
            ``"constraints"`` (all of them).
        name: The metric's name or the attribute's key; empty for constraints.
        value: A finite number for a metric; the text (or, from a metrics file, any JSON) for an
            attribute; a list of finite numbers for constraints.
    """

    kind: str
    name: str
    value: Any


def parse_line(line: str) -> Optional[Union[Metric, Extra]]:
    """Read a ``tuner: ...`` line.

    Args:
        line: One line of the command's output.

    Returns:
        The metric or extra, or None when the line is not meant for the agent.

    Raises:
        MetricFormatError: For a ``tuner:`` line with a missing, extra or malformed field.

    Example:
        >>> parse_line("tuner: step=3 value=0.81")
        Metric(value=0.81, step=3)
        >>> parse_line("tuner: values=0.93,41.2")
        Metric(value=(0.93, 41.2), step=None)
        >>> parse_line("tuner: metric train_time_s=41.2")
        Extra(kind='metric', name='train_time_s', value=41.2)
        >>> parse_line("tuner: attr note=warm start, lr halved")
        Extra(kind='attr', name='note', value='warm start, lr halved')
        >>> parse_line("tuner: constraints 0.3,-1")
        Extra(kind='constraints', name='', value=[0.3, -1.0])
        >>> parse_line("epoch 3 done") is None
        True
    """
    match = _LINE.match(line)
    if match is None:
        return None
    body = match.group("body")
    if body.startswith("constraint"):
        return _constraints(body, line.strip())
    if body.startswith(("metric", "attr")) and not body.startswith(("metric=", "attr=")):
        return _extra(body, line.strip())
    if _VALUES.match(body):
        return Metric(_numbers(_VALUES.match(body).group("values"), line.strip()))
    pairs = dict(_PAIR.findall(match.group("body")))
    unknown = sorted(set(pairs) - _KEYS)
    if unknown:
        raise MetricFormatError(f"unknown key {unknown[0]!r} in {line.strip()!r}; use step=<int> value=<number>")
    return _metric(pairs.get("value"), pairs.get("step"), line.strip())


def _extra(body: str, where: str) -> Extra:
    match = _EXTRA.match(body)
    if match is None:
        raise MetricFormatError(f"cannot read {where!r}; write 'tuner: metric <name>=<number>' or "
                                "'tuner: attr <key>=<text>'")
    kind, name, raw = match.group("kind", "name", "value")
    if kind == "attr":
        return Extra(kind, name, raw)
    return Extra(kind, name, _finite(raw, f"metric {name}", where))


def _constraints(body: str, where: str) -> Extra:
    match = _CONSTRAINTS.match(body)
    if match is None:
        raise MetricFormatError(f"cannot read {where!r}; write 'tuner: constraint <number>' or "
                                "'tuner: constraints <number>,<number>'")
    kind, raw = match.group("kind", "values")
    parts = [part for part in re.split(r"[\s,]+", raw) if part]
    if kind == "constraint" and len(parts) != 1:
        raise MetricFormatError(f"{where!r} gives {len(parts)} numbers; write one per 'tuner: constraint' line "
                                "or use 'tuner: constraints <number>,<number>'")
    return Extra(kind, "", [_finite(part, f"constraint {part!r}", where) for part in parts])


def parse_extras(record: Any, where: str) -> Optional[List[Extra]]:
    """Read a metrics-file object holding ``"metrics"`` and/or ``"attrs"`` (and nothing else).

    Args:
        record: The decoded JSON value.
        where: Where it came from, for messages.

    Returns:
        The extras in the object, or None when it holds neither key (a value record).

    Raises:
        MetricFormatError: When ``metrics`` is not an object of finite numbers or ``attrs`` not an object.

    Example:
        >>> parse_extras({"metrics": {"model_mb": 3}}, "f")
        [Extra(kind='metric', name='model_mb', value=3.0)]
    """
    if not isinstance(record, dict) or not {"metrics", "attrs"} & set(record):
        return None
    if set(record) - {"metrics", "attrs"}:
        raise MetricFormatError(f'{where}: "metrics" and "attrs" go in an object of their own')
    found = []
    for kind, given in (("metric", record.get("metrics", {})), ("attr", record.get("attrs", {}))):
        if not isinstance(given, dict):
            raise MetricFormatError(f"{where}: {kind}s must be an object")
        for name, value in given.items():
            if kind == "metric" and not _is_finite(value):
                raise MetricFormatError(f"{where}: metric {name} is not a finite number")
            found.append(Extra(kind, name, float(value) if kind == "metric" else value))
    return found


def _is_finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def parse_record(record: Any, where: str) -> Metric:
    """Read one JSON object of a metrics file.

    Args:
        record: The decoded JSON value.
        where: Where it came from, for messages.

    Returns:
        The metric.

    Raises:
        MetricFormatError: When it is not ``{"value": ...}``, ``{"step": ..., "value": ...}`` or
            ``{"values": [...]}``.
    """
    if isinstance(record, dict) and set(record) == {"values"}:
        given = record["values"]
        if not isinstance(given, list) or len(given) < 2 or not all(_is_finite(v) for v in given):
            raise MetricFormatError(f'{where}: "values" must be a list of finite numbers, one per objective')
        return Metric(tuple(float(v) for v in given))
    if not isinstance(record, dict) or set(record) - _KEYS:
        raise MetricFormatError(f'{where}: expected {{"step": <int>, "value": <number>}} or {{"value": <number>}}')
    step = record.get("step")
    return _metric(None if record.get("value") is None else str(record["value"]),
                   None if step is None else str(step), where)


def _numbers(raw: str, where: str) -> Tuple[float, ...]:
    """The result's numbers of a ``values=`` line, separated by commas (or spaces)."""
    parts = [part for part in re.split(r"[\s,]+", raw) if part]
    if len(parts) < 2:
        raise MetricFormatError(f"{where!r} gives one number; 'values=' is for a study with several objectives "
                                "(values=0.93,41.2); write value=<number> for one")
    return tuple(_finite(part, f"value {part!r}", where) for part in parts)


def _metric(raw_value: Optional[str], raw_step: Optional[str], where: str) -> Metric:
    if raw_value is None:
        raise MetricFormatError(f"no value in {where!r}; write value=<number>")
    value = _finite(raw_value, f"value {raw_value!r}", where)
    if raw_step is None:
        return Metric(value)
    if not raw_step.isdigit():
        raise MetricFormatError(f"step {raw_step!r} in {where!r} is not a whole number >= 0")
    return Metric(value, int(raw_step))


def _finite(raw: str, what: str, where: str) -> float:
    """``raw`` as a finite float, or a MetricFormatError naming ``what`` and the line ``where``."""
    try:
        value = float(raw)
    except ValueError:
        raise MetricFormatError(f"{what} in {where!r} is not a number") from None
    if not math.isfinite(value):
        raise MetricFormatError(f"{what} in {where!r} is not a finite number")
    return value


class MetricsFile:
    """Follows a JSON-lines metrics file that a running command appends to.

    Args:
        path: The file; it may not exist yet.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._offset = 0

    def reset(self) -> None:
        """Remove a file left by an earlier trial, so its values are not read again."""
        try:
            os.remove(self.path)
        except FileNotFoundError:
            pass
        self._offset = 0

    def read_new(self, final: bool = False) -> Tuple[List[Union[Metric, Extra]], List[str]]:
        """The metrics appended since the last call, and a message per unreadable line.

        Args:
            final: Also read a last line without a newline (the command has exited).

        Returns:
            The new metrics in file order, and the problems with lines that were skipped.
        """
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self._offset)
                chunk = handle.read()
        except FileNotFoundError:
            return [], []
        end = len(chunk) if final else chunk.rfind(b"\n") + 1
        self._offset += end
        metrics, problems = [], []
        for text in chunk[:end].decode("utf-8", "replace").splitlines():
            if text.strip():
                try:
                    where = f"{self.path}: {text.strip()[:80]}"
                    record = _json(text, self.path)
                    extras = parse_extras(record, where)
                    if extras is None:
                        metrics.append(parse_record(record, where))
                    else:
                        metrics.extend(extras)
                except MetricFormatError as exc:
                    problems.append(str(exc))
        return metrics, problems


def _json(text: str, path: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise MetricFormatError(f"{path}: {text.strip()[:80]!r} is not JSON") from None
