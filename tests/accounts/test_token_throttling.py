"""Failed token authentications are throttled per address and per account: past 10 a minute, 429.

Before, 30 bad tokens all answered 401. A valid key is never refused: keys are 256 random bits,
so a guess cannot reach one, while refusing valid keys would let one misconfigured client lock
out everyone behind the same address.
"""

import pytest
from rest_framework.test import APIClient

from accounts import tokens

pytestmark = pytest.mark.django_db

BAD_KEY = "x" * 43


def _get(key, address="10.0.0.1"):
    return APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=address)


def _fail(times, address="10.0.0.1", key=BAD_KEY):
    for _ in range(times):
        assert _get(key, address).status_code == 401


def test_bad_keys_past_ten_a_minute_answer_429_with_retry_after():
    _fail(10)

    response = _get(BAD_KEY)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_refusal_says_why_and_when():
    _fail(10)

    response = _get(BAD_KEY)

    assert "too many failed" in response.json()["detail"].lower()


def test_a_valid_key_from_a_throttled_address_still_works(owner):
    _, key = tokens.create_token(owner, "laptop")
    _fail(10)

    response = _get(key)

    assert response.status_code == 200


def test_failures_from_one_address_do_not_throttle_another():
    _fail(10)

    response = _get(BAD_KEY, address="10.0.0.2")

    assert response.status_code == 401


def test_a_revoked_keys_account_is_throttled_whatever_the_address(owner):
    token, key = tokens.create_token(owner, "laptop")
    tokens.revoke_token(owner, token.pk)
    for i in range(10):
        _fail(1, address=f"10.0.1.{i}", key=key)

    response = _get(key, address="10.0.2.1")

    assert response.status_code == 429
