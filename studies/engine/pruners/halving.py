"""Asynchronous successive halving (ASHA; Li et al. 2020)."""

from __future__ import annotations

import math
from typing import Callable, Sequence, Union

from ..errors import PrunerError
from ..specs import int_option
from ..trial import TrialRecord
from .base import Pruner, loss_sign, value_reached


class ASHAPruner(Pruner):
    """Asynchronous successive halving: only the best 1/eta of the trials go up each rung.

    Rung k sits at step ``min_resource * eta**(min_early_stopping_rate + k)``. When a
    trial's report first reaches a rung, its value there is ranked among the values
    every other trial (not failed) reported on first reaching that rung; the trial goes
    on only if it is among the best ``max(1, n // eta)`` of those n values, itself
    included. Between rungs nothing is decided, and no trial waits for others: early on,
    with fewer than eta values at a rung, only a new best goes on (as Optuna does). NaN
    is always pruned. Steps count the resource spent (iterations, epochs).

    Args:
        min_resource: Step of the first rung (default 1).
        reduction_factor: eta, the inverse share promoted at each rung (default 3).
        min_early_stopping_rate: Rungs skipped at the bottom (default 0).

    Example:
        >>> from studies.engine import TrialRecord
        >>> done = [TrialRecord(i, {}, "complete", value=i, intermediate={1: float(i)}) for i in range(9)]
        >>> ASHAPruner().should_prune(TrialRecord(9, {}, "running", intermediate={1: 4.0}), done, ["minimize"])
        True
    """

    name = "asha"

    title = "ASHA (successive halving)"
    describe = "Lets only the best third of trials go on at each checkpoint (1, 3, 9, ... steps); stops the rest early."
    options = {"min_resource": 1, "reduction_factor": 3, "min_early_stopping_rate": 0}

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        minimums = {"min_resource": 1, "reduction_factor": 2, "min_early_stopping_rate": 0}
        return {key: int_option(options, key, minimum, PrunerError) for key, minimum in minimums.items()}

    def rungs(self, up_to: float) -> list:
        """The rung steps at or below ``up_to``.

        Args:
            up_to: The largest step of interest.

        Returns:
            Ascending list of rung steps.
        """
        return rung_steps(self.min_resource * self.reduction_factor**self.min_early_stopping_rate,
                          self.reduction_factor, up_to)

    def should_prune(self, trial: TrialRecord, trials: Sequence[TrialRecord], directions: Sequence[str]) -> bool:
        """See ``Pruner.should_prune``.

        Raises:
            PrunerError: For a multi-objective study.
        """
        self.check(directions)
        return halving_verdict(trial, trials, directions, self.rungs, self.reduction_factor)


def rung_steps(first: float, eta: int, up_to: float, below: Union[float, None] = None) -> list:
    """Steps ``first * eta**k`` up to ``up_to`` (and strictly below ``below``, if given).

    Args:
        first: The first rung's step.
        eta: The reduction factor.
        up_to: The largest step listed.
        below: An exclusive cap (the maximum resource, where no decision is needed).

    Returns:
        Ascending list of steps.
    """
    steps, step = [], first
    while step <= up_to and (below is None or step < below):
        steps.append(step)
        step *= eta
    return steps


def halving_verdict(
    trial: TrialRecord,
    trials: Sequence[TrialRecord],
    directions: Sequence[str],
    rungs: Callable[[float], list],
    eta: int,
    peers: Callable[[TrialRecord], bool] = lambda t: True,
) -> bool:
    """Whether successive halving stops ``trial`` at the rungs its latest report reached.

    Args:
        trial: The running trial.
        trials: The history.
        directions: The study's directions (one).
        rungs: ``up_to -> rung steps``.
        eta: The reduction factor.
        peers: Which other trials compete (Hyperband keeps brackets apart).

    Returns:
        True to prune.
    """
    if not trial.intermediate:
        return False
    steps = sorted(trial.intermediate)
    latest, previous = steps[-1], (steps[-2] if len(steps) > 1 else -math.inf)
    crossed = [r for r in rungs(latest) if r > previous]
    if not crossed:
        return False
    value = trial.intermediate[latest]
    if math.isnan(value):
        return True
    sign = loss_sign(directions)
    others = [t for t in trials if t.number != trial.number and t.state != "failed" and peers(t)]
    return any(not _promotable(sign * value, others, rung, sign, eta) for rung in crossed)


def _promotable(loss: float, others: Sequence[TrialRecord], rung: float, sign: float, eta: int) -> bool:
    losses = [sign * v for v in (value_reached(t, rung) for t in others) if v is not None]
    losses.append(loss)
    n_promoted = max(1, len(losses) // eta)
    return loss <= sorted(losses)[n_promoted - 1]
