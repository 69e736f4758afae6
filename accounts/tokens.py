"""A user's named API tokens: create one (its key is returned once), list, revoke, authenticate a key.

A user holds one token per machine or script, each revocable on its own. A key is 256 random
bits; only its SHA-256 is stored, and the hash found is compared in constant time, as share-link
tokens are (studies.services.tokens). When a token was last used is noted in the cache (by each
process at most every few seconds, see accounts.known_tokens) and written by the reconciler
(studies.services.usage), so reads write no row.
A process keeps the tokens it found while no token or user changes (accounts.known_tokens).
"""


from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from studies.engine import label_fault
from studies.services import InvalidInput, check_user_limit, usage
from studies.services.tokens import hash_token, matches, new_token

from . import known_tokens
from .models import ApiToken

# New keys have 43 characters, keys made before named tokens 40; others are refused unhashed.
MIN_KEY_LENGTH, MAX_KEY_LENGTH = 20, 100


class Refused(Exception):
    """A key that does not authenticate; the message says why, for the client to show.

    `user_id` is the account the key belongs to when it names one (revoked, expired, inactive).
    """

    def __init__(self, message, user_id=None):
        super().__init__(message)
        self.user_id = user_id


def create_token(user, name, expires_at=None):
    """Create a token for the user; return (token, key). Only the key's hash is kept: it cannot be shown again.

    Raises:
        InvalidInput: the name is empty, too long, holds control or bidi characters or is the name
            of another of the user's tokens; or the expiry is not in the future.
        TooMany: the user holds TUNER_MAX_API_TOKENS_PER_USER tokens that are not revoked.
    """
    name = _clean_name(name)
    check_user_limit(tokens_of(user).count(), settings.TUNER_MAX_API_TOKENS_PER_USER, "API tokens",
                     "revoke the ones no machine uses first")
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput.single("expires_at", "the expiry must be in the future")
    key = new_token()
    try:
        # The constraint decides, so two requests at once cannot both take a name.
        with transaction.atomic():
            token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(key),
                                            prefix=key[:ApiToken.PREFIX_LENGTH], expires_at=expires_at)
    except IntegrityError:
        raise InvalidInput.single("name", f"you already have a token named {name!r}") from None
    return token, key


def tokens_of(user):
    """The user's tokens that are not revoked (expired ones included), newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-pk")


def listed(user):
    """The user's tokens as `tokens_of` lists them, each with its latest use (see `usage`)."""
    return usage.with_noted(tokens_of(user), "last_used_at")


def revoke_token(user, token_id):
    """Revoke one of the user's tokens for good; return whether there was such a token to revoke."""
    revoked = tokens_of(user).filter(pk=token_id).update(revoked_at=timezone.now())
    known_tokens.changed()  # after the change: a look-up made before it must not be trusted
    return revoked > 0


def revoke_all_tokens(user):
    """Revoke every token of the user for good; return how many were revoked."""
    revoked = tokens_of(user).update(revoked_at=timezone.now())
    known_tokens.changed()
    return revoked


def authenticate(key):
    """The token behind a key, with its use recorded.

    Raises:
        Refused: the key is unknown, revoked or expired, or its user is inactive.
    """
    token = _find(key)
    if token is None:
        raise Refused("Invalid token.")
    if token.revoked_at is not None:
        raise Refused(f"The token {token.name!r} was revoked; create a new one on your profile page.", token.user_id)
    if token.is_expired:
        raise Refused(f"The token {token.name!r} has expired; create a new one on your profile page.", token.user_id)
    if not token.user.is_active:
        raise Refused("User inactive or deleted.", token.user_id)
    if known_tokens.use_to_note(token.key_hash):
        usage.note(ApiToken, token.pk)
    return token


def _find(key):
    if not isinstance(key, str) or not MIN_KEY_LENGTH <= len(key) <= MAX_KEY_LENGTH:
        return None
    key_hash = hash_token(key)
    generation = known_tokens.generation()
    token = known_tokens.find(key_hash, generation)
    if token is not None:
        return token
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
    if token is None or not matches(key, token.key_hash):
        return None
    known_tokens.keep(key_hash, token, generation)
    return token


def _clean_name(name):
    name = (name or "").strip()
    if not name:
        raise InvalidInput.single("name", "a name is required, e.g. the machine that will use the token")
    if len(name) > ApiToken.NAME_MAX_LENGTH:
        raise InvalidInput.single("name", f"at most {ApiToken.NAME_MAX_LENGTH} characters (this one has {len(name)})")
    fault = label_fault(name)
    if fault:
        raise InvalidInput.single("name", f"the name {fault}")
    return name
