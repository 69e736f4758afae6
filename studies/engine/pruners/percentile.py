"""Pruning by rank among other trials at the same step: percentile and median."""

from __future__ import annotations

import math
import numbers
from typing import Sequence, Union

import numpy as np

from ..errors import PrunerError
from ..messages import show
from ..specs import int_option
from ..trial import TrialRecord
from .base import FINISHED, Pruner, loss_sign


class PercentilePruner(Pruner):
    """Prunes a trial whose latest value is outside the best ``percentile`` % of other trials at that step.

    At the trial's latest reported step s, its value is compared with the given
    percentile of the values other finished (complete or pruned) trials reported at
    step s, counted from the best side: with ``percentile=25`` a minimised trial must be
    at or below the 25th percentile, a maximised one at or above the 75th. NaN is always
    pruned. No decision is taken before ``n_startup_trials`` other trials have finished,
    before step ``n_warmup_steps``, or when no other finished trial reported step s.

    Args:
        percentile: Share of the best trials to keep, in (0, 100] (default 25).
        n_startup_trials: Finished trials needed before pruning starts (default 5).
        n_warmup_steps: Steps below this are never pruned (default 0).

    Example:
        >>> from studies.engine import TrialRecord
        >>> done = [TrialRecord(i, {}, "complete", value=i, intermediate={0: float(i)}) for i in range(8)]
        >>> PercentilePruner(percentile=25.0).should_prune(TrialRecord(9, {}, "running", intermediate={0: 3.0}), done, ["minimize"])
        True
    """

    name = "percentile"

    title = "Percentile rule"
    describe = "Stops a trial whose intermediate value is outside the best given percentage of earlier trials at the same step."
    options = {"percentile": 25.0, "n_startup_trials": 5, "n_warmup_steps": 0}

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        percentile = options["percentile"]
        if isinstance(percentile, bool) or not isinstance(percentile, numbers.Real) or not 0 < percentile <= 100:
            raise PrunerError(f"percentile must be a number above 0 and at most 100, not {show(percentile)}")
        counts = {key: int_option(options, key, 0, PrunerError) for key in ("n_startup_trials", "n_warmup_steps")}
        return {"percentile": float(percentile), **counts}

    def should_prune(self, trial: TrialRecord, trials: Sequence[TrialRecord], directions: Sequence[str]) -> bool:
        """See ``Pruner.should_prune``.

        Raises:
            PrunerError: For a multi-objective study.
        """
        self.check(directions)
        if not trial.intermediate:
            return False
        step = max(trial.intermediate)
        if step < self.n_warmup_steps:
            return False
        finished = [t for t in trials if t.state in FINISHED and t.number != trial.number]
        if len(finished) < self.n_startup_trials:
            return False
        sign = loss_sign(directions)
        threshold = _percentile_at(finished, step, self.percentile, sign)
        if threshold is None:
            return False
        value = trial.intermediate[step]
        return math.isnan(value) or sign * value > threshold


class MedianPruner(PercentilePruner):
    """Prunes a trial whose latest value is worse than the median of other trials at that step.

    The percentile pruner at 50: see ``PercentilePruner``; a value equal to the median
    is kept.

    Args:
        n_startup_trials: Finished trials needed before pruning starts (default 5).
        n_warmup_steps: Steps below this are never pruned (default 0).
    """

    name = "median"

    title = "Median rule"
    describe = "Stops a trial whose intermediate value is worse than the median of earlier trials at the same step."
    options = {"n_startup_trials": 5, "n_warmup_steps": 0}
    percentile = 50.0  # fixed, so not an option

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        return {key: int_option(options, key, 0, PrunerError) for key in cls.options}


def _percentile_at(trials: Sequence[TrialRecord], step: int, percentile: float, sign: float) -> Union[float, None]:
    """The percentile of the signed losses at ``step``, from the best side."""
    losses = [sign * t.intermediate[step] for t in trials if step in t.intermediate]
    losses = [v for v in losses if not math.isnan(v)]
    return float(np.percentile(losses, percentile)) if losses else None
