"""The HTML pages: studies, create a study, a study, a trial."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie

from studies import access, inputs, selectors
from studies.models import Study, Trial
from sharing import context as sharing_context
from studies.services.demo import TEMPLATES, template_prefill

from .. import queries, snippets, summary, wizard
from .common import visible_study

STUDIES_PER_PAGE = 50


@login_required
@ensure_csrf_cookie
def study_list(request):
    text, state = request.GET.get("q", "").strip(), request.GET.get("state", "")
    studies = queries.search_studies(access.studies_for(request.user), text, state).select_related("owner")
    page = Paginator(queries.studies_with_summary(studies).order_by("-created_at"), STUDIES_PER_PAGE)
    page = page.get_page(request.GET.get("page"))
    rows = [summary.header(study) for study in page]
    welcome = not rows and not text and not state and not access.studies_for(request.user).exists()
    return render(request, "dashboard/study_list.html", {
        "rows": rows, "page": page, "q": text, "state": state, "states": Study.State.values,
        "templates": TEMPLATES, "welcome": welcome,
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
        "templates": TEMPLATES,
    })


def _pk(raw):
    return inputs.query_int(raw, 0)


def _wizard_urls():
    return {
        "studies": reverse("study-list"), "datasets": reverse("dataset-list"),
        "validate": reverse("dashboard:validate"), "study_page": reverse("dashboard:study", args=[0]),
        "dataset_task": reverse("dashboard:dataset-task", args=[0]),
    }


@login_required
@ensure_csrf_cookie
def study_detail(request, pk):
    study = visible_study(request, pk, summary=True)
    best = selectors.best_trial(study)
    header = summary.header(study)
    header["n_agents"] = queries.n_active_agents(study)
    return render(request, "dashboard/study_detail.html", {
        "study": study, "header": header, "best": best, "page_data": _study_page_data(study, header),
        "sampler_reason": summary.sampler_choice(study)[2],
        "snippets": snippets.for_study(request, study) if study.is_external else None,
        "sharing": sharing_context.study_page(request, study),
    })


def _study_page_data(study, header):
    api = reverse("study-detail", args=[study.pk])
    return {
        "id": study.pk, "directions": study.directions, "search_space": study.search_space,
        "is_external": study.is_external, "header": header, "numeric": _numeric(study),
        "urls": {
            "api": api, "live": reverse("dashboard:live", args=[study.pk]),
            "chart": reverse("dashboard:chart", args=[study.pk, "NAME"]),
            "table": reverse("dashboard:table", args=[study.pk]),
            "trial_page": reverse("dashboard:trial", args=[study.pk, 0]),
            "list": reverse("dashboard:studies"), "duplicate": reverse("dashboard:new") + f"?from={study.pk}",
            "enqueue": reverse("study-trials", args=[study.pk]),
        },
    }


def _numeric(study):
    return [name for name, spec in study.search_space.items() if spec.get("type") in ("int", "float")]


@login_required
def trial_detail(request, pk, number):
    study = visible_study(request, pk)
    trial = get_object_or_404(Trial.objects.filter(study=study), number=number)
    reports = queries.trial_reports(trial)
    return render(request, "dashboard/trial_detail.html", {
        "study": study, "trial": trial, "reports": reports,
        "page_data": {"reports": [{"step": step, "value": value} for step, value in reports],
                      "state": trial.state, "api": reverse("trial-detail", args=[trial.pk])},
        "sharing": sharing_context.trial_page(request, study, trial),
    })
