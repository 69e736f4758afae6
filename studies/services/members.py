"""Sharing a study with other users, as viewers or editors: invitations, accepting, leaving.

The owner invites by username and is told the same whether or not the username exists: the
invited user sees the invitation on their studies page and joins only if they accept, and only
then does the owner see them among the members. So sharing tells no one which usernames exist,
and nobody is added to a study (nor has it in their list) without saying yes.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from studies.models import Study, StudyMember

from .errors import InvalidInput


def invite_member(study_id, username, role):
    """Invite a user to a study as viewer or editor; for a member already in, change the role.

    Returns nothing, whether or not there is such a user: the answer must not tell. Raises
    InvalidInput for a bad role, or for the owner's own username (the owner knows it).
    """
    if role not in StudyMember.Role.values:
        raise InvalidInput.single("role", f"{role!r} is not a role; use one of {StudyMember.Role.values}")
    study = Study.objects.select_related("owner").only("owner__username").get(pk=study_id)
    if study.owner.get_username() == username:
        raise InvalidInput.single("username", "the owner already has every right on the study")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is not None:
        StudyMember.objects.update_or_create(study_id=study_id, user=user, defaults={"role": role})


# Rows are found by `study__pk`, not `study_id`: a lookup through the study's own key is checked
# against the column's range, so an id wider than any (from a URL) matches nothing instead of
# overflowing SQLite's integers.


def accept_invitation(study_id, user):
    """Accept the user's invitation to a study. Returns whether there was one to accept."""
    return StudyMember.objects.filter(study__pk=study_id, user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()) > 0


def decline_invitation(study_id, user):
    """Decline the user's invitation to a study. Returns whether there was one to decline."""
    deleted, _ = StudyMember.objects.filter(study__pk=study_id, user=user, accepted_at__isnull=True).delete()
    return bool(deleted)


def leave_study(study_id, user):
    """The user leaves a study they are a member of, or declines its invitation.

    Returns whether they were a member. Raises InvalidInput for the study's owner,
    who cannot leave their own study (they may delete it or hand it on instead).
    """
    if Study.objects.filter(pk=study_id, owner=user).exists():
        raise InvalidInput.single("username", "the owner cannot leave their own study; delete it instead")
    deleted, _ = StudyMember.objects.filter(study__pk=study_id, user=user).delete()
    return bool(deleted)


def is_member(study_id, user):
    """Whether the user accepted an invitation to the study and has not left it."""
    return StudyMember.objects.filter(study__pk=study_id, user=user, accepted_at__isnull=False).exists()


def remove_member(study_id, username):
    """Stop sharing a study with a user, or withdraw their invitation; removing twice changes nothing."""
    StudyMember.objects.filter(study__pk=study_id, user__username=username).delete()
