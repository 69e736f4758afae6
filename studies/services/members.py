"""Sharing a study with other users, as viewers or editors."""

from django.contrib.auth import get_user_model

from studies.models import Study, StudyMember

from .errors import InvalidInput


def add_member(study_id, username, role):
    """Share a study with a user as viewer or editor; a second call changes the role.

    Returns (member, created). Raises InvalidInput for an unknown user, the owner, or a bad role.
    """
    if role not in StudyMember.Role.values:
        raise InvalidInput.single("role", f"{role!r} is not a role; use one of {StudyMember.Role.values}")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput.single("username", f"there is no user {username!r}")
    study = Study.objects.only("owner_id").get(pk=study_id)
    if study.owner_id == user.pk:
        raise InvalidInput.single("username", "the owner already has every right on the study")
    member, created = StudyMember.objects.update_or_create(study_id=study_id, user=user, defaults={"role": role})
    return member, created


def remove_member(study_id, username):
    """Stop sharing a study with a user. Returns whether they were a member."""
    deleted, _ = StudyMember.objects.filter(study_id=study_id, user__username=username).delete()
    return bool(deleted)
