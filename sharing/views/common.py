"""What the share pages and the member pages share: the study with its header figures."""

from django.shortcuts import get_object_or_404

from dashboard import queries
from dashboard import summary as dashboard_summary
from studies import access, selectors
from studies.models import Study


def study_with_summary(pk, queryset=None):
    studies = queries.studies_with_summary((queryset if queryset is not None else Study.objects).select_related("owner"))
    return get_object_or_404(studies, pk=pk)


def visible_study(request, pk, action="view"):
    """The study if the user's role allows `action`: 404 without access, 403 for too small a role."""
    study = study_with_summary(pk, access.studies_for(request.user))
    access.require(request.user, study, action)
    return study


def display_name(user):
    return user.get_full_name() or user.get_username()


def public_header(study):
    """The header figures, with the owner's display name as the only name in them."""
    header = dashboard_summary.header(study)
    header["owner"] = display_name(study.owner)
    best = selectors.best_trial(study)
    header["best"] = {"number": best.number, "params": best.params, "value": best.value} if best else None
    return header
