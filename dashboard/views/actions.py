"""One-click actions from the pages: try a demo, start from a template, answer an invitation, leave a study."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from studies.services import demo
from studies.services import members as member_service


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


@require_POST
@login_required
def answer_invitation(request, pk, answer):
    act = member_service.accept_invitation if answer == "accept" else member_service.decline_invitation
    if not act(pk, request.user):
        raise Http404("no invitation to this study")
    if answer == "accept":
        return redirect("dashboard:study", pk=pk)
    messages.success(request, "Invitation declined: the study stays out of your list.")
    return redirect("dashboard:studies")


@require_POST
@login_required
def leave_study(request, pk):
    # The owner has no membership to leave, so the page offers them no button; this refuses them too.
    if not member_service.is_member(pk, request.user):
        raise Http404("you are not a member of this study")
    member_service.leave_study(pk, request.user)
    messages.success(request, "You left the study: it is no longer in your list. Its owner can invite you again.")
    return redirect("dashboard:studies")
