"""Failed logins are throttled per address and per account: the 10th failure locks out for 15 minutes, with 429.

Before, 15 wrong passwords and then the right one logged in.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, times, username="owner", address="10.0.0.1"):
    return [_login(client, username, "wrong-password", address).status_code for _ in range(times)]


def test_the_tenth_wrong_password_in_a_row_is_answered_429(client, owner):
    statuses = _fail(client, 10)

    assert statuses == [200] * 9 + [429]


def test_after_ten_wrong_passwords_the_right_one_is_refused_with_429(client, owner):
    _fail(client, 10)

    response = _login(client, "owner", "owner-pass-123")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_refusal_says_when_to_retry_in_a_header(client, owner):
    _fail(client, 10)

    response = _login(client, "owner", "owner-pass-123")

    assert response["Retry-After"] == "900"


def test_the_login_page_says_the_lock_out_in_words(client, owner):
    _fail(client, 10)

    response = _login(client, "owner", "owner-pass-123")

    text = response.content.decode()
    assert "Too many failed logins" in text and "15 minutes" in text


def test_nine_wrong_passwords_do_not_stop_the_right_one(client, owner):
    _fail(client, 9)

    response = _login(client, "owner", "owner-pass-123")

    assert response.status_code == 302


def test_an_account_is_locked_whatever_address_the_failures_come_from(client, owner):
    for i in range(10):
        _fail(client, 1, address=f"10.0.1.{i}")

    response = _login(client, "owner", "owner-pass-123", address="10.0.2.1")

    assert response.status_code == 429


def test_an_address_is_locked_whatever_accounts_it_tries(client, owner, outsider):
    for i in range(10):
        _fail(client, 1, username=f"guess{i}")

    response = _login(client, "outsider", "outsider-pass-123")

    assert response.status_code == 429


def test_other_addresses_and_accounts_still_log_in(client, owner, outsider):
    _fail(client, 10)

    response = _login(client, "outsider", "outsider-pass-123", address="10.9.9.9")

    assert response.status_code == 302


def test_the_lock_out_ends_after_15_minutes(client, owner):
    from axes.models import AccessAttempt  # axes' record of failures

    _fail(client, 10)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = _login(client, "owner", "owner-pass-123")

    assert response.status_code == 302
