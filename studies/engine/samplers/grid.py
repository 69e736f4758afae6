"""Exhaustive grid search, indexed arithmetically so huge grids cost nothing to count."""

from __future__ import annotations

from itertools import count
from math import gcd

import numpy as np

from ..errors import GridExhausted, SamplerError
from ..grid_tree import GridTree
from ..space import SearchSpace
from ..specs import int_option
from .base import Directions, History, Sampler

MAX_GRID_POINTS = 1_000_000
# A stride near N / golden ratio makes consecutive trials land far apart in the grid,
# so a study stopped early has seen the spread of the space, not one corner of it.
_GOLDEN_FRACTION = 0.6180339887498949


class GridSampler(Sampler):
    """Tries every combination of a finite space once, then raises ``GridExhausted``.

    Floats without step take ``grid_points`` values (log-spaced where ``log``, both
    ends included); floats with step and ints take every value on their grid;
    categoricals take every choice; conditional parameters vary only within the
    branches that activate them.

    Points are visited in the order ``index = rank * a mod N``, where N is the grid size
    and ``a`` is the integer nearest ``0.618 * N`` that is coprime with N. The order
    depends on the grid alone (no seed, no state), so every worker agrees on it. Each
    ask returns the first point in that order that no trial in the history uses, in
    any state, pending ones included.

    Args:
        grid_points: Values taken by a float without step (an int of at least 2, default 10).
    """

    name = "grid"

    title = "Grid search"
    describe = "Tries every combination of the parameter values once; best for small spaces."
    options = {"grid_points": 10}

    def __init__(self, grid_points: int = 10):
        self.grid_points = grid_points

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        return {"grid_points": int_option(options, "grid_points", 2, SamplerError)}

    def check(self, space: SearchSpace) -> None:
        """Refuse grids of more than 1,000,000 points; see ``Sampler.check``.

        Raises:
            SamplerError: Giving the grid size.
        """
        self._tree(space)

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose the next unused grid point; see ``Sampler.sample``. ``rng`` is not used.

        Raises:
            SamplerError: When the grid has more than 1,000,000 points.
            GridExhausted: When every point is used by a trial in the history.
        """
        tree = self._tree(space)
        used = {tree.index(trial.params) for trial in trials}
        used.discard(None)
        if len(used) >= tree.size:
            raise GridExhausted(f"all {tree.size:,} grid points have been tried")
        order = _VisitOrder(tree.size)
        taken = {order.rank(index) for index in used}
        first_free = next(rank for rank in count() if rank not in taken)
        return tree.point(order.index(first_free))

    def _tree(self, space: SearchSpace) -> GridTree:
        tree = GridTree(space, self.grid_points)
        if tree.size > MAX_GRID_POINTS:
            raise SamplerError(
                f"the grid has {tree.size:,} points, more than the limit of {MAX_GRID_POINTS:,}; "
                "add steps, narrow the int ranges or lower grid_points"
            )
        return tree


class _VisitOrder:
    """The permutation rank -> index = rank * stride mod size, and its inverse."""

    def __init__(self, size: int):
        self.size = size
        stride = max(1, round(size * _GOLDEN_FRACTION))
        while gcd(stride, size) != 1:
            stride += 1
        self.stride = stride
        self.inverse = pow(stride, -1, size) if size > 1 else 0

    def index(self, rank: int) -> int:
        return rank * self.stride % self.size

    def rank(self, index: int) -> int:
        return index * self.inverse % self.size
