"""Parameter importance: how much of the objective's variation each parameter explains.

An fANOVA-style estimate (Hutter et al. 2014): a random forest learns value from params
on the complete trials, then for each parameter the variance of its main effect (the
forest's prediction averaged over the other parameters, as a function of that one) is
taken over the space, and the shares are normalised to sum to 1. Parameters are encoded
as the samplers see them: numbers in the unit interval (log-warped where ``log``),
categoricals by choice index (trees split them as ordinal codes), and an inactive
conditional parameter as -1, below every real value.

A conditional space (the kind of model, and each kind's own settings) is split as the law of
total variance splits it: the variance between the branches of a condition is the parent's,
and a parameter of one branch explains part of the variance within it, so its effect counts at
the weight of the branch (the share of the space where it is active). The points the forest is
asked about are always ones a trial could have: setting the kind of model to "support vector
machine" gives the point that kind's own settings. (Optuna's fANOVA evaluator sidesteps the
question: by default it ranks only the parameters every trial has, so a kind's own settings drop
out, and asked for them it reads only the trials that have them.)
"""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

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
# A branch's lead is named only when this share of the forest's trees (each fitted to its own
# resample of the trials) rank it first too: with ten trials of a kind of model, which of its
# settings comes first is mostly down to which trials a tree drew.
MIN_AGREEMENT = 2 / 3
# Below this share of the variation a setting's effect is rounding, not an effect: the variance
# of a flat effect comes out near 1e-33, not 0, and "mattered most" would name it. (Its scale is
# the whole study's, so no larger floor: a setting of one kind of model that explains all of that
# kind's variation may explain 2% of the whole.)
_ROUNDING = 1e-9


class ImportanceReport(NamedTuple):
    """What `importance_report` finds.

    Attributes:
        shares: Name -> share of the variation explained, most important first, summing to 1.
        leads: (parent, choice) -> the name of the parameter, among those that exist only when
            ``parent`` is ``choice``, that explains most of the variation, for each branch where
            at least `MIN_AGREEMENT` of the forest's trees agree on it; a branch whose lead the
            trials do not tell is absent.
    """

    shares: dict
    leads: dict


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
        A conditional parameter's share is of the whole space's variation, weighted by how
        much of the space it is active in, so it compares with its parent's (module docstring).

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
    return importance_report(space, trials, direction, seed).shares


def importance_report(space: SearchSpace, trials: Sequence[TrialRecord], direction: str,
                      seed: int = 0) -> ImportanceReport:
    """`importance`'s shares, and for each branch of a condition the parameter that leads in it.

    Args:
        space, trials, direction, seed: As `importance`.

    Returns:
        An `ImportanceReport`. Its ``leads`` are empty for a space without conditions, and
        when the values do not vary.

    Example:
        >>> space = SearchSpace.from_json({
        ...     "kind": {"type": "categorical", "choices": ["a", "b"]},
        ...     "x": {"type": "float", "low": 0, "high": 1, "condition": {"kind": ["a"]}},
        ...     "y": {"type": "float", "low": 0, "high": 1, "condition": {"kind": ["a"]}}})
        >>> rng = np.random.default_rng(0)
        >>> trials = [TrialRecord(n, {"kind": "a", "x": float(x), "y": float(y)}, "complete", value=10 * x)
        ...           for n, (x, y) in enumerate(rng.random((60, 2)))]
        >>> importance_report(space, trials, "minimize").leads
        {('kind', 'a'): 'x'}
    """
    from sklearn.ensemble import (
        RandomForestRegressor,  # imported here: most engine users never need it
    )

    complete = [t for t in trials if t.state == "complete" and t.value is not None and math.isfinite(t.value)]
    complete = sorted(complete, key=lambda t: t.number)[-MAX_TRIALS:]
    names = space.names
    y = np.array([t.value for t in complete])
    if len(complete) < 2 or np.ptp(y) == 0:
        return ImportanceReport({name: 1.0 / len(names) for name in names}, {})
    forest = RandomForestRegressor(n_estimators=_N_TREES, min_samples_leaf=3, random_state=seed, n_jobs=1)
    forest.fit(_encode(space, [t.params for t in complete]), y)
    effects = _Effects(space, _codes(space, np.random.default_rng(seed).random((_N_BACKGROUND, len(names)))))
    variances = effects.variances(forest.predict, range(len(names)))
    total = variances.sum()
    shares = variances / total if total > 0 else np.full(len(names), 1.0 / len(names))
    order = np.argsort(-shares, kind="stable")
    return ImportanceReport({names[i]: float(shares[i]) for i in order}, _leads(space, forest, effects, variances))


