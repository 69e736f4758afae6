"""NSGA-II: multi-objective evolution by non-dominated sorting and crowding distance."""

from __future__ import annotations

from typing import Union

import numpy as np

from ..space import SearchSpace
from ..trial import check_directions
from ._genetic import GeneticSampler, offspring
from ._history import objective_losses
from .base import Directions, History
from .random import RandomSampler


class NSGA2Sampler(GeneticSampler):
    """NSGA-II for studies with several objectives (one objective works too).

    Stateless and steady-state, like ``evolution``: each ask sorts every complete
    trial into non-dominated fronts, fills the population of ``population_size``
    front by front, cutting the last front by crowding distance (the members in the
    emptiest regions of the objective space stay), and ranks the members by front
    and then by crowding distance. Parents are chosen by binary tournament on that
    rank and bred with the operators of the evolution sampler (uniform crossover,
    type-respecting mutation, conditions handled). Failed and pruned trials are left
    out: a pruned trial has no value per objective. The first ``n_startup_trials``
    complete trials are random. Trials with constraints sort by Deb's constrained
    domination: a feasible trial dominates an infeasible one, and of two infeasible
    trials the one with the smaller total violation dominates.

    Args:
        population_size: Parents kept (default 20, at least 2).
        n_startup_trials: Random trials first (default 10, at least 2).
        crossover_prob: Chance of uniform crossover (default 0.9).
        mutation_prob: Chance that each parameter mutates; null (default) means one
            over the number of parameters.
        mutation_scale: Standard deviation of a numeric mutation in unit coordinates
            (default 0.1).
    """

    name = "nsga2"

    title = "NSGA-II"
    describe = "Evolves trials towards the best trade-offs between several goals (for example accuracy against speed)."

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose params for one new trial; see ``Sampler.sample``."""
        signs = [1.0 if d == "minimize" else -1.0 for d in check_directions(directions)]
        scored = [(t, losses) for t, losses in ((t, objective_losses(t, signs)) for t in trials) if losses is not None]
        if len(scored) < self.n_startup_trials:
            return RandomSampler().sample(space, trials, rng, directions)
        violations = np.array([t.violation for t, _ in scored])
        chosen, order = select_population(np.array([losses for _, losses in scored]), self.population_size,
                                          violations)
        parents = [scored[i][0].params for i in chosen]
        return offspring(space, parents, order, trials, rng, self)


def select_population(losses: np.ndarray, size: int, violations: Union[np.ndarray, None] = None) -> tuple:
    """NSGA-II environmental selection.

    Args:
        losses: Array (n, m) of losses to minimise.
        size: Members to keep.
        violations: Array (n,) of total constraint violations (0 when feasible), or None.

    Returns:
        ``(chosen, order)``: indices into ``losses`` of the kept members, and their
        ranks (0 best) by front, then by crowding distance, then by history order.
    """
    chosen, levels, crowding = [], [], []
    for level, front in enumerate(non_dominated_fronts(losses, size, violations)):
        distance = crowding_distance(losses[front])
        kept = np.lexsort((front, -distance))[: size - len(chosen)]
        chosen.extend(int(front[i]) for i in kept)
        levels.extend([level] * len(kept))
        crowding.extend(distance[kept])
    order = np.empty(len(chosen), dtype=int)
    order[np.lexsort((np.arange(len(chosen)), -np.array(crowding), levels))] = np.arange(len(chosen))
    return np.array(chosen), order


def non_dominated_fronts(losses: np.ndarray, enough: int, violations: Union[np.ndarray, None] = None) -> list:
    """Peel non-dominated fronts until they hold at least ``enough`` points.

    Args:
        losses: Array (n, m) of losses to minimise.
        enough: Stop once the fronts found hold this many points.
        violations: Array (n,) of total constraint violations, or None: with them,
            domination is Deb's constrained domination (feasible beats infeasible; of
            two infeasible points, the smaller violation wins).

    Returns:
        List of index arrays, best front first.
    """
    # One objective at a time keeps memory at n x n booleans, not n x n x m.
    at_most = np.ones((len(losses), len(losses)), dtype=bool)
    below = np.zeros_like(at_most)
    for column in losses.T:
        at_most &= column[:, None] <= column[None, :]
        below |= column[:, None] < column[None, :]
    dominates = at_most & below  # [i, j]: i dominates j
    if violations is not None and np.any(violations > 0):
        feasible = violations <= 0
        both_feasible = feasible[:, None] & feasible[None, :]
        dominates = np.where(both_feasible, dominates,
                             (feasible[:, None] & ~feasible[None, :])
                             | (~feasible[:, None] & ~feasible[None, :] & (violations[:, None] < violations[None, :])))
    n_dominators = dominates.sum(axis=0)
    remaining = np.ones(len(losses), dtype=bool)
    fronts, found = [], 0
    while found < min(enough, len(losses)):
        front = np.flatnonzero(remaining & (n_dominators == 0))
        fronts.append(front)
        found += len(front)
        remaining[front] = False
        n_dominators = n_dominators - dominates[front].sum(axis=0)
    return fronts


def crowding_distance(losses: np.ndarray) -> np.ndarray:
    """NSGA-II crowding distance within one front.

    Args:
        losses: Array (k, m).

    Returns:
        Array (k,): infinite at each objective's extremes, else the sum over objectives
        of the normalised gap between a point's neighbours.
    """
    k, m = losses.shape
    distance = np.zeros(k)
    if k <= 2:
        return np.full(k, np.inf)
    for j in range(m):
        order = np.argsort(losses[:, j], kind="stable")
        column = losses[order, j]
        span = column[-1] - column[0]
        distance[order[0]] = distance[order[-1]] = np.inf
        if span > 0:
            distance[order[1:-1]] += (column[2:] - column[:-2]) / span
    return distance
