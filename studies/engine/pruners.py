"""Pruners: decide from intermediate values whether a running trial should stop early."""

from __future__ import annotations

import math
from typing import Any, Sequence, Union

import numpy as np

from .errors import PrunerError
from .specs import Configurable, check_option_names, int_option, split_spec
from .trial import DIRECTIONS, TrialRecord

# Pruned trials count as finished: their curves up to the pruning step are real, and
# leaving them out would skew the median towards the survivors, pruning ever harder.
_FINISHED = ("complete", "pruned")


class Pruner(Configurable):
    """Decides whether a running trial should stop, from the values it reported so far.

    Class attributes:
        name: The short name used in JSON specs.
        describe: A one-line plain explanation for the UI.
        options: Option name -> default.
    """

    def check(self, directions: Sequence[str]) -> None:
        """Refuse a study this pruner cannot serve; call it when a study is created.

        Raises:
            PrunerError: With the reason.
        """

    def should_prune(self, trial: TrialRecord, trials: Sequence[TrialRecord], directions: Sequence[str]) -> bool:
        """Whether ``trial`` should stop now.

        Args:
            trial: The running trial; ``trial.intermediate`` holds the values reported so far.
            trials: The study's history (may include ``trial`` itself).
            directions: "minimize" / "maximize" per objective.

        Returns:
            True to prune.
        """
        raise NotImplementedError


class MedianPruner(Pruner):
    """Prunes a trial whose latest value is worse than the median of other trials at that step.

    At the trial's latest reported step s, its value is compared with the median of the
    values other finished (complete or pruned) trials reported at step s; worse means
    above for "minimize" and below for "maximize", and NaN is always worse. No decision
    is taken before ``n_startup_trials`` other trials have finished, before step
    ``n_warmup_steps``, or when no other finished trial reported step s.

    Args:
        n_startup_trials: Finished trials needed before pruning starts (default 5).
        n_warmup_steps: Steps below this are never pruned (default 0).
    """

    name = "median"
    describe = "Stops a trial whose intermediate value is worse than the median of earlier trials at the same step."
    options = {"n_startup_trials": 5, "n_warmup_steps": 0}

    def __init__(self, n_startup_trials: int = 5, n_warmup_steps: int = 0):
        self.n_startup_trials = n_startup_trials
        self.n_warmup_steps = n_warmup_steps

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        return {key: int_option(options, key, 0, PrunerError) for key in cls.options}

    def check(self, directions: Sequence[str]) -> None:
        """Refuse multi-objective studies and unknown directions.

        Raises:
            PrunerError: With the reason.
        """
        if len(directions) != 1:
            raise PrunerError(f"the median pruner needs a single objective; this study has {len(directions)}")
        if directions[0] not in DIRECTIONS:
            raise PrunerError(f"unknown direction {directions[0]!r}; use minimize or maximize")

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
        finished = [t for t in trials if t.state in _FINISHED and t.number != trial.number]
        if len(finished) < self.n_startup_trials:
            return False
        median = _median_at(finished, step)
        if median is None:
            return False
        value = trial.intermediate[step]
        if math.isnan(value):
            return True
        return value < median if directions[0] == "maximize" else value > median


def _median_at(trials: Sequence[TrialRecord], step: int) -> Union[float, None]:
    values = [t.intermediate[step] for t in trials if step in t.intermediate]
    values = [v for v in values if not math.isnan(v)]
    return float(np.median(values)) if values else None


PRUNERS = {cls.name: cls for cls in (MedianPruner,)}


def make_pruner(spec: Any) -> Union[Pruner, None]:
    """Build a pruner from its JSON spec.

    Args:
        spec: None for no pruning, a name (``"median"``), or an object
            ``{"name": "median", "n_warmup_steps": 3}``.

    Returns:
        The pruner, or None.

    Raises:
        PrunerError: Naming an unknown pruner or option, or saying which value is invalid.

    Example:
        >>> make_pruner({"name": "median", "n_startup_trials": 3})
        MedianPruner(n_startup_trials=3, n_warmup_steps=0)
    """
    if spec is None:
        return None
    cls, options = split_spec(spec, "pruner", PRUNERS, PrunerError)
    check_option_names(cls, options, "pruner", PrunerError)
    return cls.from_options(options)
