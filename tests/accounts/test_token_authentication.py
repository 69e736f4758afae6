"""The API authenticates `Authorization: Token <key>` with the user's named tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import tokens
from accounts.models import ApiToken
from studies.services import reconcile

pytestmark = pytest.mark.django_db


def get_studies(key):
    return APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_valid_key_is_accepted(owner):
    _, key = tokens.create_token(owner, "laptop")

    response = get_studies(key)

    assert response.status_code == 200


def test_an_unknown_key_is_refused(owner):
    _, key = tokens.create_token(owner, "laptop")

    response = get_studies(key[:-1] + ("A" if key[-1] != "A" else "B"))

    assert response.status_code == 401 and response.json() == {"detail": "Invalid token."}
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused_saying_so(owner):
    token, key = tokens.create_token(owner, "laptop")
    tokens.revoke_token(owner, token.pk)

    response = get_studies(key)

    assert response.status_code == 401
    assert response.json()["detail"] == "The token 'laptop' was revoked; create a new one on your profile page."


def test_an_expired_token_is_refused_saying_so(owner):
    token, key = tokens.create_token(owner, "laptop", expires_at=timezone.now() + timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = get_studies(key)

    assert response.status_code == 401 and "has expired" in response.json()["detail"]


def test_the_token_of_an_inactive_user_is_refused(owner):
    _, key = tokens.create_token(owner, "laptop")
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    response = get_studies(key)

    assert response.status_code == 401 and response.json() == {"detail": "User inactive or deleted."}


def test_revoking_one_token_leaves_the_others_working(owner):
    first, first_key = tokens.create_token(owner, "gpu-box-1")
    _, second_key = tokens.create_token(owner, "gpu-box-2")
    both_before = [get_studies(first_key).status_code, get_studies(second_key).status_code]

    tokens.revoke_token(owner, first.pk)

    assert both_before == [200, 200]
    assert [get_studies(first_key).status_code, get_studies(second_key).status_code] == [401, 200]


def test_a_use_is_written_by_the_next_reconciler_pass(owner):
    token, key = tokens.create_token(owner, "laptop")
    get_studies(key)

    reconcile()

    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < timedelta(seconds=5)


def test_authenticating_writes_no_row(owner, django_assert_num_queries):
    token, key = tokens.create_token(owner, "laptop")

    with django_assert_num_queries(1):  # the look-up only
        tokens.authenticate(key)

    token.refresh_from_db()
    assert token.last_used_at is None


def test_a_later_use_moves_the_recorded_time_forward(owner):
    token, key = tokens.create_token(owner, "laptop")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(seconds=90))
    get_studies(key)

    reconcile()

    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=5)
