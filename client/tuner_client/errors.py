"""Exceptions the client raises: one base class, one subclass per kind of answer."""

from __future__ import annotations

from typing import Any, Optional


class TunerError(Exception):
    """Base class of every error the client raises.

    Attributes:
        message: The reason, in the server's words when the server gave one.
        status: The HTTP status, or None when no answer arrived.
        body: The decoded answer body, when there was one.
    """

    def __init__(self, message: str, status: Optional[int] = None, body: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body


class ConfigError(TunerError):
    """The client lacks a setting it needs (server URL, token or study id)."""


class ConnectionFailed(TunerError):
    """The server could not be reached, even after every retry."""


class ServerError(TunerError):
    """The server kept answering 5xx, even after every retry."""


class BadRequest(TunerError):
    """400: the server refused the input; the message names the field and the fault."""


class AuthError(TunerError):
    """401 or 403: the token is missing, wrong or revoked."""


class NotFound(TunerError):
    """404: no such study or trial, or it belongs to someone else."""


class Conflict(TunerError):
    """409: the request does not fit the current state (budget exhausted, trial already told...)."""


class Pruned(Exception):
    """Raised by `Trial.report` when the server's pruner says the trial should stop.

    Not a TunerError: nothing went wrong. Inside ``with trial:`` it is caught, and the
    trial is told ``pruned``.
    """

    def __init__(self, trial_number: int, step: int) -> None:
        super().__init__(f"trial {trial_number} was pruned at step {step}")
        self.trial_number = trial_number
        self.step = step
