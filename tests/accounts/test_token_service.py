"""Creating API tokens: a random key shown once, only its hash stored, names checked."""

import hashlib
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken
from studies.services import InvalidInput

pytestmark = pytest.mark.django_db


def test_only_the_keys_hash_and_prefix_are_stored(owner):
    token, key = tokens.create_token(owner, "laptop")

    stored = ApiToken.objects.get(pk=token.pk)
    assert len(key) == 43  # 256 random bits, URL-safe base64
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert stored.prefix == key[:8]
    assert key not in {getattr(stored, field.attname) for field in ApiToken._meta.concrete_fields}


def test_every_key_is_new(owner):
    _, first = tokens.create_token(owner, "one")
    _, second = tokens.create_token(owner, "two")

    assert first != second


def test_a_found_hash_is_compared_in_constant_time(owner):
    token, key = tokens.create_token(owner, "laptop")

    with mock.patch("accounts.tokens.matches", wraps=tokens.matches) as compare:
        found = tokens.authenticate(key)

    assert found == token
    compare.assert_called_once_with(key, token.key_hash)


def test_names_are_trimmed(owner):
    token, _ = tokens.create_token(owner, "  gpu-box-3 \n")

    assert token.name == "gpu-box-3"


@pytest.mark.parametrize("name, fault", [
    ("", "a name is required"),
    ("   ", "a name is required"),
    ("x" * 81, "at most 80 characters (this one has 81)"),
    ("gpu\tbox", "control character"),
    ("gpu\u202ebox", "bidirectional control"),
])
def test_a_bad_name_is_refused_naming_the_field_and_the_fault(owner, name, fault):
    with pytest.raises(InvalidInput) as refused:
        tokens.create_token(owner, name)

    assert list(refused.value.errors) == ["name"] and fault in refused.value.errors["name"][0]
    assert not ApiToken.objects.exists()


def test_a_name_is_unique_among_a_users_tokens(owner):
    tokens.create_token(owner, "laptop")

    with pytest.raises(InvalidInput) as refused:
        tokens.create_token(owner, "laptop")

    assert refused.value.errors == {"name": ["you already have a token named 'laptop'"]}
    assert ApiToken.objects.filter(user=owner).count() == 1


def test_two_users_may_use_the_same_name(owner, outsider):
    tokens.create_token(owner, "laptop")

    tokens.create_token(outsider, "laptop")

    assert ApiToken.objects.filter(name="laptop").count() == 2


def test_a_revoked_tokens_name_may_be_taken_again(owner):
    old, _ = tokens.create_token(owner, "gpu-box-3")
    tokens.revoke_token(owner, old.pk)

    new, _ = tokens.create_token(owner, "gpu-box-3")

    assert new.pk != old.pk


def test_an_expiry_in_the_past_is_refused(owner):
    with pytest.raises(InvalidInput) as refused:
        tokens.create_token(owner, "laptop", expires_at=timezone.now() - timedelta(seconds=1))

    assert list(refused.value.errors) == ["expires_at"]


def test_revoking_another_users_token_changes_nothing(owner, outsider):
    theirs, _ = tokens.create_token(outsider, "laptop")

    revoked = tokens.revoke_token(owner, theirs.pk)

    theirs.refresh_from_db()
    assert revoked is False and theirs.revoked_at is None
