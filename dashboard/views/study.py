"""The study page and its trial pages: one view each for the owner, an editor, a viewer and a share link."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import ensure_csrf_cookie

from studies.models import Artifact, Trial
from studies.services import artifacts

from .. import context
from .common import study_view


@study_view(summary=True)
@ensure_csrf_cookie
def study_detail(request, visitor):
    return render(request, "dashboard/study_detail.html", context.study_page(request, visitor))


@study_view()
def trial_detail(request, visitor, number):
    trial = get_object_or_404(Trial.objects.filter(study=visitor.study).select_related("excluded_by"), number=number)
    if not visitor.can("see_people"):
        trial.worker, trial.excluded_by = "", None
    return render(request, "dashboard/trial_detail.html", context.trial_page(visitor, trial))


@study_view()
def trial_file(request, visitor, number, artifact_id):
    if not visitor.can("see_files"):
        raise Http404("no such file")
    found = get_object_or_404(Artifact.objects.filter(trial__study=visitor.study, trial__number=number), pk=artifact_id)
    return artifacts.download(found)
