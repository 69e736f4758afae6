"""Run your own training code as trials of a Tuner study.

Example:
    >>> import tuner_client
    >>> study = tuner_client.Study("http://127.0.0.1:8000", study_id=7, token="...")  # doctest: +SKIP
    >>> for trial in study.trials(n=20):                                              # doctest: +SKIP
    ...     with trial:
    ...         for epoch in range(30):
    ...             trial.report(epoch, evaluate(train_one_epoch(**trial.params)))
    ...         trial.tell(evaluate(model))

The ``tuner-agent`` command (``tuner_client.agent``) runs any program as trials.
"""

from ._version import __version__
from .errors import (
    AuthError,
    BadRequest,
    ConfigError,
    Conflict,
    ConnectionFailed,
    NotFound,
    Pruned,
    ServerError,
    TunerError,
)
from .study import Study, Trial, upload_dataset

__all__ = [
    "AuthError",
    "BadRequest",
    "ConfigError",
    "Conflict",
    "ConnectionFailed",
    "NotFound",
    "Pruned",
    "ServerError",
    "Study",
    "Trial",
    "TunerError",
    "__version__",
    "upload_dataset",
]
