"""One-click actions from the pages: try a demo, start from a template."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from studies.services import demo


@require_POST
@login_required
def try_demo(request):
    study = demo.create_demo_study(request.user)
    return redirect("dashboard:study", pk=study.pk)


@require_POST
@login_required
def use_template(request, slug):
    if slug not in demo.TEMPLATES:
        raise Http404("no such template")
    dataset = demo.create_template_dataset(request.user, slug)
    return redirect(reverse("dashboard:new") + f"?template={slug}&dataset={dataset.pk}")
