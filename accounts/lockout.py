"""The answer to a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE): the login page, saying so, with 429."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """The login page with the lock-out in words; 429 with Retry-After, the lock-out's length.

    Every failure during the lock-out starts it again (axes' default), so the whole length is
    what the client must wait.
    """
    seconds = settings.TUNER_LOGIN_LOCKOUT_S
    response = render(request, "registration/login.html", {
        "form": AuthenticationForm(request),
        "lockout": {"minutes": max(round(seconds / 60), 1), "failures": settings.TUNER_LOGIN_FAILURE_LIMIT},
    }, status=429)
    response["Retry-After"] = str(seconds)
    return response
