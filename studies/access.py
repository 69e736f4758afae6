"""Which studies, trials and datasets a user may see and what they may do: the one place that decides.

A study's owner may do everything. A member shared in as `editor` may also run it (start,
pause, resume, stop, enqueue, ask/tell) and edit its notes; a `viewer` sees everything and
changes nothing. Only the owner deletes or re-shares. Someone with no role gets 404, never
403, so a stranger learns nothing about other users' studies; a member who tries what
their role does not allow gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from studies.models import Dataset, Study, Trial

OWNER, EDITOR, VIEWER = "owner", "editor", "viewer"
ROLES = (OWNER, EDITOR, VIEWER)

# The roles allowed each action. Anything not listed is refused.
ALLOWED = {
    "view": {OWNER, EDITOR, VIEWER},
    "run": {OWNER, EDITOR},  # start, pause, resume, stop, enqueue, ask, tell, report, heartbeat
    "edit_notes": {OWNER, EDITOR},
    "delete": {OWNER},
    "share": {OWNER},  # members and share links
}


def _member_study_ids(user):
    from sharing.models import StudyMember  # sharing depends on studies, not the other way round at import

    return StudyMember.objects.filter(user=user).values("study_id")


def studies_for(user):
    """The studies the user owns or is a member of; anything else answers 404, never 403."""
    if not user.is_authenticated:
        return Study.objects.none()
    # A subquery rather than a join, so annotations that count trials are not multiplied by members.
    return Study.objects.filter(Q(owner=user) | Q(pk__in=_member_study_ids(user)))


def trials_for(user):
    """The trials of the studies the user may see."""
    return Trial.objects.filter(study__in=studies_for(user))


def datasets_for(user):
    """The datasets the user uploaded."""
    if not user.is_authenticated:
        return Dataset.objects.none()
    return Dataset.objects.filter(owner=user)


def role_of(user, study):
    """"owner", "editor", "viewer", or None when the user has no access to the study."""
    if not user.is_authenticated:
        return None
    if study.owner_id == user.pk:
        return OWNER
    from sharing.models import StudyMember

    return StudyMember.objects.filter(study_id=study.pk, user=user).values_list("role", flat=True).first()


def can(user, study, action, role=None):
    """Whether the user may do `action` on the study; pass `role` when it is already known."""
    role = role if role is not None else role_of(user, study)
    return role in ALLOWED[action]


def require(user, study, action):
    """Return the user's role on the study if it allows `action`.

    Raises:
        Http404: The user has no access to the study at all.
        PermissionDenied: The user may see the study but their role does not allow `action` (403).
    """
    role = role_of(user, study)
    if role is None:
        raise Http404("no such study")
    if role not in ALLOWED[action]:
        raise PermissionDenied(f"a {role} of this study may not {action.replace('_', ' ')}")
    return role
