"""In-process ask/tell loop over the engine, for scripts, notebooks and tests."""

from __future__ import annotations

import math
import numbers
from dataclasses import replace
from typing import Any, Sequence, Union

from .pareto import pareto_front
from .pruners import make_pruner
from .rng import rng_for
from .samplers import make_sampler
from .space import SearchSpace
from .trial import TrialRecord, check_directions

_TOLD_STATES = ("complete", "pruned", "failed")


class Optimizer:
    """Asks a sampler for params, records results, and answers best-trial questions.

    Ask n uses ``rng_for(seed, n)``, like the Django service, so a study run here and
    one run by workers with the same seed and history propose the same params.

    Args:
        search_space: A ``SearchSpace`` or its public JSON form.
        direction: "minimize" (default) or "maximize", for a single objective.
        sampler: A sampler spec (name or ``{"name": ..., **options}``).
        seed: The study seed, a non-negative int; it also seeds qmc's scramble.
        pruner: A pruner spec, or None.
        directions: One direction per objective, for multi-objective studies
            (instead of ``direction``).

    Raises:
        SearchSpaceError: For an invalid space.
        SamplerError, PrunerError: For invalid specs, or a space/study they cannot serve.
        ValueError: For invalid directions or seed.

    Example:
        >>> opt = Optimizer({"x": {"type": "float", "low": -1, "high": 1}}, seed=0)
        >>> t = opt.ask()
        >>> _ = opt.tell(t, t.params["x"] ** 2)
        >>> opt.best_trial.number
        0
    """

    def __init__(
        self,
        search_space: Union[SearchSpace, dict],
        direction: Union[str, None] = None,
        sampler: Any = "random",
        seed: int = 0,
        pruner: Any = None,
        directions: Union[Sequence[str], None] = None,
    ):
        self.space = search_space if isinstance(search_space, SearchSpace) else SearchSpace.from_json(search_space)
        self.directions = _resolve_directions(direction, directions)
        rng_for(seed, 0)  # rejects a bad seed before anything is built on it
        self.seed = seed
        self.sampler = make_sampler(sampler, seed=seed)
        self.sampler.check(self.space)
        self.pruner = make_pruner(pruner)
        if self.pruner is not None:
            self.pruner.check(self.directions)
        self._trials = []

    @property
    def trials(self) -> tuple:
        """Tuple of every ``TrialRecord`` so far, by number."""
        return tuple(self._trials)

    def ask(self) -> TrialRecord:
        """Start a new trial.

        Returns:
            A "running" ``TrialRecord``; read ``.number`` and ``.params``.

        Raises:
            GridExhausted: When a grid sampler has no point left.
        """
        number = len(self._trials)
        params = self.sampler.sample(self.space, self.trials, rng_for(self.seed, number), self.directions)
        trial = TrialRecord(number=number, params=params, state="running")
        self._trials.append(trial)
        return trial

    def report(self, trial: Union[TrialRecord, int], step: int, value: float) -> bool:
        """Record an intermediate value of a running trial.

        Args:
            trial: The trial (or its number).
            step: A non-negative int not reported before for this trial.
            value: The intermediate objective value.

        Returns:
            Whether the pruner says to stop (always False without a pruner); stopping
            is then told with ``tell(trial, state="pruned")``.

        Raises:
            ValueError: For an unknown or finished trial, a bad or repeated step, a non-number.
        """
        current = self._running(trial)
        if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
            raise ValueError(f"step must be a non-negative integer, not {step!r}")
        if step in current.intermediate:
            raise ValueError(f"step {step} was already reported for trial {current.number}")
        updated = replace(current, intermediate={**current.intermediate, int(step): _real(value, "value")})
        self._trials[current.number] = updated
        return self.pruner is not None and self.pruner.should_prune(updated, self.trials, self.directions)

    def tell(
        self,
        trial: Union[TrialRecord, int],
        value: Union[float, None] = None,
        *,
        state: str = "complete",
        values: Union[Sequence[float], None] = None,
        constraints: Union[Sequence[float], None] = None,
    ) -> TrialRecord:
        """Finish a running trial.

        A complete trial needs ``value`` (single objective) or ``values`` (one per
        direction); a NaN among them records the trial as "failed", as Optuna does.
        A pruned trial keeps its latest intermediate value unless ``value`` is given.
        A failed trial takes no value.

        Args:
            trial: The trial (or its number).
            value: The objective value.
            state: "complete", "pruned" or "failed".
            values: The objective values of a multi-objective trial.
            constraints: The trial's constraint values, feasible when every one is <= 0;
                tpe, gp and nsga2 prefer feasible regions, and ``best_trial`` is feasible.

        Returns:
            The finished ``TrialRecord``.

        Raises:
            ValueError: For an unknown or finished trial, an unknown state, or values
                that do not fit the state and the number of directions.
        """
        current = self._running(trial)
        if state not in _TOLD_STATES:
            raise ValueError(f"state must be complete, pruned or failed, not {state!r}")
        if state == "complete":
            finished = self._completed(current, value, values)
        elif state == "pruned":
            finished = self._pruned(current, value, values)
        else:
            if value is not None or values is not None:
                raise ValueError("a failed trial takes no value")
            finished = replace(current, state="failed")
        if constraints is not None:
            finished = replace(finished, constraints=tuple(_real(c, "constraint") for c in constraints))
        self._trials[current.number] = finished
        return finished

    @property
    def best_trial(self) -> TrialRecord:
        """The feasible complete trial with the best value (the earliest among ties).

        Raises:
            RuntimeError: For a multi-objective study (use ``pareto_front()``).
            ValueError: When no trial is complete and feasible yet.
        """
        if len(self.directions) > 1:
            raise RuntimeError("a multi-objective study has no single best trial; use pareto_front()")
        complete = [t for t in self._trials if t.state == "complete"]
        if not complete:
            raise ValueError("no trial is complete yet")
        complete = [t for t in complete if t.violation == 0]
        if not complete:
            raise ValueError("no complete trial is feasible yet")
        sign = 1.0 if self.directions[0] == "minimize" else -1.0
        return min(complete, key=lambda t: sign * t.value)

    @property
    def best_value(self) -> float:
        """The value of ``best_trial``; raises as ``best_trial`` does."""
        return self.best_trial.value

    @property
    def best_params(self) -> dict:
        """The params of ``best_trial``; raises as ``best_trial`` does."""
        return dict(self.best_trial.params)

    def pareto_front(self) -> tuple:
        """The non-dominated complete trials.

        Returns:
            The complete trials no other complete trial dominates (see ``engine.pareto_front``).
        """
        return pareto_front(self._trials, self.directions)

    def _running(self, trial: Union[TrialRecord, int]) -> TrialRecord:
        number = trial.number if isinstance(trial, TrialRecord) else trial
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < len(self._trials):
            raise ValueError(f"trial {number!r} was never asked")
        current = self._trials[number]
        if current.state != "running":
            raise ValueError(f"trial {number} is already {current.state}")
        return current

    def _completed(self, current: TrialRecord, value, values) -> TrialRecord:
        n_objectives = len(self.directions)
        if n_objectives > 1 and value is not None:
            raise ValueError(f"this study has {n_objectives} objectives; tell them with values=[...]")
        given = values if values is not None else ([value] if value is not None else None)
        if given is None or len(given) != n_objectives:
            raise ValueError(f"a complete trial needs {n_objectives} value(s), got {given!r}")
        given = tuple(_real(v, "value") for v in given)
        if any(math.isnan(v) for v in given):
            return replace(current, state="failed")
        if n_objectives == 1:
            return replace(current, state="complete", value=given[0])
        return replace(current, state="complete", values=given)

    def _pruned(self, current: TrialRecord, value, values) -> TrialRecord:
        if values is not None:
            raise ValueError("a pruned trial takes at most one value")
        if value is None and current.intermediate:
            value = current.intermediate[max(current.intermediate)]
        return replace(current, state="pruned", value=None if value is None else _real(value, "value"))


def _resolve_directions(direction, directions) -> tuple:
    if direction is not None and directions is not None:
        raise ValueError("give direction or directions, not both")
    if directions is not None:
        return check_directions(directions)
    return check_directions([direction or "minimize"])


def _real(value: Any, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{label} must be a number, not {value!r}")
    return float(value)
