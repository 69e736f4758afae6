"""What the dashboard's views share: who is looking at which study, and parsing query arguments.

Every study view is reachable two ways, with the same view function: `/studies/<pk>/...` for a
signed-in user with a role on the study, and `/share/<token>/...` for the holder of a share
link. Both become a `studies.access.Visitor`; the view shows what the visitor may see.
"""

import gzip
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from studies import access
from studies.models import Study
from studies.services import read, share_links

# A share link's token is in its URL: never send it on to another site, never let a shared
# cache keep a page a revoked link showed, never let a search engine list it.
LINK_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",
}
MAX_ID = 2**63 - 1


class BadArgument(ValueError):
    """A query argument that cannot be used; the JSON views answer 400 with its message."""


def visible_study(request, pk, summary=False):
    """The study if the user may see it, else 404 (never 403: a stranger learns nothing)."""
    study = get_object_or_404(access.studies_for(request.user).select_related("owner"), pk=pk)
    return read.summarize(study) if summary else study


def _visitor(request, pk, token, summary, touch):
    if token is None:
        return access.visitor(request.user, visible_study(request, pk, summary))
    link = share_links.open_share_link(token, touch=touch)
    if link is None:
        raise Http404("no such link")
    study = get_object_or_404(Study.objects.select_related("owner"), pk=link.study_id)
    return access.link_visitor(link, read.summarize(study) if summary else study)


def study_view(json=False, summary=False):
    """For views of one study, reached by `pk` (signed in) or `token` (a share link).

    The view is called as `view(request, visitor, **rest)`. Without a session, a page sends
    to the login page and JSON answers 401; a share link answers GET and HEAD only (else
    405) and carries LINK_HEADERS. JSON views answer 400 for a BadArgument, gzipped when the
    client accepts it.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, pk=None, token=None, **kwargs):
            if token is None and not request.user.is_authenticated:
                if json:
                    return JsonResponse({"detail": "log in first"}, status=401)
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            try:
                # Opening a page notes when a link was last used; the JSON its script polls does not.
                response = view(request, _visitor(request, pk, token, summary, touch=not json), **kwargs)
            except BadArgument as exc:
                if not json:
                    raise
                response = JsonResponse({"detail": str(exc)}, status=400)
            if token is not None:
                for name, value in LINK_HEADERS.items():
                    response[name] = value
            return response

        view_for_links = require_safe_for_links(wrapper)
        # JSON is gzipped for a browser that accepts it (a chart of 10,000 trials shrinks about
        # five-fold). Pages are not: they carry a CSRF token, which compression beside text an
        # attacker can reflect would expose to BREACH; this JSON holds no secret.
        return gzip_page(view_for_links) if json else view_for_links

    return decorate


def gzipped_json(request, body):
    """A JSON answer from JSON already gzipped (cached so): sent as it is to a client that accepts
    gzip (gzip_page leaves an answer that has a Content-Encoding alone), unpacked for one that does not.
    The same bytes every time, without the random padding gzip_page adds against BREACH: the study's
    JSON holds no secret (see study_view)."""
    if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(body, content_type="application/json", headers={"Content-Encoding": "gzip"})
    else:
        response = HttpResponse(gzip.decompress(body), content_type="application/json")
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def require_safe_for_links(view):
    """GET and HEAD only when reached through a share link; signed-in views choose their own methods."""
    safe = require_safe(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return safe(request, *args, **kwargs) if kwargs.get("token") is not None else view(request, *args, **kwargs)

    return wrapper


def json_view(view):
    """For the endpoints page scripts call that are not about one study: 401 without a session,
    400 for a bad argument."""

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
    return min(value, high if high is not None else MAX_ID)


def float_arg(raw):
    """A float from a query argument, or None when it is empty or not a number."""
    try:
        return float(raw) if raw not in (None, "") else None
    except ValueError:
        return None
