"""Middleware: pages answer service refusals and database outages as the API does, URLs no database
can take get 400, and nothing a logged-in user sees is stored by a cache."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from studies.engine import encoding_fault
from studies.services import ServiceError

log = logging.getLogger(__name__)


class DatabaseBusyMiddleware:
    """A database outage (a restart, a locked SQLite file) is temporary: say so instead of 500.
    A service's refusal on a page answers its message and status, as in the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ServiceError):
            # A page's action refused by a service (a per-user limit, a study in the wrong
            # state): its message and status, as the API answers them.
            return HttpResponse(exception.message, status=exception.status, content_type="text/plain; charset=utf-8")
        if isinstance(exception, (OperationalError, InterfaceError)):
            log.warning("database unavailable for %s: %s", request.path, exception)
            return HttpResponse(
                "Tuner is busy: the database is briefly unavailable. Retry in a few seconds.",
                status=503, content_type="text/plain; charset=utf-8", headers={"Retry-After": "5"},
            )
        return None


class QueryTextMiddleware:
    """Refuse a URL whose path or query parameters hold NUL (or a lone surrogate) with 400.

    Views hand query parameters to database filters (a search, a state, a sort key), and
    PostgreSQL refuses NUL with an error that would otherwise be a 500. JSON bodies are
    checked by their parser (studies.services.inputs) and form fields by Django's and DRF's fields.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fault = encoding_fault(request.path)
        if fault:
            return JsonResponse({"path": [f"the path {fault}"]}, status=400)
        for name, values in request.GET.lists():
            fault = encoding_fault(name)
            if fault:
                return JsonResponse({"query": [f"a query parameter's name {fault}"]}, status=400)
            fault = next(filter(None, map(encoding_fault, values)), None)
            if fault:
                return JsonResponse({name: [f"the query parameter {name} {fault}"]}, status=400)
        return self.get_response(request)


class NoStoreMiddleware:
    """Cache-Control: no-store on every answer to a request with a session or an API token.

    Pages, exports, reports and API answers hold the user's studies; neither a shared cache
    nor the browser's back button may keep them after logout. Answers that set their own
    Cache-Control (share pages) keep it; static files never reach here (WhiteNoise answers
    them first), nor does anything for anonymous visitors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Decided by the credentials the request carries, not by request.user: loading the
        # user reads the database, which may be the very outage this response reports (503).
        credentials = settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
        if credentials and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
