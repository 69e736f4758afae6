"""Hypervolume: how much of the objective space the best trade-offs of a study cover.

The hypervolume of a set of points is the volume of the region they dominate, bounded by
a reference point that is worse than all of them in every objective. It grows whenever a
trial improves the best trade-offs, so its history shows whether a multi-objective search
is still making progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from .pareto import _non_dominated
from .trial import check_directions

MAX_EXACT_FRONT = 12
N_ESTIMATE_SAMPLES = 20_000
ESTIMATE_SEED = 0
REFERENCE_MARGIN = 0.1


@dataclass(frozen=True)
class HypervolumeHistory:
    """The hypervolume after each point, the reference point, and how it was computed.

    Attributes:
        volumes: Hypervolume of the non-dominated set of the points so far, one per point.
        reference: The reference point, in the objectives' own units and directions.
        exact: False when the volumes are a Monte Carlo estimate (3+ objectives and a large front).
    """

    volumes: tuple
    reference: tuple
    exact: bool


def hypervolume(losses: np.ndarray, reference: Sequence[float]) -> float:
    """The exact hypervolume that points to minimise dominate, up to a reference point.

    Two objectives use a sweep along the first objective (n log n). Three or more use the
    WFG recursion (While, Bradstreet and Barone 2012): the volume is the sum over points of
    each point's exclusive part, which is its own box less the volume of the later points
    limited to that box. It is exponential in the worst case: keep fronts small (see
    ``MAX_EXACT_FRONT``). A point not strictly better than the reference in every objective
    adds nothing.

    Args:
        losses: Array (n, m) of losses to minimise (a maximised objective negated).
        reference: m numbers, the corner the volume is measured up to.

    Returns:
        The volume, 0.0 for no points.

    Raises:
        ValueError: When the shapes of ``losses`` and ``reference`` disagree.

    Example:
        >>> hypervolume(np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]]), [4.0, 4.0])
        6.0
    """
    points, ref = _inside(losses, reference)
    return _volume(points, ref)


def hypervolume_history(
    values: Sequence[Sequence[float]], directions: Sequence[str], reference: Optional[Sequence[float]] = None
) -> HypervolumeHistory:
    """The hypervolume of the best trade-offs after each trial, against one fixed reference.

    The reference point is, unless given, ``reference_point(values, directions)``: in each
    objective the worst value observed over the whole history moved 10% of that objective's
    observed range further away (1.0 when every value is equal). Several studies measured up
    to one reference (``reference_point`` of all their values) can be compared. Fixed for the whole history, the curve can only rise. With two
    objectives, or fronts of at most ``MAX_EXACT_FRONT`` points all along, the volumes are
    exact; otherwise they are a Monte Carlo estimate from ``N_ESTIMATE_SAMPLES`` points
    drawn uniformly (seed ``ESTIMATE_SEED``, so the same history gives the same curve)
    between the best values and the reference.

    Args:
        values: Each complete trial's values, one per objective, in trial order; none missing.
        directions: "minimize" / "maximize" per objective.
        reference: The corner to measure up to, one number per objective in its own units;
            a trial not better than it in every objective adds nothing.

    Returns:
        A ``HypervolumeHistory`` with one volume per trial.

    Raises:
        ValueError: When directions are invalid or a row has the wrong number of values.

    Example:
        >>> found = hypervolume_history([[1.0, 3.0], [3.0, 1.0]], ["minimize", "minimize"])
        >>> found.reference, [round(v, 2) for v in found.volumes]
        ((3.2, 3.2), [0.44, 0.84])
    """
    directions = check_directions(directions)
    signs = np.array([1.0 if d == "minimize" else -1.0 for d in directions])
    losses = np.array(values, dtype=float).reshape(len(values), -1) if len(values) else np.zeros((0, len(signs)))
    if losses.shape[1] != len(signs):
        raise ValueError(f"each trial needs {len(signs)} values, one per direction")
    losses = losses * signs
    if not len(losses):
        return HypervolumeHistory((), tuple(reference) if reference is not None else (), True)
    reference = _reference(losses) if reference is None else np.asarray(reference, dtype=float) * signs
    volumes = _exact_history(losses, reference)
    exact = volumes is not None
    if not exact:
        volumes = _estimated_history(losses, reference)
    return HypervolumeHistory(tuple(volumes), tuple((reference * signs).tolist()), exact)


def reference_point(values: Sequence[Sequence[float]], directions: Sequence[str]) -> tuple:
    """The corner ``hypervolume_history`` measures up to by default, for these values.

    Args:
        values: Trials' values, one per objective (several studies' together, to compare them).
        directions: "minimize" / "maximize" per objective.

    Returns:
        One number per objective, in its own units; () for no values.

    Example:
        >>> reference_point([[1.0, 3.0], [3.0, 1.0]], ["minimize", "maximize"])
        (3.2, 0.8)
    """
    signs = np.array([1.0 if d == "minimize" else -1.0 for d in check_directions(directions)])
    if not len(values):
        return ()
    return tuple((_reference(np.array(values, dtype=float).reshape(len(values), -1) * signs) * signs).tolist())


def _reference(losses):
    worst, best = losses.max(axis=0), losses.min(axis=0)
    span = worst - best
    return worst + np.where(span > 0, REFERENCE_MARGIN * span, 1.0)


def _inside(losses, reference):
    points = np.asarray(losses, dtype=float).reshape(len(losses), -1) if len(losses) else np.zeros((0, len(reference)))
    ref = np.asarray(reference, dtype=float)
    if points.shape[1] != len(ref):
        raise ValueError(f"points have {points.shape[1]} objectives; the reference has {len(ref)}")
    return points[np.all(points < ref, axis=1)], ref


def _volume(points, ref):
    if not len(points):
        return 0.0
    if len(ref) == 1:
        return float(ref[0] - points[:, 0].min())
    points = np.unique(points, axis=0)
    points = points[_non_dominated(points)]
    if len(ref) == 2:
        return _sweep(points, ref)
    return _wfg(points, ref)


def _sweep(points, ref):
    # Non-dominated in two objectives: sorted by the first, the second falls.
    points = points[np.argsort(points[:, 0], kind="stable")]
    edges = np.append(points[1:, 0], ref[0])
    return float(np.sum((edges - points[:, 0]) * (ref[1] - points[:, 1])))


def _wfg(points, ref):
    total = 0.0
    for i, point in enumerate(points):
        later = np.maximum(points[i + 1 :], point)
        later = later[np.all(later < ref, axis=1)]
        total += float(np.prod(ref - point)) - _volume(later, ref)
    return total


def _exact_history(losses, reference):
    """Exact volumes, or None once a front of 3+ objectives outgrows ``MAX_EXACT_FRONT``."""
    front = np.zeros((0, losses.shape[1]))
    volume, volumes = 0.0, []
    exact = _sweep if losses.shape[1] == 2 else _wfg
    for point in losses:
        # A point some front point weakly dominates adds no volume: the curve stays flat. So
        # the front stays free of dominated and repeated points, as `exact` needs.
        if not np.any(np.all(front <= point, axis=1)):
            front = np.vstack([front[~np.all(point <= front, axis=1)], point])
            if exact is _wfg and len(front) > MAX_EXACT_FRONT:
                return None
            volume = exact(front, reference)
        volumes.append(volume)
    return volumes


def _estimated_history(losses, reference, chunk=256):
    rng = np.random.default_rng(ESTIMATE_SEED)
    low = losses.min(axis=0)
    samples = rng.uniform(low, reference, size=(N_ESTIMATE_SAMPLES, losses.shape[1]))
    # The first trial that covers each sample; a sample once covered stays covered, so only
    # the uncovered ones are compared with the next chunk of trials.
    first = np.full(len(samples), len(losses))
    for start in range(0, len(losses), chunk):
        open_ = np.flatnonzero(first == len(losses))
        if not len(open_):
            break
        block = losses[start : start + chunk]
        covers = np.all(samples[open_, None, :] >= block[None, :, :], axis=2)
        hit = covers.any(axis=1)
        first[open_[hit]] = start + covers[hit].argmax(axis=1)
    counts = np.cumsum(np.bincount(first, minlength=len(losses) + 1)[: len(losses)])
    box = float(np.prod(reference - low))
    return (box * counts / len(samples)).tolist()
