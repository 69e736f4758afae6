"""Errors that services raise; the API and pages map each to one HTTP answer."""


class ServiceError(Exception):
    """Base class: a request that cannot be carried out as asked."""

    status = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    """Input that breaks a rule; `errors` maps each field to its messages (HTTP 400)."""

    def __init__(self, errors):
        self.errors = {field: list(messages) for field, messages in errors.items()}
        first_field, first_messages = next(iter(self.errors.items()))
        super().__init__(f"{first_field}: {first_messages[0]}" if first_field else first_messages[0], first_field)

    @classmethod
    def single(cls, field, message):
        return cls({field: [message]})


class Conflict(ServiceError):
    """The request does not fit the object's current state (HTTP 409)."""

    status = 409


class Busy(ServiceError):
    """A backing service is briefly unavailable; the client should retry (HTTP 503)."""

    status = 503


class TooLarge(ServiceError):
    """The request or upload is over a size cap (HTTP 413)."""

    status = 413


class TooMany(ServiceError):
    """The user holds more of something than the cap allows (HTTP 429)."""

    status = 429
