"""The engine's exception types, shared by the space, the samplers and the pruners."""


class SearchSpaceError(ValueError):
    """A search space, or a params assignment checked against one, breaks the rules.

    Attributes:
        errors: List of ``(path, message)`` pairs, one per fault. ``path`` is ``""``
            for the whole space, a parameter name, or ``"name.key"`` (``"lr.low"``).

    ``str(err)`` joins the faults as ``"lr.low: low must be less than high; ..."``.
    """

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(f"{path}: {message}" if path else message for path, message in self.errors))

    def __reduce__(self):
        # Celery and multiprocessing pickle exceptions; rebuild from the pairs, not the joined text.
        return type(self), (self.errors,)


class SamplerError(ValueError):
    """A sampler spec or option is unknown or invalid, or the sampler cannot serve this space."""


class GridExhausted(Exception):
    """Every grid point is already used by a trial in the history.

    Not a ``SamplerError``: it is the normal end of a grid study, not a fault in its settings.
    """


class PrunerError(ValueError):
    """A pruner spec or option is unknown or invalid, or the pruner cannot serve this study."""
