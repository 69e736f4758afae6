"""Who may see which study and do what with it: the one place that decides.

A study's owner may do everything. A member shared in as `editor` may also run it (start,
pause, resume, stop, enqueue, ask/tell), edit its notes and exclude trials from its results; a
`viewer` sees everything and changes nothing. A share link is one more way to hold the viewer
role, for people without an account: it sees what a viewer sees except what names people or
machines (members, who wrote a note or excluded a trial, worker host names) and the model
files. Only the owner deletes or re-shares. Someone with no role gets 404, never 403, so a
stranger learns nothing about other users' studies; a member who tries what their role does
not allow gets 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from studies.models import Dataset, Prediction, ShareLink, Study, StudyMember, Trial

OWNER, EDITOR, VIEWER = "owner", "editor", "viewer"
ROLES = (OWNER, EDITOR, VIEWER)

# The roles allowed each action. Anything not listed is refused.
ALLOWED = {
    "view": {OWNER, EDITOR, VIEWER},
    "run": {OWNER, EDITOR},  # start, pause, resume, stop, enqueue, ask, tell, report, heartbeat
    "edit_notes": {OWNER, EDITOR},
    "exclude": {OWNER, EDITOR},  # leave a finished trial out of the results, or include it again
    "delete": {OWNER},
    "share": {OWNER},  # members and share links
    "see_people": {OWNER, EDITOR, VIEWER},  # members, who wrote a note or excluded a trial, worker host names
    "use_model": {OWNER, EDITOR, VIEWER},  # prepare and download the best model
    "export": {OWNER, EDITOR, VIEWER},  # every trial as CSV or JSON
    "leave": {EDITOR, VIEWER},  # a member leaves; the owner cannot leave their own study
    "see_files": {OWNER, EDITOR, VIEWER},  # the files attached to trials; a share link only if the owner ticked it
    "attach_files": {OWNER, EDITOR},  # attach a file to a trial
}
# What a share link may not do although it holds the viewer role.
WITHHELD_FROM_LINKS = {"see_people", "use_model", "export", "leave"}


@dataclass(frozen=True)
class Visitor:
    """Someone looking at a study: a signed-in user with a role, or the holder of a share link."""

    study: Study
    role: str
    user: object = None
    link: ShareLink | None = None

    def can(self, action):
        """Whether this visitor may do `action` (a key of ALLOWED)."""
        if self.link is not None and action in WITHHELD_FROM_LINKS:
            return False
        if self.link is not None and action == "see_files":
            return self.link.show_files
        return self.role in ALLOWED[action]

    def may(self):
        """Every action as name -> allowed, for templates and page scripts."""
        return {action: self.can(action) for action in ALLOWED}


def _member_study_ids(user):
    # An invitation not yet accepted gives no access.
    return StudyMember.objects.filter(user=user, accepted_at__isnull=False).values("study_id")


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


def predictions_for(user):
    """The user's own predictions, on studies they may still see; anyone else's answer 404."""
    if not user.is_authenticated:
        return Prediction.objects.none()
    return Prediction.objects.filter(owner=user, study__in=studies_for(user))


def role_of(user, study):
    """"owner", "editor", "viewer", or None when the user has no access to the study."""
    if not user.is_authenticated:
        return None
    if study.owner_id == user.pk:
        return OWNER
    return (StudyMember.objects.filter(study_id=study.pk, user=user, accepted_at__isnull=False)
            .values_list("role", flat=True).first())


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


def visitor(user, study):
    """The user as a visitor of a study they may see.

    Raises:
        Http404: The user has no access to the study.
    """
    role = role_of(user, study)
    if role is None:
        raise Http404("no such study")
    return Visitor(study=study, role=role, user=user)


def link_visitor(link, study=None):
    """The holder of an open share link, as a visitor of its study (or of `study`, the same
    study read with more fields): the viewer role."""
    return Visitor(study=study if study is not None else link.study, role=VIEWER, link=link)
