"""Option readers the model-based samplers share (floats, probabilities, optional ints)."""

from __future__ import annotations

import math
import numbers
from typing import Mapping, Union

from ..errors import SamplerError
from ..messages import show
from ..specs import int_option


def float_option(options: Mapping, key: str, low: float, high: float) -> float:
    """Read a real option in the open-closed range ``(low, high]``.

    Args:
        options: The options, defaults filled in.
        key: The option name.
        low: Exclusive lower bound.
        high: Inclusive upper bound.

    Returns:
        The value as a float.

    Raises:
        SamplerError: When it is not a finite number in range.
    """
    value = options[key]
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise SamplerError(f"{key} must be a number, not {show(value)}")
    if not low < value <= high:
        raise SamplerError(f"{key} must be above {low:g} and at most {high:g}, not {show(value)}")
    return float(value)


def optional_int_option(options: Mapping, key: str, minimum: int) -> Union[int, None]:
    """Read an integer option whose ``null`` means "choose for me".

    Args:
        options: The options, defaults filled in.
        key: The option name.
        minimum: The smallest value allowed.

    Returns:
        The value as an int, or None.

    Raises:
        SamplerError: When it is neither null nor an integer of at least ``minimum``.
    """
    if options[key] is None:
        return None
    return int_option(options, key, minimum, SamplerError)
