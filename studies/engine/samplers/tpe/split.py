"""Splitting the history into the good ("below") and the rest ("above") for TPE."""

from __future__ import annotations

import math
from itertools import islice
from typing import Sequence, Union

import numpy as np

from ...trial import TrialRecord

PENDING = ("waiting", "running")
_RANKED = ("complete", "pruned")
# Optuna's and Watanabe's default: the best 10%, but never more than 25 points, so the
# good density stays sharp in long studies.
_GAMMA = 0.1
_MAX_BELOW = 25


def n_below(n: int) -> int:
    """How many of ``n`` ranked trials count as good: ``min(ceil(0.1 n), 25)``."""
    return min(math.ceil(_GAMMA * n), _MAX_BELOW)


def split_trials(trials: Sequence[TrialRecord], directions: Sequence[str], constant_liar: bool) -> tuple:
    """Split trials into the good ones and the others.

    Complete trials rank by value (by non-domination rank, then hypervolume contribution,
    for several objectives). Pruned trials rank after every complete one: those that got
    further first, then by their last intermediate value. Failed trials are left out.
    With ``constant_liar``, pending trials join the others, as if they had failed badly,
    so that parallel workers steer away from points already being evaluated.

    Trials that break a constraint (``TrialRecord.violation`` > 0) rank after every
    feasible one, the least violating first, as in Optuna's constrained TPE; a trial
    without constraints counts as feasible.

    Args:
        trials: The trials to split (already restricted to one parameter group).
        directions: "minimize" / "maximize" per objective.
        constant_liar: Whether pending trials count as bad.

    Returns:
        ``(below, above)``: lists of ``TrialRecord``.
    """
    # The `is not None` test first keeps unconstrained histories (up to 100,000 trials) cheap.
    infeasible = sorted((t for t in trials if t.constraints is not None and t.state in _RANKED and t.violation > 0),
                        key=lambda t: t.violation)
    if infeasible:
        trials = [t for t in trials if t.state not in _RANKED or t.violation == 0]
    pruned = [t for t in trials if t.state == "pruned"]
    if len(directions) == 1:
        sign = 1.0 if directions[0] == "minimize" else -1.0
        complete = [t for t in trials if t.state == "complete"]
        # None becomes NaN here, and both are left out; a stable argsort orders ties as
        # sorted() would. Histories run to 100,000 trials: no Python call per trial.
        values = sign * np.array([t.value for t in complete], dtype=float)
        scored = np.flatnonzero(~np.isnan(values))
        order = scored[np.argsort(values[scored], kind="stable")]
        k = n_below(len(order) + len(pruned) + len(infeasible))
        ranked = [complete[i] for i in order.tolist()] + sorted(pruned, key=lambda t: _pruned_key(t, sign))
        ranked += infeasible
        below, above = ranked[:k], ranked[k:]
    else:
        complete = [t for t in trials if t.state == "complete" and _has_values(t, len(directions))]
        k = n_below(len(complete) + len(pruned) + len(infeasible))
        keep = set(_best_multi(complete, directions, k).tolist())
        below = [t for i, t in enumerate(complete) if i in keep]
        above = [t for i, t in enumerate(complete) if i not in keep] + pruned
        room = max(k - len(below), 0)
        below, above = below + infeasible[:room], above + infeasible[room:]
    if constant_liar:
        above += [t for t in trials if t.state in PENDING]
    return below, above


def count_ranked(trials: Sequence[TrialRecord], at_most: Union[int, None] = None) -> int:
    """How many trials carry information for TPE (complete or pruned).

    Args:
        trials: The history.
        at_most: Stop counting there (the start-up check needs no more).

    Returns:
        The count, or ``at_most`` when there are at least that many.
    """
    ranked = (t for t in trials if t.state in _RANKED)
    return sum(1 for _ in islice(ranked, at_most))


def _has_values(trial: TrialRecord, n_objectives: int) -> bool:
    return trial.values is not None and len(trial.values) == n_objectives


def _pruned_key(trial: TrialRecord, sign: float) -> tuple:
    if trial.intermediate:
        step = max(trial.intermediate)
        value = trial.intermediate[step]
        return (-step, sign * value if not math.isnan(value) else math.inf)
    return (0, sign * trial.value if trial.value is not None else math.inf)


def _best_multi(complete: Sequence[TrialRecord], directions: Sequence[str], k: int) -> np.ndarray:
    """Indices of the k best trials: whole non-domination fronts, the last one thinned."""
    if k <= 0 or not complete:
        return np.zeros(0, dtype=int)
    signs = np.array([1.0 if d == "minimize" else -1.0 for d in directions])
    losses = np.array([t.values for t in complete], dtype=float) * signs
    ranks = nondomination_ranks(losses)
    chosen = []
    for rank in range(ranks.max() + 1):
        front = np.flatnonzero(ranks == rank)
        room = k - len(chosen)
        if len(front) > room:
            chosen.extend(front[_thin_front(losses[front], room)])
            break
        chosen.extend(front)
        if len(chosen) == k:
            break
    return np.array(chosen, dtype=int)


def nondomination_ranks(losses: np.ndarray) -> np.ndarray:
    """Rank 0 for the Pareto front, 1 for the front once it is removed, and so on.

    Args:
        losses: Shape (n, m), every objective to be minimised.

    Returns:
        Int array of shape (n,).
    """
    dominates = (losses[:, None] <= losses[None]).all(axis=2) & (losses[:, None] < losses[None]).any(axis=2)
    n_dominators = dominates.sum(axis=0)
    ranks = np.full(len(losses), -1)
    rank = 0
    current = np.flatnonzero(n_dominators == 0)
    while current.size:
        ranks[current] = rank
        n_dominators = n_dominators - dominates[current].sum(axis=0)
        n_dominators[ranks >= 0] = -1
        current = np.flatnonzero(n_dominators == 0)
        rank += 1
    return ranks


def _thin_front(front: np.ndarray, keep: int) -> np.ndarray:
    """Keep the points of one front that add most: hypervolume contribution for two
    objectives (dropping the smallest contributor one at a time), crowding distance beyond."""
    if keep <= 0:
        return np.zeros(0, dtype=int)
    if front.shape[1] != 2:
        return np.argsort(-_crowding(front), kind="stable")[:keep]
    alive = list(range(len(front)))
    reference = front.max(axis=0) + np.maximum(np.abs(front.max(axis=0)) * 0.1, 1.0)
    while len(alive) > keep:
        alive.pop(int(np.argmin(_contributions_2d(front[alive], reference))))
    return np.array(alive, dtype=int)


def _contributions_2d(points: np.ndarray, reference: np.ndarray) -> np.ndarray:
    order = np.argsort(points[:, 0], kind="stable")
    x, y = points[order, 0], points[order, 1]
    right = np.append(x[1:], reference[0])
    up = np.insert(y[:-1], 0, reference[1])
    contribution = np.empty(len(points))
    contribution[order] = np.maximum(right - x, 0) * np.maximum(up - y, 0)
    return contribution


def _crowding(front: np.ndarray) -> np.ndarray:
    distance = np.zeros(len(front))
    for j in range(front.shape[1]):
        order = np.argsort(front[:, j], kind="stable")
        span = front[order[-1], j] - front[order[0], j] or 1.0
        distance[order[[0, -1]]] = np.inf
        distance[order[1:-1]] += (front[order[2:], j] - front[order[:-2], j]) / span
    return distance
