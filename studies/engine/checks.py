"""Fault finders for parameter specs.

Each finder returns a message (or yields ``(key, message)`` pairs) instead of raising,
so one pass over a spec can report every fault it has.
"""

from __future__ import annotations

import math
import numbers
import sys
from typing import Any, Iterator, Mapping, Union

from .condition import Condition, choice_key
from .errors import SearchSpaceError
from .messages import show
from .text import label_fault

MAX_NAME_LENGTH = 64
# A categorical with 200,000 choices made the study page take 8 s and its report 43 MB; every
# chart, summary and export walks the choices.
MAX_CHOICES = 1000
MAX_CHOICE_LENGTH = 200
# Ints beyond 2**53 are no longer exact as JSON numbers in browsers or as floats in
# the unit-interval maths, so int bounds stay inside it.
MAX_INT_BOUND = 2**53
EPS = sys.float_info.epsilon
# Tolerance, in grid steps, for "on the step grid" (plus a few ulps of the values):
# absorbs float error such as 0.3 / 0.1 == 2.9999999999999996, nothing typed on purpose.
GRID_RTOL = 1e-9

Fault = tuple  # (key within the spec, message); key "" means the spec itself


def name_fault(name: Any) -> Union[str, None]:
    """Check a parameter name.

    Args:
        name: The candidate name.

    Returns:
        None when it is an ASCII Python identifier of at most 64 characters, else the
        message (NUL, spaces, dashes and HTML characters all fail the identifier rule).
    """
    if not isinstance(name, str):
        return f"parameter names must be strings, not {show(name)}"
    if len(name) > MAX_NAME_LENGTH:
        return f"parameter name {show(name)} is longer than {MAX_NAME_LENGTH} characters"
    if not (name.isascii() and name.isidentifier()):
        return (
            f"parameter name {show(name)} is not a Python identifier "
            "(use ASCII letters, digits and _, not starting with a digit)"
        )
    return None


def key_faults(cls, spec: Mapping) -> Iterator[Fault]:
    """Unknown and missing keys of a spec.

    Args:
        cls: The parameter class (its ``KEYS``, ``REQUIRED`` and ``TYPE``).
        spec: The JSON object.

    Yields:
        ``(key, message)`` per unknown key, then per missing required key.
    """
    for key in spec:
        if key not in cls.KEYS:
            allowed = ", ".join(cls.KEYS)
            yield str(key), f"unknown key {show(key)}; {cls.TYPE} parameters take {allowed}"
    for key in cls.REQUIRED:
        if key not in spec:
            yield key, f"{key} is required"


def bound_faults(f: Mapping, check) -> Iterator[Fault]:
    """Faults of ``low`` and ``high`` taken alone.

    Args:
        f: The spec's fields (a missing bound is reported elsewhere).
        check: ``number_fault`` or ``integer_fault``.

    Yields:
        ``(key, message)`` per bad bound.

    Returns:
        ``(low, high)`` when both are present and well-typed, else None.
    """
    ok = True
    for key in ("low", "high"):
        if key not in f:
            ok = False
            continue
        fault = check(f[key], key)
        if fault:
            ok = False
            yield key, fault
    return (f["low"], f["high"]) if ok else None


def flag_faults(f: Mapping, key: str) -> Iterator[Fault]:
    """Fault of a boolean field.

    Args:
        f: The spec's fields.
        key: The field name; missing means false.

    Yields:
        ``(key, message)`` when the value is not a boolean.

    Returns:
        The flag, false when it was bad.
    """
    value = f.get(key, False)
    if not isinstance(value, bool):
        yield key, f"{key} must be true or false, not {show(value)}"
        return False
    return value


def range_faults(low, high, log: bool) -> Iterator[Fault]:
    """Faults of well-typed bounds together.

    Args:
        low, high: The bounds.
        log: Whether the parameter is log-scaled.

    Yields:
        ``(key, message)`` when ``low >= high`` and when log needs a positive ``low``.
    """
    if low >= high:
        yield "low", "low must be less than high"
    if log and low <= 0:
        yield "low", "low must be positive when log is true"


