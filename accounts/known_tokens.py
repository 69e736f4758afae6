"""Tokens this process authenticated lately, trusted again while nothing about any token or user changed.

Each API request authenticates its key; the database look-up (the token and its user) was a
sixth of the CPU an ask or a tell costs. A web process keeps the tokens it found, keyed by the
key's hash, each stamped with the *generation* read from the shared cache (Redis) before the
look-up. Every change that can stop a key from authenticating — a token revoked, saved or
deleted, a user saved (deactivated) or deleted — draws a new random generation, at once and
again when its transaction commits; a process then trusts a kept token only while the
generation it reads is the one the token was stamped with, so a revocation takes effect on the
next request in every process, as with a look-up each time.

When the cache answers nothing (Redis down, or the generation lost in a restart), the process
forgets what it kept and looks every key up in the database, as before. A change made while
Redis was unreachable for the process making it could not draw a new generation; kept tokens
are trusted for at most MAX_AGE_S in any case, which bounds that case too. Expiry is checked
on every use from the kept expiry time.

A kept token's use is noted in the shared cache (studies.services.usage) at most every
NOTE_EVERY_S by a process, not on every request: the reconciler writes the noted time every
15 s anyway, and the write was a round trip to Redis per request.
"""

import copy
import time
import uuid

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "api-tokens:generation"
MAX_AGE_S = 60
MAX_KEPT = 10_000
NOTE_EVERY_S = 5

_kept = {}  # key hash -> (generation, monotonic time found, token with its user)
_noted = {}  # key hash -> monotonic time this process last noted a use of the kept token


def generation():
    """The current generation, or None when the cache has none to give (then nothing is trusted)."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        _forget()
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
    return current


def find(key_hash, current):
    """A copy of the token kept for this hash under the `current` generation, or None."""
    if current is None:
        return None
    kept = _kept.get(key_hash)
    if kept is None or kept[0] != current or time.monotonic() - kept[1] > MAX_AGE_S:
        return None
    return _copy(kept[2])


def keep(key_hash, token, current):
    """Keep a token found in the database under the generation read before the look-up."""
    if current is None:
        return
    if len(_kept) >= MAX_KEPT:
        _forget()
    _kept[key_hash] = (current, time.monotonic(), _copy(token))
    _noted.pop(key_hash, None)


def use_to_note(key_hash):
    """Whether this use of the key should be noted: always for a token just looked up (not
    kept), else when this process noted none in the last NOTE_EVERY_S."""
    if key_hash not in _kept:
        return True
    now = time.monotonic()
    if now - _noted.get(key_hash, -NOTE_EVERY_S) < NOTE_EVERY_S:
        return False
    _noted[key_hash] = now
    return True


def _forget():
    _kept.clear()
    _noted.clear()


def changed():
    """Something that decides whether a key authenticates changed: no process trusts what it kept.

    Drawn at once (so tests and callers outside a transaction see it) and again on commit (so a
    look-up made between the two, which still saw the old rows, is not trusted either).
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _copy(token):
    # Each request gets its own instances: views may set attributes on request.user.
    token = copy.copy(token)
    token.user = copy.copy(token.user)
    return token


def _on_change(sender, **kwargs):
    changed()


def connect_signals():
    """Draw a new generation whenever a token or a user is saved or deleted (also by the admin
    and by cascades). Changes made with QuerySet.update() call `changed` themselves."""
    from .models import ApiToken

    for model in (ApiToken, get_user_model()):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"known_tokens_save_{model._meta.label_lower}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"known_tokens_delete_{model._meta.label_lower}")
