"""Answer 503 "busy, retry" for pages when the database is unreachable, as the API does."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

log = logging.getLogger(__name__)


class DatabaseBusyMiddleware:
    """A database outage (a restart, a locked SQLite file) is temporary: say so instead of 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            log.warning("database unavailable for %s: %s", request.path, exception)
            return HttpResponse(
                "Tuner is busy: the database is briefly unavailable. Retry in a few seconds.",
                status=503, content_type="text/plain; charset=utf-8", headers={"Retry-After": "5"},
            )
        return None
