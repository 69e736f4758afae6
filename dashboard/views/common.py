"""What every dashboard view shares: fetching a study the user may see, and parsing numbers."""

from functools import wraps

from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from studies import access

from .. import queries


def visible_study(request, pk, summary=False):
    """The study if the user may see it, else 404 (never 403: a stranger learns nothing)."""
    studies = access.studies_for(request.user).select_related("owner")
    if summary:
        studies = queries.studies_with_summary(studies)
    return get_object_or_404(studies, pk=pk)


class BadArgument(ValueError):
    """A query argument that cannot be used; the JSON views answer 400 with its message."""


def json_view(view):
    """For the endpoints page scripts call: 401 without a session, 400 for a bad argument."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": "log in first"}, status=401)
        try:
            return view(request, *args, **kwargs)
        except BadArgument as exc:
            return JsonResponse({"detail": str(exc)}, status=400)

    return wrapper


def int_arg(request, name, default, low=0, high=None):
    """A whole-number query argument clipped to [low, high]. Raises BadArgument otherwise."""
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadArgument(f"{name} must be a whole number, got {raw!r}") from None
    value = max(value, low)
    return min(value, high) if high is not None else value


def float_arg(raw):
    """A float from a query argument, or None when it is empty or not a number."""
    try:
        return float(raw) if raw not in (None, "") else None
    except ValueError:
        return None
