"""What the gp sampler's Gaussian process fits: the losses standardised, a far tail pulled in
first, and optionally on a log scale before that; with the log density those targets give
the losses themselves, so that two scales can be weighed by their evidence."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# Losses this many interquartile ranges above the upper quartile are squashed on a log
# scale before the fit (see ``tame_tail``). At 1 it cost Ackley 6-D and Branin; at 5 only
# Branin's last digits moved (bench/README.md, "Issue 15, third round").
TAIL_IQRS = 5.0
# The log scale is log(loss - min + _LOG_OFFSET * (median - min)): the offset keeps the best
# loss finite and sets how far the scale stretches the region near the best (the sixth
# round's prototype; bench/README.md, "Issue 15, sixth round").
_LOG_OFFSET = 0.01


class Targets(NamedTuple):
    """Standardised targets and the log of |d target / d loss| summed over the trials: the
    term that turns the model's log density of the targets into one of the losses."""

    y: np.ndarray
    log_jacobian: float


def standardise(losses: np.ndarray) -> np.ndarray:
    """The losses with a far tail pulled in (``tame_tail``), scaled to mean 0 and variance 1."""
    return _scaled(tame_tail(losses))


def _scaled(tamed: np.ndarray) -> np.ndarray:
    # Dividing by the largest magnitude first keeps values near 1e300 from overflowing the variance.
    scale = np.abs(tamed).max() or 1.0
    scaled = tamed / scale
    return (scaled - scaled.mean()) / (scaled.std() or 1.0)


def tame_tail(losses: np.ndarray) -> np.ndarray:
    """The losses with those far above the bulk pulled in on a log scale, order kept.

    Losses more than ``TAIL_IQRS`` interquartile ranges above the upper quartile become
    ``cap + IQR * log1p(excess / IQR)``. One diverged model (an SVR with a sigmoid kernel
    scored 9e4 where the rest lie between 0.47 and 1.1) otherwise takes nearly all the
    variance, and the standardised losses of every other trial differ by about 1e-5: the
    model sees a flat function and a spike (bench/README.md, "Issue 15, third round").
    """
    return _tamed(losses)[0]


def _tamed(losses: np.ndarray) -> tuple:
    """``tame_tail``'s losses, with the interquartile range and the cap it squashed above."""
    spread, cap = _tail(losses)
    above = losses > cap
    if not spread > 0 or not above.any():
        return losses, spread, cap
    tamed = np.array(losses, dtype=float)
    tamed[above] = cap + spread * np.log1p((losses[above] - cap) / spread)
    return tamed, spread, cap


def _tail(losses: np.ndarray) -> tuple:
    """The interquartile range and the loss above which ``tame_tail`` squashes."""
    q1, q3 = np.percentile(losses, [25, 75])
    return q3 - q1, q3 + TAIL_IQRS * (q3 - q1)


def can_log(losses: np.ndarray) -> bool:
    """Whether the log scale is defined: the median loss must lie above the best one."""
    return bool(np.median(losses) > losses.min())


def targets(losses: np.ndarray, log: bool) -> Targets:
    """The standardised targets of ``losses``, on a log scale first when ``log``, with their Jacobian.

    Every step is monotone in the loss and fixed by the losses as a whole (minimum, median,
    quartiles, mean, spread); the Jacobian takes those as constants, as a warped GP does.

    Args:
        losses: Losses of the scored trials (n,), n >= 2; with ``log``, ``can_log(losses)``.
        log: Take ``log(loss - min + 0.01 (median - min))`` before taming and standardising.

    Returns:
        ``Targets(y, log_jacobian)``.

    Example:
        >>> targets(np.array([1.0, 2.0, 3.0]), log=False).y.round(3)
        array([-1.225,  0.   ,  1.225])
    """
    log_jacobian = 0.0
    if log:
        shifted = losses - losses.min() + _LOG_OFFSET * (np.median(losses) - losses.min())
        losses = np.log(shifted)
        log_jacobian -= float(losses.sum())
    tamed, spread, cap = _tamed(losses)
    y = _scaled(tamed)
    # The tail's squash: d/dx of cap + IQR log1p((x - cap) / IQR) is IQR / (IQR + x - cap).
    moved = tamed != losses
    if moved.any():
        log_jacobian -= float(np.log1p((losses[moved] - cap) / spread).sum())
    # The standardisation is affine in the tamed losses: one slope for every trial.
    if np.ptp(tamed) > 0 and np.ptp(y) > 0:
        log_jacobian += len(y) * float(np.log(np.ptp(y) / np.ptp(tamed)))
    return Targets(y, log_jacobian)