def _leads(space: SearchSpace, forest, effects: "_Effects", variances: np.ndarray) -> dict:
    """(parent, choice) -> the branch's lead, where most trees agree with the forest on it."""
    branches = _branches(space)
    if not branches:
        return {}
    names = space.names
    dependants = sorted({j for members in branches.values() for j in members})
    floor = _ROUNDING * variances.sum()
    tops = {branch: [] for branch in branches}
    for tree in forest.estimators_:
        # check_input=False: the points are float32 and contiguous already (`_Effects._stacked`), and
        # checking them again for each of the 32 trees cost as much as predicting.
        mine = effects.variances(lambda points: tree.predict(points, check_input=False), dependants)
        for branch, members in branches.items():
            tops[branch].append(_top(mine, members, floor))
    leads = {}
    for branch, members in branches.items():
        top = _top(variances, members, floor)
        if top is not None and tops[branch].count(top) >= MIN_AGREEMENT * len(forest.estimators_):
            leads[branch] = names[top]
    return leads


def _top(variances: np.ndarray, members: list, floor: float):
    """The index among `members` with the largest variance, or None when none reaches `floor`."""
    best = max(members, key=lambda j: variances[j])
    return best if variances[best] > floor else None


def _branches(space: SearchSpace) -> dict:
    """(parent, choice) -> the indices of the parameters that exist only under that choice (its
    own conditional parameters and theirs in turn), for every choice some parameter depends on."""
    branches = {}
    for j, param in enumerate(space.params):
        current = param
        while current.condition is not None:
            for value in current.condition.values:
                branches.setdefault((current.condition.parent, value), []).append(j)
            current = space[current.condition.parent]
    # A parameter with a condition of several choices is kept in each of their branches.
    return {branch: sorted(set(members)) for branch, members in branches.items()}


def _encode(space: SearchSpace, rows: Sequence[dict]) -> np.ndarray:
    X = np.full((len(rows), len(space)), _INACTIVE)
    for j, param in enumerate(space.params):
        for i, params in enumerate(rows):
            if param.name in params:
                value = params[param.name]
                X[i, j] = param.index_of(value) if isinstance(param, CategoricalParam) else param.to_unit(value)
    return X


def _codes(space: SearchSpace, units: np.ndarray) -> np.ndarray:
    """Background points as the forest reads them, every parameter given a value whether or not
    it is active (`_consistent` blanks the inactive ones): a categorical by choice index, a number
    snapped to its grid as a trial's value would be."""
    codes = np.empty_like(units)
    for j, param in enumerate(space.params):
        if isinstance(param, CategoricalParam):
            codes[:, j] = [param.index_of(param.from_unit(u)) for u in units[:, j]]
        else:
            codes[:, j] = [param.to_unit(param.from_unit(u)) for u in units[:, j]]
    return codes


def _consistent(space: SearchSpace, codes: np.ndarray) -> np.ndarray:
    """`codes` with each parameter set inactive where its condition fails, parents first, so a
    point is one a trial could have: a support vector machine's point has its C, a ridge's none."""
    points = codes.copy()
    column = {name: j for j, name in enumerate(space.names)}
    for j, param in enumerate(space.params):
        if param.condition is not None:
            parent = space[param.condition.parent]
            allowed = [parent.index_of(value) for value in param.condition.values]
            # An inactive parent is coded -1, never an allowed index: the chain follows by itself.
            points[~np.isin(points[:, column[parent.name]], allowed), j] = _INACTIVE
    return points


