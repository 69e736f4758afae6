"""Trials that ran outside a study (in Optuna, a CSV, another study), checked before a study takes them.

Importing and warm starting share one rule: a trial from outside is taken only when its params
fit the study's search space and its outcome fits the study's directions; otherwise the fault
is named, trial by trial, and nothing is taken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence, Union

from .errors import SearchSpaceError
from .messages import show
from .space import SearchSpace

OUTSIDE_STATES = ("complete", "pruned", "failed")
MAX_STEP = 2**31 - 1  # the widest step every database we use stores


@dataclass(frozen=True)
class OutsideTrial:
    """A finished trial from outside the study, as given.

    Args:
        params: Name -> value.
        state: One of ``OUTSIDE_STATES``.
        value: The objective value of a single-objective trial.
        values: The objective values of a multi-objective trial.
        intermediate: Step -> intermediate value reported on the way.
        error: Why a failed trial failed, if known.
        started_at, finished_at: When it ran, if known (passed through unchecked).
        attrs: What the code that ran it noted about it (passed through: the service checks it).
        source: Where it comes from, for the caller (the id of the trial it copies); passed through.
        metrics: Name -> number recorded but not optimised (passed through: the service checks it).
        constraints: Its constraint values (feasible when every one is <= 0), or None when it
            gave none (passed through: the service checks them).
    """

    params: Mapping[str, Any]
    state: str = "complete"
    value: Union[float, None] = None
    values: Union[Sequence[float], None] = None
    intermediate: Mapping[int, float] = field(default_factory=dict)
    error: str = ""
    started_at: Any = None
    finished_at: Any = None
    attrs: Mapping[str, Any] = field(default_factory=dict)
    source: Any = None
    metrics: Mapping[str, float] = field(default_factory=dict)
    constraints: Union[Sequence[float], None] = None


class OutsideTrialError(ValueError):
    """Some outside trials do not fit the study.

    Attributes:
        errors: ``(index, field, message)`` per fault; ``index`` is the trial's position in the
            given list, ``field`` is ``"params.<name>"``, ``"state"``, ``"value"``, ``"values"`` or
            ``"intermediate"``.
    """

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(f"trial {i}: {f}: {m}" for i, f, m in self.errors[:10]))


def check_outside_trials(space: SearchSpace, directions: Sequence[str], trials: Sequence[OutsideTrial]) -> list:
    """Check outside trials against a study and return them cleaned.

    Args:
        space: The study's search space.
        directions: The study's directions (one per objective value).
        trials: The trials to check.

    Returns:
        A list of ``OutsideTrial`` in the given order: params normalised by
        ``SearchSpace.validate_params``, values as floats, intermediate values as
        ``{int: float}``.

    Raises:
        OutsideTrialError: With every fault of every trial; nothing is returned then.

    Example:
        >>> space = SearchSpace.from_json({"x": {"type": "float", "low": 0, "high": 1}})
        >>> check_outside_trials(space, ["minimize"], [OutsideTrial({"x": 2}, value=1.0)])
        Traceback (most recent call last):
        ...
        studies.engine.outside.OutsideTrialError: trial 0: params.x: value 2.0 is above high (1.0)
    """
    clean, errors = [], []
    for index, trial in enumerate(trials):
        faults = []
        checked = _checked(space, len(directions), trial, faults)
        errors += [(index, path, message) for path, message in faults]
        clean.append(checked)
    if errors:
        raise OutsideTrialError(errors)
    return clean


def fitting_trials(space: SearchSpace, directions: Sequence[str], trials: Sequence[OutsideTrial]) -> list:
    """The outside trials that fit the study, cleaned as ``check_outside_trials`` does; the rest are left out.

    Args:
        space: The study's search space.
        directions: The study's directions.
        trials: The candidates.

    Returns:
        The cleaned trials that fit, in the given order.
    """
    kept = []
    for trial in trials:
        faults = []
        checked = _checked(space, len(directions), trial, faults)
        if not faults:
            kept.append(checked)
    return kept


def _checked(space, n_objectives, trial, faults):
    params = _params(space, trial.params, faults)
    if trial.state not in OUTSIDE_STATES:
        faults.append(("state", f"state {show(trial.state)} is not a finished state; use complete, pruned or failed"))
        return None
    value, values = _outcome(trial, n_objectives, faults)
    intermediate = _intermediate(trial.intermediate, faults)
    error = str(trial.error or ("failed" if trial.state == "failed" else ""))[:10_000]
    # What the engine does not check (times, attrs, metrics, constraints, source) passes through.
    return replace(trial, params=params, value=value, values=values, intermediate=intermediate, error=error)


def _params(space, params, faults):
    try:
        return space.validate_params(params)
    except SearchSpaceError as exc:
        faults.extend((f"params.{path}" if path else "params", message) for path, message in exc.errors)
        return None


def _outcome(trial, n_objectives, faults):
    if trial.state == "failed":
        return None, None
    if n_objectives > 1:
        values = trial.values
        if values is None and trial.state == "pruned":
            return None, None
        if not isinstance(values, (list, tuple)) or len(values) != n_objectives:
            faults.append(("values", f"values must be a list of {n_objectives} numbers, one per direction"))
            return None, None
        if not all(_is_finite(v) for v in values):
            faults.append(("values", f"every value must be a finite number, got {show(list(values))}"))
            return None, None
        return None, [float(v) for v in values]
    value = trial.value
    if value is None and trial.state == "pruned":
        return None, None
    if value is None:
        faults.append(("value", "value is required for a complete trial"))
    elif not _is_finite(value):
        faults.append(("value", f"value must be a finite number, got {show(value)}"))
    else:
        return float(value), None
    return None, None


def _intermediate(intermediate, faults):
    clean = {}
    for step, value in (intermediate or {}).items():
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= MAX_STEP:
            faults.append(("intermediate", f"step must be a whole number from 0 to {MAX_STEP}, got {show(step)}"))
        elif not _is_finite(value):
            faults.append(("intermediate", f"the value at step {step} must be a finite number, got {show(value)}"))
        else:
            clean[step] = float(value)
    return clean


def _is_finite(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