def number_fault(value: Any, key: str) -> Union[str, None]:
    """Check a number field.

    Args:
        value: Candidate.
        key: Its name in messages.

    Returns:
        None for a finite real (not a boolean), else the message.
    """
    if type(value) is float and math.isfinite(value) or type(value) is int and abs(value) < 2**1023:
        return None  # the common case, without the slower numbers.Real check
    if isinstance(value, bool):
        return f"{key} must be a number, not {show(value)} (booleans are not numbers here)"
    if not isinstance(value, numbers.Real):
        return f"{key} must be a number, not {show(value)}"
    try:
        finite = math.isfinite(value)
    except OverflowError:
        return f"{key} is too large"
    return None if finite else f"{key} must be a finite number, not {show(float(value))}"


def integer_fault(value: Any, key: str) -> Union[str, None]:
    """Check an integer field.

    Args:
        value: Candidate.
        key: Its name in messages.

    Returns:
        None for an integer (``2.0`` counts) within ±2**53, else the message.
    """
    if type(value) is int and abs(value) <= MAX_INT_BOUND:
        return None  # the common case, without the slower numbers.Real check
    if isinstance(value, bool):
        return f"{key} must be an integer, not {show(value)} (booleans are not numbers here)"
    if not isinstance(value, numbers.Real):
        return f"{key} must be an integer, not {show(value)}"
    if not isinstance(value, numbers.Integral):
        if not math.isfinite(value):
            return f"{key} must be a finite integer, not {show(float(value))}"
        if not float(value).is_integer():
            return f"{key} must be an integer, not {show(float(value))}"
    if abs(int(value)) > MAX_INT_BOUND:
        return f"{key} must be between -2**53 and 2**53"
    return None


def positive_fault(value, key: str) -> Union[str, None]:
    """Check that a number is positive.

    Args:
        value: A number.
        key: Its name in messages.

    Returns:
        None when positive, else the message.
    """
    return None if value > 0 else f"{key} must be positive"


def scalar_fault(value: Any, label: str) -> Union[str, None]:
    """Check a choice or a condition value.

    Args:
        value: Candidate choice.
        label: Its name in messages.

    Returns:
        None for a string, boolean or finite number, else the message.
    """
    if isinstance(value, (str, bool)):
        return None
    if isinstance(value, numbers.Real):
        try:
            if math.isfinite(value):
                return None
        except OverflowError:
            return f"{label} is too large"
        return f"{label} must be finite, not {show(float(value))}"
    return f"{label} must be a string, number or boolean, not {show(value)}"


def choice_faults(choices: Any) -> Iterator[Fault]:
    """Faults of a categorical's choices.

    Args:
        choices: The candidate list.

    Yields:
        ``("choices", message)`` for a non-list, an empty list, more than MAX_CHOICES
        choices, each non-scalar or non-finite choice, each text choice longer than
        MAX_CHOICE_LENGTH or that is not one line of visible text (see ``label_fault``),
        and each duplicate (1, 1.0 and true are duplicates).
    """
    if not isinstance(choices, (list, tuple)):
        yield "choices", f"choices must be a list, not {show(choices)}"
        return
    if not choices:
        yield "choices", "choices must not be empty"
        return
    if len(choices) > MAX_CHOICES:
        yield "choices", f"choices has {len(choices)} values; at most {MAX_CHOICES} are allowed"
        return
    first_at = {}
    for i, choice in enumerate(choices):
        fault = scalar_fault(choice, f"choices[{i}]")
        if fault:
            yield "choices", fault
            continue
        fault = _text_choice_fault(i, choice) if isinstance(choice, str) else None
        if fault:
            yield "choices", fault
            continue
        # Python equality on purpose: 1, 1.0 and True are one dict key, hence one choice.
        j = first_at.setdefault(choice, i)
        if j != i:
            yield "choices", _duplicate_message(i, choice, j, choices[j])


