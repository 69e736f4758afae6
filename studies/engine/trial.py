"""History records: the immutable view of a trial that samplers and pruners read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Union

TRIAL_STATES = ("waiting", "running", "complete", "pruned", "failed")
DIRECTIONS = ("minimize", "maximize")
# Each direction as people say it, where "maximize" would be jargon.
GOAL_WORDS = {"minimize": "lowest is best", "maximize": "highest is best"}


@dataclass(frozen=True)
class TrialRecord:
    """One trial as the engine sees it; the engine never changes a record.

    Args:
        number: The trial's index within its study.
        params: Name -> value of the active params.
        state: One of ``TRIAL_STATES``: "waiting" and "running" trials are pending.
        value: The objective value of a complete single-objective trial (else None).
        values: The objective values of a complete multi-objective trial (else None).
        intermediate: Step -> value reported so far (for pruning).
        constraints: The trial's constraint values, or None when it gave none; the trial
            is feasible when every one is <= 0 (Optuna's convention). Only tpe, gp and
            nsga2 read them.

    Raises:
        ValueError: When ``state`` is not one of ``TRIAL_STATES``.
    """

    number: int
    params: Mapping[str, Any]
    state: str
    value: Union[float, None] = None
    values: Union[tuple, None] = None
    intermediate: Mapping[int, float] = field(default_factory=dict)
    constraints: Union[tuple, None] = None

    def __post_init__(self):
        if self.state not in TRIAL_STATES:
            raise ValueError(f"unknown trial state {self.state!r}; use one of {', '.join(TRIAL_STATES)}")
        if self.values is not None and not isinstance(self.values, tuple):
            object.__setattr__(self, "values", tuple(self.values))
        if self.constraints is not None and not isinstance(self.constraints, tuple):
            object.__setattr__(self, "constraints", tuple(self.constraints))

    @property
    def violation(self) -> float:
        """How far the trial is from feasible: the sum of its positive constraint values.

        Returns:
            0.0 for a feasible trial and for one without constraints, else a positive number.

        Example:
            >>> TrialRecord(0, {}, "complete", 1.0, constraints=(0.5, -1.0, 0.25)).violation
            0.75
        """
        if not self.constraints:
            return 0.0
        return float(sum(c for c in self.constraints if c > 0))


def check_directions(directions) -> tuple:
    """Check a study's optimisation directions.

    Args:
        directions: A non-empty sequence of "minimize" / "maximize".

    Returns:
        The directions as a tuple.

    Raises:
        ValueError: Naming the first unknown direction, or when there are none.
    """
    if isinstance(directions, str) or not directions:
        raise ValueError(f"directions must be a non-empty list of minimize/maximize, not {directions!r}")
    for direction in directions:
        if direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {direction!r}; use minimize or maximize")
    return tuple(directions)
