"""The pruner interface, and what pruners share: reading a trial's curve."""

from __future__ import annotations

import math
from typing import Sequence, Union

from ..errors import PrunerError
from ..specs import Configurable
from ..trial import DIRECTIONS, TrialRecord

# Pruned trials count as finished: their curves up to the pruning step are real, and
# leaving them out would skew comparisons towards the survivors, pruning ever harder.
FINISHED = ("complete", "pruned")


class Pruner(Configurable):
    """Decides whether a running trial should stop, from the values it reported so far.

    Class attributes:
        name: The short name used in JSON specs.
        title: Its name for people, as pages show it.
        describe: A one-line plain explanation for the UI.
        options: Option name -> default.
    """

    def check(self, directions: Sequence[str]) -> None:
        """Refuse a study this pruner cannot serve; call it when a study is created.

        Every built-in pruner compares one value per step, so it needs a single objective.

        Raises:
            PrunerError: With the reason.
        """
        if len(directions) != 1:
            raise PrunerError(f"the {self.name} pruner needs a single objective; this study has {len(directions)}")
        if directions[0] not in DIRECTIONS:
            raise PrunerError(f"unknown direction {directions[0]!r}; use minimize or maximize")

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


def value_reached(trial: TrialRecord, step: float) -> Union[float, None]:
    """The value a trial reported at the first step at or beyond ``step``.

    Args:
        trial: A trial.
        step: A resource level.

    Returns:
        The value, or None when the trial never got that far or reported NaN there.
    """
    reached = [s for s in trial.intermediate if s >= step]
    if not reached:
        return None
    value = trial.intermediate[min(reached)]
    return None if math.isnan(value) else value


def loss_sign(directions: Sequence[str]) -> float:
    """+1 when smaller is better, -1 when larger is."""
    return 1.0 if directions[0] == "minimize" else -1.0