class _Effects:
    """Each parameter's main-effect points over the background, built once and asked of the forest
    and of each of its trees."""

    def __init__(self, space: SearchSpace, codes: np.ndarray):
        base = _consistent(space, codes)
        self._params = space.params
        self._points = [_effect_points(space, codes, base, j, param) for j, param in enumerate(space.params)]
        self._weights = np.array([_active_share(space, param) for param in space.params])
        self._n_grid = [len(param.choices) if isinstance(param, CategoricalParam) else _N_GRID
                        for param in space.params]
        self._stacks = {}

    def variances(self, predict, which) -> np.ndarray:
        """Per parameter in `which` (the others 0), its main effect's variance under `predict`
        times the share of the space where it is active.

        Why that weight: the variance of the value splits into the variance between the branches
        of a condition (the kind of model's own effect) plus, for each branch, its share of the
        space times the variance within it (law of total variance). A parameter of one kind of
        model explains part of the within-branch variance, so its effect counts at the weight of
        its branch; unweighted it would be measured on the support vector machines alone and
        compared with the kind of model measured over all of them. Where every parameter is
        always active the weight is 1: a flat space's shares are those of plain fANOVA.

        Every parameter's points go to `predict` in one call: each point's prediction is the
        same, and the forest's per-call overhead (a dispatch per tree) is paid once instead of
        once per parameter."""
        asked = tuple(j for j in which if self._points[j] is not None)
        variances = np.zeros(len(self._params))
        if not asked:
            return variances
        points, blocks, per_param, n_grid = self._stacked(asked)
        # The mean prediction at each value of each parameter's grid, then each parameter's
        # variance over its grid: summed by blocks in one call each, as a loop of np.var over
        # 31 parameters for each of 32 trees cost more than the trees' predictions.
        means = np.add.reduceat(predict(points), blocks) / (np.diff(blocks, append=len(points)))
        centred = means - np.repeat(np.add.reduceat(means, per_param) / n_grid, n_grid)
        variances[list(asked)] = self._weights[list(asked)] * np.add.reduceat(centred ** 2, per_param) / n_grid
        return variances

    def _stacked(self, asked: tuple):
        """The points of the parameters `asked` in one array (in float32, the trees' own type, so
        that a tree reads it without a copy; a forest converts to it anyway), where each block of
        one value of one parameter's grid starts, where each parameter's first block is, and each
        one's grid size. Built once for the forest and once for all its trees."""
        if asked not in self._stacks:
            sizes = [len(self._points[j]) for j in asked]
            n_grid = np.array([self._n_grid[j] for j in asked])
            starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
            blocks = np.concatenate([start + np.arange(n) * (size // n)
                                     for start, size, n in zip(starts, sizes, n_grid)])
            per_param = np.concatenate([[0], np.cumsum(n_grid)[:-1]])
            points = np.concatenate([self._points[j] for j in asked]).astype(np.float32)
            self._stacks[asked] = points, blocks, per_param, n_grid
        return self._stacks[asked]


def _active_share(space: SearchSpace, param) -> float:
    """The share of the space (as the background samples it, each choice alike) where `param` is
    active: exact, not the background's count, which with eight kinds of model would be off by
    a fifth either way."""
    share = 1.0
    while param.condition is not None:
        parent = space[param.condition.parent]
        share *= len(param.condition.values) / len(parent.choices)
        param = parent
    return share


def _effect_points(space: SearchSpace, codes: np.ndarray, base: np.ndarray, j: int, param):
    """The background points where parameter `j` is active, once per value of its grid (None
    when it is active at none). A parameter that others depend on (the kind of model) brings
    its dependants with each value: set to "support vector machine", a point takes that kind's
    settings from its background codes, so the kind of model is judged by models that could run,
    not by a support vector machine carrying a ridge regression's settings."""
    rows = base[:, j] != _INACTIVE
    if not rows.any():
        return None
    if isinstance(param, CategoricalParam):
        grid = np.arange(len(param.choices), dtype=float)
    else:
        grid = (np.arange(_N_GRID) + 0.5) / _N_GRID
    if not any(other.condition is not None and other.condition.parent == param.name for other in space.params):
        stacked = np.repeat(base[rows][None], len(grid), axis=0)
        stacked[:, :, j] = grid[:, None]
        return stacked.reshape(-1, base.shape[1])
    points = []
    for value in grid:
        fixed = codes[rows].copy()
        fixed[:, j] = value
        points.append(_consistent(space, fixed))
    return np.concatenate(points)
