"""Parameter groups for TPE, and their encoding as arrays.

A group is the set of parameters that share one activation condition, so they appear
together in every trial that has any of them: the unconditional ones form the root
group, and each ``(parent, values)`` condition forms another. TPE models each group
jointly (one multivariate kernel over all its parameters) on the trials that have it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ...condition import choice_key
from ...params import CategoricalParam, FloatParam, IntParam
from ...space import SearchSpace
from ...trial import TrialRecord


@dataclass(frozen=True)
class Group:
    """Parameters that are active together.

    Args:
        numeric: The float and int params.
        categorical: The categorical params.

    Attributes:
        names: The names of all of them (set from the params).
    """

    numeric: tuple
    categorical: tuple
    names: tuple = ()

    def __post_init__(self):
        # having() tests every trial of the history per ask: the names are worth computing once.
        object.__setattr__(self, "names", tuple(p.name for p in self.numeric + self.categorical))
        object.__setattr__(self, "_name_set", frozenset(self.names))

    @property
    def first(self):
        return (self.numeric + self.categorical)[0]

    @property
    def n_choices(self) -> np.ndarray:
        return np.array([len(p.choices) for p in self.categorical], dtype=int)

    @property
    def discrete(self) -> np.ndarray:
        """Which numeric params are ints or stepped floats, in ``numeric`` order."""
        return np.array([isinstance(p, IntParam) or p.step is not None for p in self.numeric], dtype=bool)

    def having(self, trials: Sequence[TrialRecord]) -> list:
        """The trials that have every parameter of the group, in history order."""
        # One comprehension with a set comparison in C, no call per trial: histories
        # run to 100,000 trials.
        names = self._name_set
        return [t for t in trials if t.params.keys() >= names]

    def encode(self, trials: Sequence[TrialRecord]) -> tuple:
        """The trials' params as ``(numeric, categorical)`` arrays (rows in trial order)."""
        numeric = np.empty((len(trials), len(self.numeric)))
        for j, param in enumerate(self.numeric):
            numeric[:, j] = _to_unit(param, [t.params[param.name] for t in trials])
        categorical = np.empty((len(trials), len(self.categorical)), dtype=int)
        for j, param in enumerate(self.categorical):
            categorical[:, j] = _choice_indices(param, [t.params[param.name] for t in trials])
        return numeric, categorical

    def snap(self, numeric: np.ndarray) -> np.ndarray:
        """Move sampled unit coordinates of discrete params onto the values they decode to."""
        snapped = numeric.copy()
        for j, param in enumerate(self.numeric):
            if isinstance(param, IntParam) and param.log:
                lo, hi = math.log(param.low - 0.5), math.log(param.high + 0.5)
                values = np.clip(np.rint(np.exp(lo + numeric[:, j] * (hi - lo))), param.low, param.high)
                snapped[:, j] = _to_unit(param, values)
            elif isinstance(param, IntParam) or param.step is not None:
                n_cells = _n_cells(param)
                cell = np.minimum(np.floor(numeric[:, j] * n_cells), n_cells - 1)
                snapped[:, j] = (cell + 0.5) / n_cells
        return snapped

    def decode(self, numeric: np.ndarray, categorical: np.ndarray) -> dict:
        """One row of each array back to native params."""
        params = {p.name: p.from_unit(float(u)) for p, u in zip(self.numeric, numeric)}
        params.update({p.name: p.choices[int(i)] for p, i in zip(self.categorical, categorical)})
        return params


def groups_of(space: SearchSpace) -> list:
    """The space's groups, each after the group holding its condition's parent.

    Args:
        space: The search space.

    Returns:
        A list of ``Group``; the first holds the unconditional params.
    """
    members = {}
    for param in space.params:
        key = None if param.condition is None else (param.condition.parent, param.condition.values)
        members.setdefault(key, []).append(param)
    # space.params puts every parent before its children, and dicts keep insertion order.
    groups = []
    for params in members.values():
        numeric = tuple(p for p in params if not isinstance(p, CategoricalParam))
        categorical = tuple(p for p in params if isinstance(p, CategoricalParam))
        groups.append(Group(numeric, categorical))
    return groups


def _n_cells(param) -> int:
    """Values of an int or stepped float; ``from_unit`` gives each an equal cell of [0, 1]."""
    if isinstance(param, IntParam):
        return (param.high - param.low) // param.step + 1
    return round((param.high - param.low) / param.step) + 1


def _choice_indices(param: CategoricalParam, values: list) -> list:
    """``param.index_of`` over many values: stored params are already valid, so the
    choice table is read directly (``index_of`` checks each value first, 10x slower)."""
    positions = param._positions
    return [positions[choice_key(v)] for v in values]


def _to_unit(param, values: list) -> np.ndarray:
    """``param.to_unit`` over many values at once (the history can hold thousands)."""
    v = np.asarray(values, dtype=float)
    low, high = param.low, param.high
    if isinstance(param, FloatParam):
        v = np.clip(v, low, high)
        if param.step is not None:
            n_steps = round((high - low) / param.step)
            k = np.clip(np.round((v - low) / param.step), 0, n_steps)
            return (k + 0.5) / (n_steps + 1)
        if param.log:
            return np.clip((np.log(v) - math.log(low)) / (math.log(high) - math.log(low)), 0.0, 1.0)
        return np.clip((v - low) / (high - low), 0.0, 1.0)
    v = np.clip(np.round(v), low, high)
    if param.log:
        lo, hi = math.log(low - 0.5), math.log(high + 0.5)
        return np.clip((np.log(v) - lo) / (hi - lo), 0.0, 1.0)
    n_steps = (high - low) // param.step
    return ((v - low) // param.step + 0.5) / (n_steps + 1)
