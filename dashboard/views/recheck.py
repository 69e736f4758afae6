"""The re-check of the top trials, as the study page's script draws it (every visitor, share
links included)."""

from django.http import Http404, JsonResponse

from .. import recheck as rechecked
from .common import study_view


@study_view(json=True)
def recheck(request, visitor):
    """The re-check's state, its chart, the most reliable trial and the sentence."""
    if not rechecked.can_recheck(visitor.study):
        raise Http404("this study cannot be re-checked")
    return JsonResponse(rechecked.recheck_card(visitor.study))
