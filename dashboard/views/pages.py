"""The pages that are not about one study: the studies list and the create-study wizard."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie

from studies import access
from studies.models import Study
from studies.services import inputs, read
from studies.services.demo import TEMPLATES, template_prefill

from .. import header, snippets, wizard
from .common import visible_study

STUDIES_PER_PAGE = 50


@login_required
@ensure_csrf_cookie
def study_list(request):
    text, state = request.GET.get("q", "").strip(), request.GET.get("state", "")
    studies = read.search_studies(access.studies_for(request.user), text, state).select_related("owner")
    page = Paginator(studies.order_by("-created_at"), STUDIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [header.header(study) for study in read.summarize_all(page)]
    welcome = not rows and not text and not state and not access.studies_for(request.user).exists()
    return render(request, "dashboard/study_list.html", {
        "rows": rows, "page": page, "q": text, "state": state, "states": Study.State.values,
        "templates": TEMPLATES, "welcome": welcome, "invitations": read.invitations_of(request.user),
    })


@login_required
@ensure_csrf_cookie
def study_new(request):
    prefill = None
    dataset_id = inputs.query_int(request.GET.get("dataset"), 0)
    if request.GET.get("from"):
        prefill = wizard.prefill_from(visible_study(request, _pk(request.GET["from"])))
    elif request.GET.get("template") in TEMPLATES and dataset_id:
        prefill = template_prefill(request.GET["template"], dataset_id)
    return render(request, "dashboard/study_new.html", {
        "wizard": {"catalogue": wizard.catalogue(), "prefill": prefill, "urls": _wizard_urls()},
        "templates": TEMPLATES, "own_code": snippets.for_wizard(request),
    })


@login_required
@ensure_csrf_cookie
def import_optuna(request):
    # The page's script posts the file to the API, which caps the upload and names each fault.
    return render(request, "dashboard/import_optuna.html", {
        "api_url": reverse("study-import-optuna"), "study_page": reverse("dashboard:study", args=[0]),
    })


def _pk(raw):
    return inputs.query_int(raw, 0)


def _wizard_urls():
    return {
        "studies": reverse("study-list"), "datasets": reverse("dataset-list"),
        "validate": reverse("dashboard:validate"), "study_page": reverse("dashboard:study", args=[0]),
        "dataset_task": reverse("dashboard:dataset-task", args=[0]),
    }
