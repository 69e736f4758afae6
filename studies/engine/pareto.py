"""Non-dominated trials of a multi-objective study."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .samplers.nsga2 import non_dominated_fronts
from .trial import TrialRecord, check_directions


def pareto_front(trials: Sequence[TrialRecord], directions: Sequence[str]) -> tuple:
    """The complete trials that no other complete trial dominates.

    A trial dominates another when it is at least as good in every objective and
    strictly better in one. Trials with equal values do not dominate each other, so
    both stay. With one direction this gives the best trial(s).

    Args:
        trials: The history; only "complete" trials count, and those with a missing (None)
            or NaN value are left out.
        directions: "minimize" / "maximize" per objective.

    Returns:
        Tuple of ``TrialRecord`` in history order.

    Raises:
        ValueError: When directions are invalid or a complete trial has the wrong number of values.
    """
    directions = check_directions(directions)
    complete = [t for t in trials if t.state == "complete"]
    objectives = [_objectives(t, len(directions)) for t in complete]
    candidates = [(t, v) for t, v in zip(complete, objectives) if not any(x is None or math.isnan(x) for x in v)]
    if not candidates:
        return ()
    signs = np.array([1.0 if d == "minimize" else -1.0 for d in directions])
    losses = np.array([v for _, v in candidates], dtype=float) * signs
    keep = _non_dominated(losses)
    return tuple(candidates[i][0] for i in sorted(keep))


def pareto_ranks(values: Sequence[Sequence[float]], directions: Sequence[str]) -> tuple:
    """Each point's Pareto rank: 1 for the non-dominated front, 2 for the front left once
    the first is removed, and so on (NSGA-II's non-dominated sorting).

    Memory grows with the square of the number of points: rank a sample of at most a few
    thousand.

    Args:
        values: One row per point, one value per objective; none missing.
        directions: "minimize" / "maximize" per objective.

    Returns:
        Tuple of ints, one per row, in the rows' order.

    Raises:
        ValueError: When directions are invalid or a row has the wrong number of values.

    Example:
        >>> pareto_ranks([[1, 2], [2, 1], [2, 2], [3, 3]], ["minimize", "minimize"])
        (1, 1, 2, 3)
    """
    directions = check_directions(directions)
    if not len(values):
        return ()
    losses = np.array(values, dtype=float).reshape(len(values), -1)
    if losses.shape[1] != len(directions):
        raise ValueError(f"each point needs {len(directions)} values, one per direction")
    losses = losses * np.array([1.0 if d == "minimize" else -1.0 for d in directions])
    ranks = np.zeros(len(losses), dtype=int)
    for level, front in enumerate(non_dominated_fronts(losses, len(losses)), start=1):
        ranks[front] = level
    return tuple(ranks.tolist())


def _objectives(trial: TrialRecord, n_objectives: int) -> tuple:
    values = trial.values if trial.values is not None else (trial.value,)
    if len(values) != n_objectives:
        raise ValueError(f"trial {trial.number} has {len(values)} value(s); the study has {n_objectives} directions")
    return tuple(None if v is None else float(v) for v in values)


def _non_dominated(losses: np.ndarray) -> list:
    # A dominator sorts before what it dominates, and domination is transitive, so each
    # row in lexicographic order needs checking only against the front found so far.
    order = np.lexsort(losses.T[::-1])
    front = np.empty_like(losses)
    keep = []
    for i in order:
        row = losses[i]
        kept = front[: len(keep)]
        if not np.any(np.all(kept <= row, axis=1) & np.any(kept < row, axis=1)):
            front[len(keep)] = row
            keep.append(int(i))
    return keep
