"""Maps service errors onto HTTP answers so that views stay free of try/except ladders."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from studies.models import Dataset, Study, Trial
from studies.services import InvalidInput, ServiceError

log = logging.getLogger(__name__)
NOT_FOUND = (Study.DoesNotExist, Trial.DoesNotExist, Dataset.DoesNotExist)


def exception_handler(exc, context):
    """DRF's handler, plus: InvalidInput → 400 by field, Conflict → 409, Busy → 503, missing → 404."""
    if isinstance(exc, InvalidInput):
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ServiceError):
        return Response({"detail": exc.message}, status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": "the request body is larger than the server accepts"}, status=413)
    if isinstance(exc, NOT_FOUND):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, (OperationalError, BrokerError)):
        # The database is locked or down, or the broker is unreachable: nothing was changed
        # that the client cannot retry, so say so instead of answering 500.
        log.warning("service busy: %s", exc)
        return Response({"detail": "busy, retry: the database or the task queue is briefly unavailable"}, status=503)
    return drf_exception_handler(exc, context)
