"""Reading the history the way model-based samplers need it: scores and pending trials."""

from __future__ import annotations

import math
from typing import Sequence, Union

from ..errors import SamplerError
from ..trial import TrialRecord

PENDING = ("waiting", "running")


def single_objective(directions: Sequence[str], sampler_name: str) -> float:
    """The sign that turns the study's value into a loss to minimise.

    Args:
        directions: The study's directions.
        sampler_name: For the message.

    Returns:
        1.0 for "minimize", -1.0 for "maximize".

    Raises:
        SamplerError: For a multi-objective study.
    """
    if len(directions) != 1:
        raise SamplerError(f"the {sampler_name} sampler handles one objective; use nsga2 for {len(directions)} objectives")
    return 1.0 if directions[0] == "minimize" else -1.0


def trial_loss(trial: TrialRecord, sign: float) -> Union[float, None]:
    """The loss a single-objective trial scored, or None when it has none.

    Complete trials count with their value; pruned ones with their value, which the
    engine sets to the latest intermediate value, or that latest value when the record
    has none. Failed and pending trials, and NaN or infinite values, give None.

    Args:
        trial: A history record.
        sign: From ``single_objective``.

    Returns:
        ``sign * value`` or None.
    """
    value = None
    if trial.state == "complete":
        value = trial.value
    elif trial.state == "pruned":
        value = trial.value
        if value is None and trial.intermediate:
            value = trial.intermediate[max(trial.intermediate)]
    if value is None or not math.isfinite(value):
        return None
    return sign * float(value)


def scored_trials(trials: Sequence[TrialRecord], sign: float) -> list:
    """The trials with a loss, as ``(trial, loss)`` pairs in history order.

    Args:
        trials: The history.
        sign: From ``single_objective``.

    Returns:
        List of ``(TrialRecord, float)``.
    """
    pairs = ((t, trial_loss(t, sign)) for t in trials)
    return [(t, loss) for t, loss in pairs if loss is not None]


def objective_losses(trial: TrialRecord, signs: Sequence[float]) -> Union[tuple, None]:
    """The losses of a complete trial, one per objective, or None when it has none.

    Args:
        trial: A history record.
        signs: 1.0 / -1.0 per objective.

    Returns:
        Tuple of floats, or None for a trial that is not complete, has the wrong number
        of values, or a missing or non-finite one.
    """
    if trial.state != "complete":
        return None
    values = trial.values if trial.values is not None else (trial.value,)
    if len(values) != len(signs) or any(v is None or not math.isfinite(v) for v in values):
        return None
    return tuple(s * float(v) for s, v in zip(signs, values))
