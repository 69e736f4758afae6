"""The explanation of the best model, as the study page's script draws it (every visitor,
share links included)."""

from django.http import Http404, JsonResponse

from studies.services import model_exports

from .. import explain as explained
from .common import study_view


@study_view(json=True)
def explain(request, visitor):
    """The explanation's state and, once ready, its charts with their captions."""
    if not model_exports.has_model(visitor.study):
        raise Http404(model_exports.NOT_A_MODEL_STUDY)
    return JsonResponse(explained.explain_charts(visitor.study))
