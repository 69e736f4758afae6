"""Parameter importance: how much of the objective's variation each parameter explains.

An fANOVA-style estimate (Hutter et al. 2014): a random forest learns value from params
on the complete trials, then for each parameter the variance of its main effect (the
forest's prediction averaged over the other parameters, as a function of that one) is
taken over the space, and the shares are normalised to sum to 1. Parameters are encoded
as the samplers see them: numbers in the unit interval (log-warped where ``log``),
categoricals by choice index (trees split them as ordinal codes), and an inactive
conditional parameter as -1, below every real value.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .params import CategoricalParam
from .space import SearchSpace
from .trial import TrialRecord

# Enough for a stable ranking, and small enough that the forest fits well under a second.
MAX_TRIALS = 1000
_N_TREES = 32
_N_BACKGROUND = 128  # points the other parameters are averaged over
_N_GRID = 16  # values a numeric parameter takes along its main effect
_INACTIVE = -1.0


def importance(space: SearchSpace, trials: Sequence[TrialRecord], direction: str, seed: int = 0) -> dict:
    """The share of the objective's variance each parameter explains.

    Args:
        space: The search space.
        trials: The history; complete trials with a finite value count, the most recent
            1,000 of them at most.
        direction: "minimize" or "maximize"; variance does not depend on it, so it only
            documents which objective the values are.
        seed: Seeds the forest and the sampled background points.

    Returns:
        Name -> share in [0, 1], most important first, summing to 1. When the values do
        not vary (or fewer than two trials are complete) every parameter gets an equal share.

    Example:
        >>> from studies.engine import Optimizer
        >>> opt = Optimizer({"a": {"type": "float", "low": 0, "high": 1},
        ...                  "b": {"type": "float", "low": 0, "high": 1}}, seed=0)
        >>> for _ in range(50):
        ...     t = opt.ask()
        ...     _ = opt.tell(t, 10 * t.params["a"] + 0.1 * t.params["b"])
        >>> max(importance(opt.space, opt.trials, "minimize"), key=lambda k: importance(opt.space, opt.trials, "minimize")[k])
        'a'
    """
    from sklearn.ensemble import (
        RandomForestRegressor,  # imported here: most engine users never need it
    )

    complete = [t for t in trials if t.state == "complete" and t.value is not None and math.isfinite(t.value)]
    complete = sorted(complete, key=lambda t: t.number)[-MAX_TRIALS:]
    names = space.names
    y = np.array([t.value for t in complete])
    if len(complete) < 2 or np.ptp(y) == 0:
        return {name: 1.0 / len(names) for name in names}
    rng = np.random.default_rng(seed)
    forest = RandomForestRegressor(n_estimators=_N_TREES, min_samples_leaf=3, random_state=seed, n_jobs=1)
    forest.fit(_encode(space, [t.params for t in complete]), y)
    background = _encode(space, [_random_params(space, rng) for _ in range(_N_BACKGROUND)])
    variances = _main_effect_variances(forest, background, space.params)
    total = variances.sum()
    shares = variances / total if total > 0 else np.full(len(names), 1.0 / len(names))
    order = np.argsort(-shares, kind="stable")
    return {names[i]: float(shares[i]) for i in order}


def _encode(space: SearchSpace, rows: Sequence[dict]) -> np.ndarray:
    X = np.full((len(rows), len(space)), _INACTIVE)
    for j, param in enumerate(space.params):
        for i, params in enumerate(rows):
            if param.name in params:
                value = params[param.name]
                X[i, j] = param.index_of(value) if isinstance(param, CategoricalParam) else param.to_unit(value)
    return X


def _random_params(space: SearchSpace, rng: np.random.Generator) -> dict:
    params = {}
    for param in space.params:
        if space.is_active(param, params):
            params[param.name] = param.from_unit(rng.random())
    return params


def _main_effect_variances(forest, background: np.ndarray, params) -> np.ndarray:
    """Per parameter, the variance over its values of the forest's mean prediction, the other
    parameters drawn from the background where this one is active. Every parameter's points go
    to the forest in one call: each point's prediction is the same, and the forest's per-call
    overhead (a dispatch per tree) is paid once instead of once per parameter."""
    grids = [_effect_points(background, j, param) for j, param in enumerate(params)]
    stacked = [points for points in grids if points is not None]
    predicted = iter(np.split(forest.predict(np.concatenate(stacked)), np.cumsum([len(p) for p in stacked])[:-1])
                     if stacked else ())
    variances = []
    for param, points in zip(params, grids):
        if points is None:
            variances.append(0.0)
            continue
        n_grid = len(param.choices) if isinstance(param, CategoricalParam) else _N_GRID
        effect = next(predicted).reshape(n_grid, -1).mean(axis=1)
        variances.append(float(np.var(effect)))
    return np.array(variances)


def _effect_points(background: np.ndarray, j: int, param):
    """The background points where parameter `j` is active, once per value of its grid (None
    when it is active at none)."""
    rows = background[background[:, j] != _INACTIVE]
    if len(rows) == 0:
        return None
    if isinstance(param, CategoricalParam):
        grid = np.arange(len(param.choices), dtype=float)
    else:
        grid = (np.arange(_N_GRID) + 0.5) / _N_GRID
    stacked = np.repeat(rows[None], len(grid), axis=0)
    stacked[:, :, j] = grid[:, None]
    return stacked.reshape(-1, rows.shape[1])
