"""Float arithmetic of grids: finding a value's grid position through float error, tidy values."""

from __future__ import annotations

import math
from typing import Union

from .checks import EPS, GRID_RTOL


def nearest(value: float, estimate: float, last: int, value_at) -> Union[int, None]:
    """The grid position whose value is ``value`` up to float error.

    ``estimate`` is the arithmetic inverse, which float error can put off by one, so the
    neighbours are compared by value; the grid's own values match exactly.

    Args:
        value: The value to place.
        estimate: Its approximate position, a float.
        last: The last grid position (positions are ``range(last + 1)``).
        value_at: Position -> grid value.

    Returns:
        The position, or None when ``value`` is not a grid value.
    """
    if not math.isfinite(estimate):
        return None
    k = round(estimate)
    if 0 <= k <= last and value_at(k) == value:
        return k
    candidates = [j for j in (k - 1, k, k + 1) if 0 <= j <= last]
    if not candidates:
        return None
    best = min(candidates, key=lambda j: abs(value_at(j) - value))
    spacing = abs(value_at(best + 1 if best < last else best - 1) - value_at(best))
    slack = GRID_RTOL * spacing + 4 * EPS * max(abs(value), abs(value_at(best)))
    return best if abs(value_at(best) - value) <= slack else None


def tidy(value: float, tolerance: float) -> float:
    """Round to 15 significant digits when that moves the value by at most ``tolerance``.

    Args:
        value: A computed grid value.
        tolerance: The largest shift allowed.

    Returns:
        The tidy value, or ``value`` unchanged.
    """
    # low + k * step gives 0.30000000000000004; 15 significant digits give 0.3 back,
    # kept only when the shift is far below the step so distinct grid values stay distinct.
    tidy = float(f"{value:.15g}")
    return tidy if abs(tidy - value) <= tolerance else value


def clip01(u: float) -> float:
    """Clip to the unit interval.

    Args:
        u: A float.

    Returns:
        ``u`` clipped to [0, 1].
    """
    return min(max(u, 0.0), 1.0)
