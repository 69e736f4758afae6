"""Unit-cube coordinates of a search space, as the model-based samplers see it.

Two views of one point:

* the *raw* vector has one coordinate in [0, 1] per parameter, in ``space.params``
  order, exactly what ``param.from_unit`` reads (random and qmc draw these);
* the *encoded* vector is what a surrogate model sees: one column per float or int
  (the raw coordinate snapped to the centre of its step or integer cell, so every
  point the model scores is a point that can be tried), one-hot columns per
  categorical, and fixed values for parameters that are inactive at that point
  (0.5 for numbers, all zeros for choices), so inactive coordinates carry no signal.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence, Union

import numpy as np

from ..params import CategoricalParam, FloatParam, IntParam
from ..space import SearchSpace

INACTIVE_NUMBER = 0.5


class Encoder:
    """Maps params to raw vectors, raw vectors to encoded ones, and back to params.

    Args:
        space: The search space.

    Attributes:
        n_raw: Coordinates of a raw vector (one per parameter).
        n_encoded: Columns of an encoded vector.
        continuous: Raw indices of floats without step (the dims a gradient can move).
        discrete: Raw indices of ints, stepped floats and categoricals.
        categorical: Raw indices of categoricals (a subset of ``discrete``).
    """

    def __init__(self, space: SearchSpace):
        self.space = space
        self.params = space.params
        index = {p.name: i for i, p in enumerate(self.params)}
        self._parents = [None if p.condition is None else index[p.condition.parent] for p in self.params]
        self._allowed = [_allowed_indices(p, self.params, index) for p in self.params]
        self._columns, start = [], 0
        for p in self.params:
            width = len(p.choices) if isinstance(p, CategoricalParam) else 1
            self._columns.append(slice(start, start + width))
            start += width
        self.n_raw, self.n_encoded = len(self.params), start
        self.continuous = [i for i, p in enumerate(self.params) if isinstance(p, FloatParam) and p.step is None]
        self.discrete = [i for i in range(self.n_raw) if i not in self.continuous]
        self.categorical = [i for i, p in enumerate(self.params) if isinstance(p, CategoricalParam)]

    def raw(self, params: Mapping) -> Union[np.ndarray, None]:
        """The raw vector of a trial's params (0.5 where a parameter is absent).

        Args:
            params: Name -> value.

        Returns:
            A vector of ``n_raw`` floats, or None when a value does not belong to the
            space (a choice it does not have, a non-number), so the trial is skipped.
        """
        u = np.full(self.n_raw, INACTIVE_NUMBER)
        for i, p in enumerate(self.params):
            if p.name not in params:
                continue
            value = params[p.name]
            try:
                if isinstance(p, CategoricalParam) and p.index_of(value) is None:
                    return None
                u[i] = p.to_unit(value)
            except (TypeError, ValueError, OverflowError):
                return None
        return u

    def active(self, raw: np.ndarray) -> np.ndarray:
        """Which parameters are active at each raw point.

        Args:
            raw: Array (n, n_raw).

        Returns:
            Boolean array (n, n_raw).
        """
        mask = np.ones(raw.shape, dtype=bool)
        for i, parent in enumerate(self._parents):
            if parent is not None:
                chosen = self._choice_index(raw[:, parent], self.params[parent])
                mask[:, i] = mask[:, parent] & self._allowed[i][chosen]
        return mask

    def encode(self, raw: np.ndarray) -> np.ndarray:
        """Encode raw points (vectorised).

        Args:
            raw: Array (n, n_raw) in [0, 1].

        Returns:
            Array (n, n_encoded).
        """
        raw = np.clip(np.atleast_2d(raw), 0.0, 1.0)
        active = self.active(raw)
        out = np.zeros((raw.shape[0], self.n_encoded))
        for i, p in enumerate(self.params):
            cols = self._columns[i]
            if isinstance(p, CategoricalParam):
                chosen = self._choice_index(raw[:, i], p)
                out[np.arange(len(raw)), cols.start + chosen] = 1.0
                out[~active[:, i], cols] = 0.0
            else:
                out[:, cols.start] = np.where(active[:, i], snap(p, raw[:, i]), INACTIVE_NUMBER)
        return out

    def discrete_columns(self) -> np.ndarray:
        """Boolean mask over the encoded columns: those of ints, stepped floats and categoricals."""
        mask = np.zeros(self.n_encoded, dtype=bool)
        for i in self.discrete:
            mask[self._columns[i]] = True
        return mask

    def column(self, i: int) -> int:
        """The encoded column of numeric parameter ``i`` (its only one)."""
        return self._columns[i].start

    def decode(self, raw: np.ndarray) -> dict:
        """The params of one raw point: active ones only, native Python values.

        Args:
            raw: Vector of ``n_raw`` floats.

        Returns:
            Name -> value.
        """
        params = {}
        for p, u in zip(self.params, raw):
            if self.space.is_active(p, params):
                params[p.name] = p.from_unit(float(u))
        return params

    def levels(self, i: int, u: float, max_levels: int = 16) -> np.ndarray:
        """Raw coordinates of the values a discrete parameter can take, for a local sweep.

        Args:
            i: Raw index of a discrete parameter.
            u: Its current raw coordinate.
            max_levels: Above this many values, the nearest three each side and an
                even spread of ``max_levels`` are returned instead of all of them.

        Returns:
            Cell centres in [0, 1].
        """
        p = self.params[i]
        n = _n_cells(p)
        if n <= max_levels:
            cells = np.arange(n)
        else:
            here = _cell_of(p, u, n)
            near = np.clip(np.arange(here - 3, here + 4), 0, n - 1)
            cells = np.unique(np.concatenate([near, np.linspace(0, n - 1, max_levels).round().astype(int)]))
        if isinstance(p, IntParam) and p.log:
            lo, hi = math.log(p.low - 0.5), math.log(p.high + 0.5)
            return (np.log(p.low + cells) - lo) / (hi - lo)
        return (cells + 0.5) / n

    def combinations(self, limit: int) -> np.ndarray:
        """Raw coordinates of every combination of the categoricals' choices, one row each.

        Args:
            limit: The most combinations wanted.

        Returns:
            Array (combinations, len(categorical)) of choice centres, in
            ``itertools.product`` order; empty (0 rows) when there are more than ``limit``
            or no categoricals.
        """
        sizes = [len(self.params[i].choices) for i in self.categorical]
        if not sizes or math.prod(sizes) > limit:
            return np.empty((0, len(sizes)))
        grids = np.meshgrid(*[(np.arange(k) + 0.5) / k for k in sizes], indexing="ij")
        return np.stack([g.ravel() for g in grids], axis=1)

    def combination_index(self, raw: np.ndarray) -> np.ndarray:
        """The row of ``combinations`` that each raw point's categoricals take.

        Args:
            raw: Array (n, n_raw).

        Returns:
            Integer array (n,).
        """
        sizes = [len(self.params[i].choices) for i in self.categorical]
        chosen = [self._choice_index(raw[:, i], self.params[i]) for i in self.categorical]
        return np.ravel_multi_index(chosen, sizes) if sizes else np.zeros(len(raw), dtype=int)

    @staticmethod
    def _choice_index(u: np.ndarray, p: CategoricalParam) -> np.ndarray:
        k = len(p.choices)
        return np.minimum((np.clip(u, 0.0, 1.0) * k).astype(int), k - 1)


def snap(p, u: np.ndarray) -> np.ndarray:
    """``p.to_unit(p.from_unit(u))`` for a float or int parameter, vectorised.

    Args:
        p: A ``FloatParam`` or ``IntParam``.
        u: Raw coordinates in [0, 1].

    Returns:
        The unit coordinate of the value each ``u`` maps to.
    """
    u = np.clip(u, 0.0, 1.0)
    if isinstance(p, IntParam) and p.log:
        lo, hi = math.log(p.low - 0.5), math.log(p.high + 0.5)
        value = np.clip(np.rint(np.exp(lo + u * (hi - lo))), p.low, p.high)
        return np.clip((np.log(value) - lo) / (hi - lo), 0.0, 1.0)
    if isinstance(p, FloatParam) and p.step is None:
        return u
    n = _n_cells(p)
    return (np.minimum(np.floor(u * n), n - 1) + 0.5) / n


def _n_cells(p) -> int:
    if isinstance(p, CategoricalParam):
        return len(p.choices)
    if isinstance(p, IntParam):
        return p.high - p.low + 1 if p.log else (p.high - p.low) // p.step + 1
    return round((p.high - p.low) / p.step) + 1


def _cell_of(p, u: float, n: int) -> int:
    if isinstance(p, IntParam) and p.log:
        return p.from_unit(u) - p.low
    return min(int(u * n), n - 1)


def _allowed_indices(p, params: Sequence, index: Mapping) -> Union[np.ndarray, None]:
    """Per choice of the parent, whether it activates ``p`` (a lookup, faster than ``isin``)."""
    if p.condition is None:
        return None
    parent = params[index[p.condition.parent]]
    allowed = np.zeros(len(parent.choices), dtype=bool)
    allowed[[parent.index_of(v) for v in p.condition.values]] = True
    return allowed