def _text_choice_fault(i: int, choice: str) -> Union[str, None]:
    if len(choice) > MAX_CHOICE_LENGTH:
        return f"choices[{i}] is {len(choice)} characters long; at most {MAX_CHOICE_LENGTH} are allowed"
    fault = label_fault(choice)
    return f"choices[{i}] {fault}" if fault else None


def _duplicate_message(i: int, choice, j: int, first) -> str:
    message = f"choices[{i}] ({show(choice)}) duplicates choices[{j}] ({show(first)})"
    if show(choice) != show(first):
        message += "; 1, 1.0 and true count as the same value"
    return message


def condition_from_json(obj: Any):
    """Read the JSON form ``{parent: [values]}``.

    Args:
        obj: The JSON value of ``condition``.

    Returns:
        ``(Condition, None)``, or ``(None, message)`` when the shape is wrong.
    """
    example = 'like {"kernel": ["poly"]}'
    if not isinstance(obj, Mapping):
        return None, f"condition must be an object {example}, not {show(obj)}"
    if len(obj) != 1:
        return None, f"condition must name exactly one parent {example}, not {len(obj)}"
    ((parent, values),) = obj.items()
    if not isinstance(values, (list, tuple)):
        return None, f"condition values for {show(parent)} must be a list {example}, not {show(values)}"
    return Condition(parent, tuple(values)), None


def condition_faults(condition: Any) -> Iterator[Fault]:
    """Faults of a condition taken alone (the parent is checked against the space later).

    Args:
        condition: None or a ``Condition``.

    Yields:
        ``("condition", message)`` per fault: wrong type, empty values, a non-scalar or repeated value.
    """
    if condition is None:
        return
    if not isinstance(condition, Condition):
        yield "condition", f"condition must be a Condition, not {show(condition)}"
        return
    if not isinstance(condition.parent, str):
        yield "condition", f"condition parent must be a parameter name, not {show(condition.parent)}"
    if not isinstance(condition.values, tuple) or not condition.values:
        yield "condition", "condition values must be a non-empty list"
        return
    seen = set()
    for i, value in enumerate(condition.values):
        fault = scalar_fault(value, f"condition values[{i}]")
        if fault:
            yield "condition", fault
        elif choice_key(value) in seen:
            yield "condition", f"condition value {show(value)} is listed twice"
        else:
            seen.add(choice_key(value))


def raise_faults(name: str, faults) -> None:
    """Raise the faults of one parameter, if any.

    Args:
        name: The parameter name; an invalid name is the only fault reported.
        faults: ``(key, message)`` pairs.

    Raises:
        SearchSpaceError: With paths ``name`` (key "") or ``"name.key"``.
    """
    fault = name_fault(name)
    if fault:
        raise SearchSpaceError([("", fault)])
    errors = [(f"{name}.{key}" if key else name, message) for key, message in faults]
    if errors:
        raise SearchSpaceError(errors)


def step_faults(low: float, high: float, step: float) -> Iterator[Fault]:
    """Faults of a float step against well-ordered bounds.

    Args:
        low, high: The bounds, ``low < high``.
        step: A positive step.

    Yields:
        ``("step", message)`` when the step is too fine for the bounds' magnitude or
        does not divide ``high - low`` (up to float error).
    """
    resolution = EPS * max(abs(low), abs(high))
    # A step within a thousand float ulps of the bounds would give grid values that
    # float error can no longer tell apart.
    if step < 1e3 * resolution:
        yield "step", f"step is too fine for bounds of this size; use at least {1e3 * resolution:.1e}"
        return
    n_steps = (high - low) / step
    if abs(n_steps - round(n_steps)) > GRID_RTOL * max(1.0, n_steps) + 4 * resolution / step:
        yield "step", f"step must divide high - low ({show(high - low)} is not a multiple of {show(step)})"
