"""What if and the budget advice, as the study page's panel reads them (every visitor, share links
included: asking changes nothing, so a GET beside the page serves links as well as members)."""

import json

from django.http import JsonResponse

from studies.services import InvalidInput, ServiceError, surrogates

from .common import BadArgument, study_view


@study_view(json=True)
def what_if(request, visitor):
    """The surrogate's prediction at ``?params=<JSON object>``; refusals as the API words them."""
    try:
        params = json.loads(request.GET.get("params", "{}"))
    except ValueError:
        raise BadArgument("params must be a JSON object of parameter name to value") from None
    return _answer(surrogates.predict, visitor.study, params)


@study_view(json=True)
def advice(request, visitor):
    """What 10, 50 and 200 more trials may bring."""
    return _answer(surrogates.advice_of, visitor.study)


def _answer(service, *args):
    try:
        return JsonResponse(service(*args))
    except InvalidInput as exc:
        return JsonResponse(exc.errors, status=400)
    except ServiceError as exc:
        return JsonResponse({"detail": exc.message}, status=exc.status)
