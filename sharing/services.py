"""Every state change of sharing: members, share links, notes. Views call only these."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from studies.models import Study, Trial
from studies.services import InvalidInput

from .models import Note, ShareLink, StudyMember
from .tokens import hash_token, matches, new_token

MAX_NOTE_CHARS = 20_000
# Opening a page records the time; closer opens than this are not worth a write.
TOUCH_EVERY_S = 60


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


def create_share_link(study_id, created_by, expires_at=None):
    """Make a read-only link to a study. Returns (link, token); the token is never stored or shown again."""
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput.single("expires_at", "the expiry must be in the future")
    token = new_token()
    link = ShareLink.objects.create(study_id=study_id, token_hash=hash_token(token), created_by=created_by,
                                    expires_at=expires_at)
    return link, token


def revoke_share_link(link_id):
    """Revoke a link for good; revoking twice changes nothing."""
    ShareLink.objects.filter(pk=link_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def live_links():
    now = timezone.now()
    return ShareLink.objects.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def open_share_link(token, touch=False):
    """The live link behind a token, or None (unknown, revoked or expired).

    With `touch`, records when the link was opened, at most once a minute per link.
    """
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = live_links().select_related("study", "study__owner").filter(token_hash=hash_token(token)).first()
    if link is None or not matches(token, link.token_hash):
        return None
    if touch:
        now = timezone.now()
        stale = Q(last_opened_at__isnull=True) | Q(last_opened_at__lt=now - timezone.timedelta(seconds=TOUCH_EVERY_S))
        ShareLink.objects.filter(stale, pk=link.pk).update(last_opened_at=now)
    return link


def save_note(study_id, trial_number, text, user):
    """Write the note on a study (trial_number None) or one of its trials; empty text deletes it.

    Returns the note, or None when it was deleted.
    """
    if not isinstance(text, str):
        raise InvalidInput.single("text", "must be text")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput.single("text", f"a note holds at most {MAX_NOTE_CHARS:,} characters, got {len(text):,}")
    trial = None
    if trial_number is not None:
        trial = Trial.objects.filter(study_id=study_id, number=trial_number).only("pk").first()
        if trial is None:
            raise InvalidInput.single("trial", f"the study has no trial #{trial_number}")
    with transaction.atomic():
        if not text.strip():
            Note.objects.filter(study_id=study_id, trial=trial).delete()
            return None
        note, _ = Note.objects.update_or_create(study_id=study_id, trial=trial,
                                                defaults={"text": text, "updated_by": user})
    return note
