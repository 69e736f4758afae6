"""A user's API token: create (replacing the old one) and revoke.

DRF's authtoken keeps one token per user; a new one replaces the old, so a leaked token
is revoked by creating a new one or by revoking it outright.
"""

from django.db import transaction
from rest_framework.authtoken.models import Token


def create_token(user):
    """Create a new API token for the user, revoking any earlier one; return its key."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user).key


def revoke_token(user):
    """Revoke the user's API token; return whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0


def token_of(user):
    """The user's token, or None."""
    return Token.objects.filter(user=user).first()
