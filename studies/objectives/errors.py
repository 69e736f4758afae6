"""Exceptions raised by the built-in objectives."""


class ObjectiveError(ValueError):
    """A fault in an objective spec or its params that the user must fix.

    Attributes:
        field: Where the fault is, e.g. ``"objective.metric"`` or ``"params.C"``.
        message: What is wrong, in plain words.
    """

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class CsvError(ValueError):
    """A fault in an uploaded CSV file; the message names the fault and where it is.

    Attributes:
        message: What is wrong, e.g. ``"line 7 has 3 fields but the header has 4"``.
        field: The spec field the fault belongs to when it surfaces during evaluation:
            ``"objective.target"`` for faults of the target column, else
            ``"objective.dataset"``.
    """

    def __init__(self, message, *, field="objective.dataset"):
        super().__init__(message)
        self.message = message
        self.field = field


class EvaluationStopped(Exception):
    """Raised by `evaluate` when its ``should_stop`` callback answers true.

    It is not a ValueError: the objective is fine, the caller asked to stop.

    Attributes:
        step: The number of CV folds completed before stopping.
    """

    def __init__(self, step):
        super().__init__(f"evaluation stopped after {step} folds")
        self.step = step
