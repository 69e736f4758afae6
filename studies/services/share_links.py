"""Read-only links to a study for people without an account."""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from studies.models import ShareLink

from . import usage
from .errors import InvalidInput
from .limits import check_user_limit
from .tokens import hash_token, matches, new_token


def create_share_link(study_id, created_by, expires_at=None, show_files=False):
    """Make a read-only link to a study. Returns (link, token); the token is never stored or shown again.
    The link shows the files attached to trials only with `show_files`.

    Raises InvalidInput for an expiry in the past, TooMany when `created_by` already holds
    TUNER_MAX_SHARE_LINKS_PER_USER live links (revoked and expired ones do not count).
    """
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput.single("expires_at", "the expiry must be in the future")
    check_user_limit(live_links().filter(created_by=created_by).count(), settings.TUNER_MAX_SHARE_LINKS_PER_USER,
                     "live share links", "revoke some you no longer need first")
    token = new_token()
    link = ShareLink.objects.create(study_id=study_id, token_hash=hash_token(token), created_by=created_by,
                                    expires_at=expires_at, show_files=show_files)
    return link, token


def revoke_share_link(link_id):
    """Revoke a link for good; revoking twice changes nothing."""
    ShareLink.objects.filter(pk=link_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def live_links():
    now = timezone.now()
    return ShareLink.objects.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def open_share_link(token, touch=False):
    """The live link behind a token, or None (unknown, revoked or expired).

    With `touch`, notes that the link was opened (see `usage`: the time reaches the database
    with the next reconciler pass, so opening a page writes no row).
    """
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = live_links().select_related("study", "study__owner").filter(token_hash=hash_token(token)).first()
    if link is None or not matches(token, link.token_hash):
        return None
    if touch:
        usage.note(ShareLink, link.pk)
    return link
