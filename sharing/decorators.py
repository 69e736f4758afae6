"""Cross-cutting checks for the pages of this app."""

from functools import wraps

from django.http import Http404
from django.views.decorators.http import require_safe

from . import services

PUBLIC_HEADERS = {
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never send it on to another site
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",  # a revoked link must not live on in a shared cache
}


def share_view(view=None, *, touch=False):
    """For /share/<token>/...: GET or HEAD only (else 405), a live link (else 404), private headers.

    The view is called with the open `ShareLink` instead of the token. With `touch`, opening
    it records the link's last use.
    """
    if view is None:
        return lambda inner: share_view(inner, touch=touch)

    @require_safe
    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        link = services.open_share_link(token, touch=touch)
        if link is None:
            raise Http404("no such link")
        response = view(request, link, *args, **kwargs)
        for name, value in PUBLIC_HEADERS.items():
            response[name] = value
        return response

    return wrapper
