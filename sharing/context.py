"""What the study and trial pages need to show the sharing partials (the dashboard calls these)."""

from django.urls import reverse

from studies import access

from . import facts, model_export, services
from .models import Note, ShareLink, StudyMember
from .rendering import render_markdown
from .serializers import ModelExportSerializer


def study_page(request, study):
    """Context for the `_summary`, `_members_panel`, `_share_panel`, `_notes` and `_best_model` partials.

    The dashboard's study view adds it as `sharing`: `context["sharing"] = study_page(request, study)`.
    """
    role = access.role_of(request.user, study)
    return {
        "role": role,
        "can_run": access.can(request.user, study, "run", role),
        "can_edit_notes": access.can(request.user, study, "edit_notes", role),
        "can_delete": access.can(request.user, study, "delete", role),
        "can_share": access.can(request.user, study, "share", role),
        "summary": facts.study_summary(study),
        "notes": notes_of(study),
        "members": list(StudyMember.objects.filter(study=study).select_related("user").order_by("user__username")),
        "links": (list(ShareLink.objects.filter(study=study).select_related("created_by").order_by("-created_at"))
                  if access.can(request.user, study, "share", role) else []),
        "urls": urls_of(study),
        "model": best_model_of(study),
    }


def best_model_of(study):
    """What the best-model panel starts from: None for a study with no model, else the URL its
    script posts to and polls, and the latest export as the API shows it (or None)."""
    if not model_export.has_model(study):
        return None
    export = services.latest_model_export(study.pk)
    return {"url": reverse("sharing-api:study-best-model", args=[study.pk]),
            "export": ModelExportSerializer(export).data if export else None}


def trial_page(request, study, trial):
    """Context for `_notes.html` on a trial page: the trial's note only."""
    role = access.role_of(request.user, study)
    note = Note.objects.filter(study=study, trial=trial).select_related("updated_by").first()
    return {"role": role, "can_edit_notes": access.can(request.user, study, "edit_notes", role),
            "notes": [_note(note)] if note else [], "trial_number": trial.number, "urls": urls_of(study)}


def notes_of(study):
    rows = Note.objects.filter(study=study).select_related("trial", "updated_by").order_by("trial__number")
    return [_note(note) for note in rows]


def _note(note):
    return {"trial": note.trial.number if note.trial_id else None, "text": note.text, "html": render_markdown(note.text),
            "updated_by": note.updated_by.get_username() if note.updated_by else "", "updated_at": note.updated_at}


def urls_of(study):
    return {
        "members": reverse("sharing-api:study-members", args=[study.pk]),
        "links": reverse("sharing-api:study-share-links", args=[study.pk]),
        "link": reverse("sharing-api:share-link", args=[0]),
        "notes": reverse("sharing-api:study-notes", args=[study.pk]),
        "report": reverse("sharing:report", args=[study.pk]),
        "model": reverse("sharing:best-model", args=[study.pk]),
        "model_text": reverse("sharing:best-model-text", args=[study.pk]),
        "compare": reverse("sharing:compare") + f"?ids={study.pk}",
    }
