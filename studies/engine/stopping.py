"""Stop rules: knowing when a study has found about all it will find.

Three rules, each optional, read from a study's budget:

- ``target``: stop once the best value reaches a value the user is happy with;
- ``patience``: stop after that many complete trials in a row that did not improve on
  the best by at least ``min_delta``;
- ``regret_bound``: stop when a Gaussian process says that more trials could improve the
  best by less than the evaluation's own noise (Makarova et al. 2022, "Automatic
  termination for hyperparameter optimization", the idea behind Optuna's Terminator).

Everything here is pure: it takes values, records and a generator, and says whether to
stop; the service stops the study.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Mapping, Sequence, Union

import numpy as np
from scipy.stats import qmc
from threadpoolctl import threadpool_limits

from .messages import show
from .samplers._encoding import Encoder
from .samplers._gp_model import fit_posterior
from .space import SearchSpace
from .trial import TrialRecord

TARGET, PATIENCE, REGRET_BOUND = "target", "patience", "regret_bound"
# The GP sees the better half of the complete trials, at least min_trials of them and at
# most _MAX_POINTS: the bound is about the best region, and the fit's cost stays bounded.
_TOP_RATIO = 0.5
_MAX_POINTS = 100
_N_CANDIDATES_LOG2 = 10
_N_LOCAL = 64
_LOCAL_SCALE = 0.05
_DELTA = 0.1


class StopRuleError(ValueError):
    """Stop rules in a budget break the rules.

    Attributes:
        errors: List of ``(key, message)`` pairs, one per fault; ``key`` is the budget
            key at fault (``"patience"``, ``"regret_bound.min_trials"``).
    """

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(f"{key}: {message}" for key, message in self.errors))

    def __reduce__(self):
        return type(self), (self.errors,)


@dataclass(frozen=True)
class RegretBoundRule:
    """When and how the regret bound is checked.

    Args:
        min_trials: Complete trials before the first check (the GP needs some to be
            trusted); at least 5, default 20.
        check_every: Check after every this many complete trials (1: after each).
    """

    min_trials: int = 20
    check_every: int = 1

    def due(self, n_complete: int) -> bool:
        """Whether a study with ``n_complete`` complete trials is checked now.

        Example:
            >>> RegretBoundRule(min_trials=20, check_every=5).due(25)
            True
        """
        return n_complete >= self.min_trials and (n_complete - self.min_trials) % self.check_every == 0


@dataclass(frozen=True)
class StopRules:
    """A study's stop rules, a value object that round-trips to the budget's JSON keys.

    Args:
        target: Stop once the best value reaches this (at or above it when maximising,
            at or below when minimising); None for no target.
        patience: Stop after this many complete trials in a row without an improvement
            of at least ``min_delta``; None for no patience rule.
        min_delta: The smallest change that counts as an improvement (0: any).
        regret_bound: The regret-bound rule's settings, or None when it is off.
    """

    target: Union[float, None] = None
    patience: Union[int, None] = None
    min_delta: float = 0.0
    regret_bound: Union[RegretBoundRule, None] = None

    @property
    def any(self) -> bool:
        """Whether any rule is set."""
        return self.target is not None or self.patience is not None or self.regret_bound is not None

    @classmethod
    def from_json(cls, budget: Mapping) -> "StopRules":
        """Read the stop rules from a budget object (other budget keys are ignored).

        Args:
            budget: E.g. ``{"n_trials": 100, "target": 0.95, "patience": 20,
                "min_delta": 0.001, "regret_bound": true}``; ``regret_bound`` is true,
                false, null or ``{"min_trials": 20, "check_every": 1}``.

        Returns:
            The rules.

        Raises:
            StopRuleError: Naming each key at fault.

        Example:
            >>> StopRules.from_json({"patience": 20}).patience
            20
        """
        errors = []
        target = _number(budget.get("target"), "target", None, errors)
        patience = _whole(budget.get("patience"), "patience", 1, errors)
        min_delta = _number(budget.get("min_delta"), "min_delta", 0.0, errors)
        if min_delta and patience is None and not errors:
            errors.append(("min_delta", "min_delta only counts with patience; give patience too"))
        regret = _regret_rule(budget.get("regret_bound"), errors)
        if errors:
            raise StopRuleError(errors)
        return cls(target, patience, min_delta or 0.0, regret)

    def to_json(self) -> dict:
        """The rules as budget keys (every key, null where unset)."""
        regret = None
        if self.regret_bound is not None:
            regret = {"min_trials": self.regret_bound.min_trials, "check_every": self.regret_bound.check_every}
        return {"target": self.target, "patience": self.patience, "min_delta": self.min_delta, "regret_bound": regret}


def _number(value, key, minimum, errors):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        errors.append((key, f"{key} must be a number, not {show(value)}"))
        return None
    if minimum is not None and value < minimum:
        errors.append((key, f"{key} must be at least {minimum:g}, not {show(value)}"))
        return None
    return float(value)


def _whole(value, key, minimum, errors):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        errors.append((key, f"{key} must be a whole number, not {show(value)}"))
        return None
    if value < minimum:
        errors.append((key, f"{key} must be at least {minimum}, not {show(value)}"))
        return None
    return int(value)


def _regret_rule(value, errors):
    if value is None or value is False:
        return None
    if value is True:
        return RegretBoundRule()
    if not isinstance(value, Mapping):
        errors.append(("regret_bound", f'regret_bound must be true, false or an object such as '
                                       f'{{"min_trials": 20, "check_every": 1}}, not {show(value)}'))
        return None
    for key in sorted(set(value) - {"min_trials", "check_every"}):
        errors.append((f"regret_bound.{key}", f"unknown regret_bound setting {show(key)}; "
                                              "it takes min_trials and check_every"))
    n_before = len(errors)
    min_trials = _whole(value.get("min_trials", 20), "regret_bound.min_trials", 5, errors)
    check_every = _whole(value.get("check_every", 1), "regret_bound.check_every", 1, errors)
    if len(errors) > n_before:
        return None
    return RegretBoundRule(min_trials, check_every)


def target_reached(best: Union[float, None], target: float, direction: str) -> bool:
    """Whether the best value reaches the target in the study's direction.

    Args:
        best: The best value so far (None when no trial is complete).
        target: The value to reach.
        direction: "minimize" or "maximize".

    Returns:
        True when ``best <= target`` (minimising) or ``best >= target`` (maximising).

    Example:
        >>> target_reached(0.96, 0.95, "maximize"), target_reached(0.96, 0.95, "minimize")
        (True, False)
    """
    if best is None:
        return False
    return best >= target if direction == "maximize" else best <= target


def trials_without_improvement(values: Sequence[float], direction: str, min_delta: float = 0.0) -> int:
    """How many complete trials in a row, at the end, did not improve on the best enough.

    A trial improves when it beats the best before it by at least ``min_delta`` (by
    more than 0 when ``min_delta`` is 0); the first trial always does. A smaller gain
    does not move the best, so small gains count once they add up to ``min_delta``.

    Args:
        values: The complete trials' values, in the order they completed.
        direction: "minimize" or "maximize".
        min_delta: The smallest change that counts.

    Returns:
        The count since the last improvement (0 when the last trial improved).

    Example:
        >>> trials_without_improvement([3.0, 2.0, 2.0, 1.99], "minimize", min_delta=0.1)
        2
    """
    sign = -1.0 if direction == "maximize" else 1.0
    best, since = math.inf, 0
    for value in values:
        loss = sign * value
        # With min_delta 0 an equal value is no improvement, or patience would never end on a plateau.
        improved = loss <= best - min_delta if min_delta > 0 else loss < best
        if improved:
            best, since = loss, 0
        else:
            since += 1
    return since


def cv_noise(fold_scores: Sequence[float]) -> Union[float, None]:
    """How far a cross-validated score moves by chance: the standard deviation of the
    mean of k fold scores, corrected for the folds' overlapping training sets.

    The variance of the folds times ``1/k + 1/(k-1)`` (Nadeau and Bengio's correction,
    as in Optuna's Terminator), square-rooted.

    Args:
        fold_scores: The score on each fold.

    Returns:
        The noise, or None with fewer than two folds.

    Example:
        >>> round(cv_noise([0.9, 0.92, 0.94]), 4)
        0.0149
    """
    k = len(fold_scores)
    if k < 2:
        return None
    return float(math.sqrt((1 / k + 1 / (k - 1)) * np.var(np.asarray(fold_scores, dtype=float))))


@dataclass(frozen=True)
class RegretEstimate:
    """What the GP says about the rest of the search, in the study's units.

    Attributes:
        bound: How much better than the best found the best in the space could still be
            (with high probability): the lowest upper bound over the tried points minus
            the lowest lower bound over the whole space.
        model_noise: The noise the GP attributes to the values (standard deviation).
        n_points: Complete trials the GP was fitted on.
    """

    bound: float
    model_noise: float
    n_points: int


def regret_bound(space: SearchSpace, trials: Sequence[TrialRecord], direction: str,
                 rng: np.random.Generator) -> Union[RegretEstimate, None]:
    """Estimate how much better the best value could still get (Makarova et al. 2022).

    The better half of the complete trials (at least 20 when there are, at most 100)
    are encoded as the gp sampler encodes them and a GP of the same kind is fitted
    (``_gp_model.fit_posterior``) to their standardised losses. With the confidence
    width ``beta = 2 log(d n^2 pi^2 / (6 delta)) / 5`` (delta 0.1, as in the paper and
    Optuna), the bound is ``min over tried x of UCB(x) - min over the space of LCB(x)``:
    the lowest loss the model is sure can be had, minus the lowest it thinks possible.
    The space is searched over 1,024 Sobol points, the tried points and points near the
    best ones.

    Args:
        space: The study's search space.
        trials: The history; only complete trials with a finite value count.
        direction: "minimize" or "maximize".
        rng: For the GP's subsets and the candidates.

    Returns:
        A ``RegretEstimate`` in the study's units, or None with fewer than 3 usable trials.

    Example:
        >>> space = SearchSpace.from_json({"x": {"type": "float", "low": 0, "high": 1}})
        >>> records = [TrialRecord(i, {"x": i / 29}, "complete", (i / 29 - 0.5) ** 2) for i in range(30)]
        >>> regret_bound(space, records, "minimize", np.random.default_rng(0)).bound < 0.05
        True
    """
    sign = -1.0 if direction == "maximize" else 1.0
    encoder = Encoder(space)
    raws, losses = [], []
    for trial in trials:
        if trial.state != "complete" or trial.value is None or not math.isfinite(trial.value):
            continue
        raw = encoder.raw(trial.params)
        if raw is not None:
            raws.append(raw)
            losses.append(sign * float(trial.value))
    if len(losses) < 3:
        return None
    raws, losses = np.array(raws), np.array(losses)
    n_top = int(np.clip(len(losses) * _TOP_RATIO, min(20, len(losses)), _MAX_POINTS))
    top = np.argsort(losses, kind="stable")[:n_top]
    raws, losses = raws[top], losses[top]
    scale = float(losses.std())
    if scale == 0:
        return RegretEstimate(0.0, 0.0, n_top)
    y = (losses - losses.mean()) / scale
    # Small matrices: one BLAS thread is faster than two fighting over a busy machine.
    with threadpool_limits(limits=1, user_api="blas"):
        posterior = fit_posterior(encoder.encode(raws), y, rng)
        beta = 2 * math.log(len(space.params) * n_top**2 * math.pi**2 / (6 * _DELTA)) / 5
        root = math.sqrt(beta)
        mean, var = posterior.predict(encoder.encode(raws))
        upper = float(np.min(mean + root * np.sqrt(var)))
        candidates = encoder.encode(_candidates(encoder, raws[:3], rng))
        c_mean, c_var = posterior.predict(candidates)
        lower = min(float(np.min(c_mean - root * np.sqrt(c_var))), float(np.min(mean - root * np.sqrt(var))))
    return RegretEstimate(max(upper - lower, 0.0) * scale, math.sqrt(posterior.noise) * scale, n_top)


def _candidates(encoder: Encoder, incumbents: np.ndarray, rng) -> np.ndarray:
    sobol = qmc.Sobol(encoder.n_raw, scramble=True, rng=rng).random_base2(_N_CANDIDATES_LOG2)
    local = np.repeat(incumbents, _N_LOCAL, axis=0)
    local = local + rng.normal(0.0, _LOCAL_SCALE, local.shape)
    return np.clip(np.vstack([sobol, local]), 0.0, 1.0)


def stop_reason(rules: StopRules, space: SearchSpace, trials: Sequence[TrialRecord], direction: str,
                rng: np.random.Generator, completed_order: Union[Sequence[float], None] = None,
                noise: Union[float, None] = None) -> Union[str, None]:
    """Which rule, if any, says a single-objective study should stop now.

    Checked after a trial completes. ``target`` and ``patience`` cost a pass over the
    values; ``regret_bound`` fits a GP, so it runs only when its rule is ``due``.

    Args:
        rules: The study's stop rules.
        space: The search space (for the regret bound).
        trials: The history, as the samplers read it.
        direction: "minimize" or "maximize".
        rng: For the regret bound's GP.
        completed_order: The complete trials' values in the order they completed (for
            patience); by trial number when None.
        noise: The evaluation's noise (e.g. ``cv_noise`` of the best trial's folds);
            None to use the GP's own noise estimate.

    Returns:
        ``"target"``, ``"patience"``, ``"regret_bound"`` or None.
    """
    values = list(completed_order) if completed_order is not None else [
        t.value for t in trials if t.state == "complete" and t.value is not None]
    if not values:
        return None
    best = max(values) if direction == "maximize" else min(values)
    if rules.target is not None and target_reached(best, rules.target, direction):
        return TARGET
    if rules.patience is not None and trials_without_improvement(values, direction, rules.min_delta) >= rules.patience:
        return PATIENCE
    if rules.regret_bound is not None and rules.regret_bound.due(len(values)):
        estimate = regret_bound(space, trials, direction, rng)
        if estimate is not None and estimate.bound < (estimate.model_noise if noise is None else noise):
            return REGRET_BOUND
    return None
