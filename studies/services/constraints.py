"""A trial's constraints: the values that say whether its result is allowed.

They arrive with a tell or a report as a list of numbers; the trial is feasible when every
one is <= 0 (Optuna's convention). A study's trials all give the same number of them (the
first trial that gives any fixes it). The best value, the summary and the leaderboard count
only feasible trials, and the tpe, gp and nsga2 samplers steer towards feasible regions.
A fault answers 400 naming the field (`constraints`, `constraints[2]`), and nothing is stored.
"""

from studies.models import Trial

from .errors import InvalidInput
from .specs import is_finite_number

MAX_CONSTRAINTS = 100


def checked(constraints):
    """Check constraints as given in one request; return them as floats, or None when not given.

    Raises:
        InvalidInput: naming `constraints` or `constraints[i]` and the fault.
    """
    if constraints is None:
        return None
    if not isinstance(constraints, list) or not constraints:
        raise InvalidInput.single("constraints", "constraints must be a non-empty list of numbers, "
                                                 "each <= 0 when the constraint holds")
    if len(constraints) > MAX_CONSTRAINTS:
        raise InvalidInput.single("constraints", f"a trial gives at most {MAX_CONSTRAINTS} constraints, "
                                                 f"got {len(constraints)}")
    for i, value in enumerate(constraints):
        if not is_finite_number(value):
            raise InvalidInput.single(f"constraints[{i}]", f"a constraint must be a finite number, got {value!r}")
    return [float(value) for value in constraints]


def store(study, trial, constraints):
    """Set checked constraints on the trial (inside `locked_study`); return the fields that changed.

    Raises:
        InvalidInput: when the study's other trials give another number of constraints.
    """
    if constraints is None:
        return []
    known = (Trial.objects.filter(study=study, constraints__isnull=False).exclude(pk=trial.pk)
             .values_list("constraints", flat=True).first())
    if known is not None and len(known) != len(constraints):
        raise InvalidInput.single("constraints", f"this study's trials give {len(known)} constraint(s); "
                                                 f"got {len(constraints)}")
    trial.constraints = constraints
    trial.feasible = all(value <= 0 for value in constraints)
    return ["constraints", "feasible"]
