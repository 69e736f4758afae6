"""A process keeps the tokens it authenticated, and stops trusting them the moment a token or a user changes."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import known_tokens, tokens
from accounts.models import ApiToken
from studies.services import usage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    known_tokens._forget()
    yield
    known_tokens._forget()


def status_of(key):
    return APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def used(key, times=2):
    """Authenticate the key enough times for the process to keep it (the first use draws the generation)."""
    for _ in range(times):
        tokens.authenticate(key)


def test_a_key_used_again_is_not_looked_up_again(owner, django_assert_num_queries):
    _, key = tokens.create_token(owner, "laptop")
    used(key)

    with django_assert_num_queries(0):
        found = tokens.authenticate(key)

    assert found.user == owner and found.name == "laptop"


def test_a_kept_token_is_revoked_at_once(owner):
    token, key = tokens.create_token(owner, "laptop")
    used(key)

    tokens.revoke_token(owner, token.pk)

    with pytest.raises(tokens.Refused, match="was revoked"):
        tokens.authenticate(key)


def test_revoking_every_token_refuses_the_kept_ones_at_once(owner):
    _, key = tokens.create_token(owner, "laptop")
    used(key)

    tokens.revoke_all_tokens(owner)

    assert status_of(key) == 401


def test_a_kept_token_of_a_user_made_inactive_is_refused_at_once(owner):
    _, key = tokens.create_token(owner, "laptop")
    used(key)

    owner.is_active = False
    owner.save(update_fields=["is_active"])

    with pytest.raises(tokens.Refused, match="User inactive"):
        tokens.authenticate(key)


def test_a_kept_token_of_a_deleted_user_is_refused_at_once(owner):
    _, key = tokens.create_token(owner, "laptop")
    used(key)

    get_user_model().objects.filter(pk=owner.pk).delete()

    with pytest.raises(tokens.Refused, match="Invalid token"):
        tokens.authenticate(key)


def test_a_kept_token_deleted_by_an_administrator_is_refused_at_once(owner):
    token, key = tokens.create_token(owner, "laptop")
    used(key)

    token.delete()

    with pytest.raises(tokens.Refused, match="Invalid token"):
        tokens.authenticate(key)


def test_a_kept_token_expires_on_time(owner):
    _, key = tokens.create_token(owner, "laptop", expires_at=timezone.now() + timedelta(hours=1))
    used(key)

    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later), pytest.raises(tokens.Refused, match="expired"):
        tokens.authenticate(key)


def test_a_kept_token_is_looked_up_again_after_the_longest_trust(owner, django_assert_num_queries):
    _, key = tokens.create_token(owner, "laptop")
    used(key)

    later = known_tokens.time.monotonic() + known_tokens.MAX_AGE_S + 1
    with mock.patch("accounts.known_tokens.time.monotonic", return_value=later), django_assert_num_queries(1):
        tokens.authenticate(key)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_without_a_shared_cache_every_use_is_looked_up(owner, django_assert_num_queries):
    _, key = tokens.create_token(owner, "laptop")
    used(key)

    with django_assert_num_queries(1):
        tokens.authenticate(key)


def test_each_use_gets_its_own_user_object(owner):
    _, key = tokens.create_token(owner, "laptop")
    used(key)

    first, second = tokens.authenticate(key), tokens.authenticate(key)

    assert first.user == second.user and first.user is not second.user


def test_a_kept_token_s_use_is_not_noted_again_within_a_few_seconds(owner):
    token, key = tokens.create_token(owner, "laptop")
    used(key)
    usage.flush_all()  # the reconciler writes what was noted and forgets it

    tokens.authenticate(key)

    assert usage.noted(ApiToken, token.pk) is None


def test_a_kept_token_s_use_is_noted_again_after_a_few_seconds(owner):
    token, key = tokens.create_token(owner, "laptop")
    used(key)
    usage.flush_all()

    later = known_tokens.time.monotonic() + known_tokens.NOTE_EVERY_S + 1
    with mock.patch("accounts.known_tokens.time.monotonic", return_value=later):
        tokens.authenticate(key)

    assert usage.noted(ApiToken, token.pk) is not None
