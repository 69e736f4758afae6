"""Search-space parameters: small immutable value objects.

A parameter parses from and serialises to the public JSON format, finds its own
faults with precise messages, checks user-given values, numbers its grid values,
and maps values to and from the unit interval, the coordinates every sampler shares.

Discrete parameters (ints, floats with a step) map each value to the middle of an
equal cell of [0, 1], so a uniform ``u`` gives a uniform value, ``high`` included,
and ``from_unit(to_unit(v)) == v``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any, ClassVar, Iterator, Mapping, Union

from .checks import (
    GRID_RTOL,
    Fault,
    bound_faults,
    choice_faults,
    condition_faults,
    condition_from_json,
    flag_faults,
    integer_fault,
    key_faults,
    number_fault,
    positive_fault,
    raise_faults,
    range_faults,
    scalar_fault,
    step_faults,
)
from .condition import Condition, choice_key
from .errors import SearchSpaceError
from .messages import show
from .numerics import clip01, nearest, tidy


class _Param:
    """Behaviour shared by the parameter classes; not part of the public surface."""

    TYPE: ClassVar[str]
    KEYS: ClassVar[tuple]
    REQUIRED: ClassVar[tuple]

    def __post_init__(self):
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "name"}
        raise_faults(self.name, self._faults(values))
        self._normalise()

    @classmethod
    def from_json(cls, name: str, spec: Mapping) -> "Param":
        """Parse one parameter spec of this type.

        Args:
            name: The parameter name (already checked by the caller).
            spec: The JSON object, including ``"type"``.

        Returns:
            The parameter.

        Raises:
            SearchSpaceError: With every fault found in the spec, paths ``"name.key"``.
        """
        faults = list(key_faults(cls, spec))
        # null stands for the default of an optional key; a null required key is a fault of its own.
        values = {
            key: value
            for key, value in spec.items()
            if key in cls.KEYS and key != "type" and (value is not None or key in cls.REQUIRED)
        }
        if "condition" in values:
            condition, fault = condition_from_json(values.pop("condition"))
            if fault:
                faults.append(("condition", fault))
            else:
                values["condition"] = condition
        faults.extend(cls._faults(values))
        raise_faults(name, faults)
        return cls(name=name, **values)

    def to_json(self) -> dict:
        """Serialise to the public JSON form.

        Returns:
            The public JSON spec, with keys left out where they hold their default.
        """
        spec = {"type": self.TYPE, **self._spec()}
        if self.condition is not None:
            spec["condition"] = self.condition.to_json()
        return spec

    def _fault(self, message: str) -> SearchSpaceError:
        return SearchSpaceError([(self.name, message)])

    def _normalise(self):
        pass


@dataclass(frozen=True)
class FloatParam(_Param):
    """A real-valued parameter in ``[low, high]``.

    Args:
        name: A Python identifier (ASCII, at most 64 characters).
        low: Lower bound, finite and below ``high``; positive when ``log``.
        high: Upper bound, finite.
        log: Sample uniformly in log space.
        step: Restrict values to ``low + k * step``; must divide ``high - low``; not with ``log``.
        condition: Optional ``Condition`` on a categorical parent.

    Raises:
        SearchSpaceError: With one ``(path, message)`` per fault.

    Example:
        >>> FloatParam("lr", 1e-4, 1.0, log=True).to_unit(0.01)
        0.5
    """

    name: str
    low: float
    high: float
    log: bool = False
    step: Union[float, None] = None
    condition: Union[Condition, None] = None

    TYPE = "float"
    KEYS = ("type", "low", "high", "log", "step", "condition")
    REQUIRED = ("low", "high")

    @classmethod
    def _faults(cls, f: Mapping) -> Iterator[Fault]:
        bounds = yield from bound_faults(f, number_fault)
        log = yield from flag_faults(f, "log")
        step = f.get("step")
        if step is not None:
            fault = number_fault(step, "step") or positive_fault(step, "step")
            if fault:
                yield "step", fault
                step = None
        if bounds:
            low, high = float(bounds[0]), float(bounds[1])
            yield from range_faults(low, high, log)
            if not math.isfinite(high - low):
                yield "high", "high - low is too large to represent; narrow the range or use log"
            elif step is not None and not log and low < high:
                yield from step_faults(low, high, float(step))
        if step is not None and log:
            yield "step", "step cannot be combined with log; drop one of them"
        yield from condition_faults(f.get("condition"))

    def _normalise(self):
        object.__setattr__(self, "low", float(self.low))
        object.__setattr__(self, "high", float(self.high))
        if self.step is not None:
            object.__setattr__(self, "step", float(self.step))

    def _spec(self) -> dict:
        spec = {"low": self.low, "high": self.high}
        if self.log:
            spec["log"] = True
        if self.step is not None:
            spec["step"] = self.step
        return spec

    @cached_property
    def _n_steps(self) -> int:
        return round((self.high - self.low) / self.step)

    def _value_at(self, k: int) -> float:
        value = tidy(self.low + k * self.step, tolerance=self.step * GRID_RTOL)
        return min(max(value, self.low), self.high)

    def _continuous_at(self, k: int, grid_points: int) -> float:
        if k >= grid_points - 1:
            return self.high
        if self.log:
            ratio = math.log(self.high) - math.log(self.low)
            value = math.exp(math.log(self.low) + ratio * k / (grid_points - 1))
        else:
            value = self.low + (self.high - self.low) * k / (grid_points - 1)
        return min(max(tidy(value, tolerance=abs(value) * 1e-14), self.low), self.high)

    def to_unit(self, value: float) -> float:
        """Map a value to [0, 1] (log-warped where ``log``; cell centres where ``step``).

        Args:
            value: A number; values outside the bounds are clipped.

        Returns:
            A float in [0, 1].
        """
        v = min(max(float(value), self.low), self.high)
        if self.step is not None:
            k = min(max(round((v - self.low) / self.step), 0), self._n_steps)
            return (k + 0.5) / (self._n_steps + 1)
        if self.log:
            return clip01((math.log(v) - math.log(self.low)) / (math.log(self.high) - math.log(self.low)))
        return clip01((v - self.low) / (self.high - self.low))

    def from_unit(self, u: float) -> float:
        """Map ``u`` in [0, 1] to a value, uniform in the parameter's own space.

        Args:
            u: A float; clipped to [0, 1].

        Returns:
            A Python float in ``[low, high]``, on the step grid where there is one.
        """
        u = clip01(float(u))
        if self.step is not None:
            return self._value_at(min(int(u * (self._n_steps + 1)), self._n_steps))
        if u in (0.0, 1.0):
            # exp(log(low)) and low + (high - low) can miss the bounds by an ulp.
            return self.high if u else self.low
        if self.log:
            value = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        else:
            value = self.low + u * (self.high - self.low)
        return min(max(value, self.low), self.high)

    def validate_value(self, value: Any) -> float:
        """Check a user-given value.

        Args:
            value: The value to check.

        Returns:
            The value as a float, snapped onto the step grid where float error put it off it.

        Raises:
            SearchSpaceError: With path ``name`` and what is wrong.
        """
        fault = number_fault(value, "value")
        if fault:
            raise self._fault(fault)
        v = float(value)
        k = None if self.step is None else nearest(v, (v - self.low) / self.step, self._n_steps, self._value_at)
        if k is not None:
            return self._value_at(k)
        if v < self.low:
            raise self._fault(f"value {show(v)} is below low ({show(self.low)})")
        if v > self.high:
            raise self._fault(f"value {show(v)} is above high ({show(self.high)})")
        if self.step is not None:
            raise self._fault(f"value {show(v)} is not on the step grid (low {show(self.low)}, step {show(self.step)})")
        return v

    def n_grid(self, grid_points: int) -> int:
        """How many values the parameter takes on the grid.

        Args:
            grid_points: Values for a float without step.

        Returns:
            How many grid values.
        """
        return grid_points if self.step is None else self._n_steps + 1

    def grid_value(self, k: int, grid_points: int) -> float:
        """The value at grid position ``k``.

        Args:
            k: Position in ``range(n_grid)``.
            grid_points: As for ``n_grid``.

        Returns:
            The value.
        """
        return self._value_at(k) if self.step is not None else self._continuous_at(k, grid_points)

    def grid_position(self, value: Any, grid_points: int) -> Union[int, None]:
        """The grid position of a value; the inverse of ``grid_value``.

        Args:
            value: A value.
            grid_points: As for ``n_grid``.

        Returns:
            Its grid position, or None if off the grid.
        """
        if number_fault(value, "value"):
            return None
        v = float(value)
        if self.step is not None:
            return nearest(v, (v - self.low) / self.step, self._n_steps, self._value_at)
        if self.log and v <= 0:
            return None
        if self.log:
            estimate = (math.log(v) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
        else:
            estimate = (v - self.low) / (self.high - self.low)
        return nearest(v, estimate * (grid_points - 1), grid_points - 1, lambda k: self._continuous_at(k, grid_points))


@dataclass(frozen=True)
class IntParam(_Param):
    """An integer parameter in ``[low, high]``, both included.

    Args:
        name: A Python identifier (ASCII, at most 64 characters).
        low: Lower bound, an integer below ``high``; at least 1 when ``log``.
        high: Upper bound, an integer; both bounds within ±2**53.
        log: Sample log-uniformly (each int weighted by the log-width of its cell).
        step: Values are ``low + k * step``; must divide ``high - low``; 1 when ``log``.
        condition: Optional ``Condition`` on a categorical parent.

    Raises:
        SearchSpaceError: With one ``(path, message)`` per fault.

    Example:
        >>> IntParam("trees", 50, 500, step=50).from_unit(0.99)
        500
    """

    name: str
    low: int
    high: int
    log: bool = False
    step: int = 1
    condition: Union[Condition, None] = None

    TYPE = "int"
    KEYS = ("type", "low", "high", "log", "step", "condition")
    REQUIRED = ("low", "high")

    @classmethod
    def _faults(cls, f: Mapping) -> Iterator[Fault]:
        bounds = yield from bound_faults(f, integer_fault)
        log = yield from flag_faults(f, "log")
        step = f.get("step", 1)
        fault = integer_fault(step, "step") or positive_fault(step, "step")
        if fault:
            yield "step", fault
            step = None
        if bounds:
            low, high = int(bounds[0]), int(bounds[1])
            yield from range_faults(low, high, log)
            if step is not None and not log and low < high and (high - low) % int(step):
                yield "step", f"step must divide high - low ({high - low} is not a multiple of {int(step)})"
        if step is not None and log and int(step) != 1:
            yield "step", "step must be 1 when log is true"
        yield from condition_faults(f.get("condition"))

    def _normalise(self):
        for key in ("low", "high", "step"):
            object.__setattr__(self, key, int(getattr(self, key)))

    def _spec(self) -> dict:
        spec = {"low": self.low, "high": self.high}
        if self.log:
            spec["log"] = True
        if self.step != 1:
            spec["step"] = self.step
        return spec

    @property
    def _n_steps(self) -> int:
        return (self.high - self.low) // self.step

    def to_unit(self, value: int) -> float:
        """Map a value to [0, 1] (the centre of its cell; log-warped where ``log``).

        Args:
            value: A number; rounded to an int and clipped to the bounds.

        Returns:
            A float in [0, 1].
        """
        v = min(max(int(round(value)), self.low), self.high)
        if self.log:
            lo, hi = math.log(self.low - 0.5), math.log(self.high + 0.5)
            return clip01((math.log(v) - lo) / (hi - lo))
        k = (v - self.low) // self.step
        return (k + 0.5) / (self._n_steps + 1)

    def from_unit(self, u: float) -> int:
        """Map ``u`` in [0, 1] to a value: uniform over the step grid, or log-uniform.

        Args:
            u: A float; clipped to [0, 1].

        Returns:
            A Python int in ``[low, high]`` on the step grid.
        """
        u = clip01(float(u))
        if self.log:
            # Widening by half a unit each side gives low and high full-width cells.
            lo, hi = math.log(self.low - 0.5), math.log(self.high + 0.5)
            return min(max(int(round(math.exp(lo + u * (hi - lo)))), self.low), self.high)
        return self.low + min(int(u * (self._n_steps + 1)), self._n_steps) * self.step

    def validate_value(self, value: Any) -> int:
        """Check a user-given value.

        Args:
            value: The value to check; an integral float such as ``3.0`` is accepted.

        Returns:
            The value as a Python int.

        Raises:
            SearchSpaceError: With path ``name`` and what is wrong.
        """
        fault = integer_fault(value, "value")
        if fault:
            raise self._fault(fault)
        v = int(value)
        if v < self.low:
            raise self._fault(f"value {v} is below low ({self.low})")
        if v > self.high:
            raise self._fault(f"value {v} is above high ({self.high})")
        if (v - self.low) % self.step:
            raise self._fault(f"value {v} is not on the step grid (low {self.low}, step {self.step})")
        return v

    def n_grid(self, grid_points: int) -> int:
        """How many values the parameter takes on the grid.

        Args:
            grid_points: Ignored (ints use every value).

        Returns:
            How many grid values.
        """
        return self._n_steps + 1

    def grid_value(self, k: int, grid_points: int) -> int:
        """The value at grid position ``k``.

        Args:
            k: Position in ``range(n_grid)``.
            grid_points: Ignored.

        Returns:
            The value.
        """
        return self.low + k * self.step

    def grid_position(self, value: Any, grid_points: int) -> Union[int, None]:
        """The grid position of a value; the inverse of ``grid_value``.

        Args:
            value: A value.
            grid_points: Ignored.

        Returns:
            Its grid position, or None if off the grid.
        """
        if integer_fault(value, "value"):
            return None
        v = int(value)
        if not self.low <= v <= self.high or (v - self.low) % self.step:
            return None
        return (v - self.low) // self.step


@dataclass(frozen=True)
class CategoricalParam(_Param):
    """A parameter that takes one of a list of choices.

    Args:
        name: A Python identifier (ASCII, at most 64 characters).
        choices: Non-empty tuple (a list is converted) of at most 1,000 distinct strings
            (each one line of visible text, at most 200 characters), finite numbers or
            booleans. ``1``, ``1.0`` and ``true`` count as the same value.
        condition: Optional ``Condition`` on a categorical parent.

    Raises:
        SearchSpaceError: With one ``(path, message)`` per fault.
    """

    name: str
    choices: tuple
    condition: Union[Condition, None] = None

    TYPE = "categorical"
    KEYS = ("type", "choices", "condition")
    REQUIRED = ("choices",)

    @classmethod
    def _faults(cls, f: Mapping) -> Iterator[Fault]:
        if "choices" in f:
            yield from choice_faults(f["choices"])
        yield from condition_faults(f.get("condition"))

    def _normalise(self):
        object.__setattr__(self, "choices", tuple(self.choices))

    def _spec(self) -> dict:
        return {"choices": list(self.choices)}

    @cached_property
    def _positions(self) -> dict:
        return {choice_key(c): i for i, c in enumerate(self.choices)}

    def index_of(self, value: Any) -> Union[int, None]:
        """Find a value among the choices.

        Args:
            value: A candidate choice.

        Returns:
            Its position in ``choices``, or None (``true`` is not ``1``).
        """
        if scalar_fault(value, "value"):
            return None
        return self._positions.get(choice_key(value))

    def to_unit(self, value: Any) -> float:
        """Map a choice to the centre of its cell in [0, 1].

        Args:
            value: One of the choices.

        Returns:
            The centre of its cell in [0, 1].
        """
        return (self.index_of(value) + 0.5) / len(self.choices)

    def from_unit(self, u: float) -> Any:
        """Map ``u`` in [0, 1] to a choice.

        Args:
            u: A float, clipped to [0, 1].

        Returns:
            ``choices[floor(u * k)]``, uniform for uniform ``u``.
        """
        k = len(self.choices)
        return self.choices[min(int(clip01(float(u)) * k), k - 1)]

    def validate_value(self, value: Any) -> Any:
        """Check a user-given value.

        Args:
            value: The value to check.

        Returns:
            The matching choice as stored in the space.

        Raises:
            SearchSpaceError: With path ``name`` when the value is not a choice.
        """
        i = self.index_of(value)
        if i is None:
            shown = ", ".join(show(c) for c in self.choices[:10]) + (", ..." if len(self.choices) > 10 else "")
            raise self._fault(f"value {show(value)} is not one of the choices ({shown})")
        return self.choices[i]

    def n_grid(self, grid_points: int) -> int:
        """How many values the parameter takes on the grid.

        Args:
            grid_points: Ignored.

        Returns:
            The number of choices.
        """
        return len(self.choices)

    def grid_value(self, k: int, grid_points: int) -> Any:
        """The value at grid position ``k``.

        Args:
            k: Position in ``range(n_grid)``.
            grid_points: Ignored.

        Returns:
            ``choices[k]``.
        """
        return self.choices[k]

    def grid_position(self, value: Any, grid_points: int) -> Union[int, None]:
        """The grid position of a value; the inverse of ``grid_value``.

        Args:
            value: A value.
            grid_points: Ignored.

        Returns:
            Its index in ``choices``, or None.
        """
        return self.index_of(value)


Param = Union[FloatParam, IntParam, CategoricalParam]
PARAM_TYPES = {cls.TYPE: cls for cls in (FloatParam, IntParam, CategoricalParam)}


def param_from_json(name: str, spec: Any) -> Param:
    """Parse one parameter spec of the public JSON format.

    Args:
        name: The parameter name (checked by the caller with ``name_fault``).
        spec: The JSON value given for it.

    Returns:
        A ``FloatParam``, ``IntParam`` or ``CategoricalParam``.

    Raises:
        SearchSpaceError: With every fault in the spec; paths ``name`` or ``"name.key"``.

    Example:
        >>> param_from_json("depth", {"type": "int", "low": 2, "high": 12})
        IntParam(name='depth', low=2, high=12, log=False, step=1, condition=None)
    """
    if not isinstance(spec, Mapping):
        example = '{"type": "float", "low": 0, "high": 1}'
        raise SearchSpaceError([(name, f"the spec must be an object such as {example}, not {show(spec)}")])
    if "type" not in spec:
        raise SearchSpaceError([(f"{name}.type", "type is required: float, int or categorical")])
    kind = spec["type"]
    cls = PARAM_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise SearchSpaceError([(f"{name}.type", f"unknown type {show(kind)}; use float, int or categorical")])
    return cls.from_json(name, spec)
