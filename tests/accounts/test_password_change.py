"""Changing the password revokes the user's API tokens only when they tick the box that says so."""

import pytest
from rest_framework.test import APIClient

from accounts import tokens

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-new-pass-456"


@pytest.fixture
def keys(owner):
    return [tokens.create_token(owner, name)[1] for name in ("laptop", "gpu-box")]


def _change(site, **extra):
    return site.post("/accounts/password/", {"old_password": "owner-pass-123", "new_password1": NEW_PASSWORD,
                                             "new_password2": NEW_PASSWORD, **extra})


def _api_status(key):
    return APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_the_page_offers_to_revoke_the_tokens_unticked_and_says_machines_stop(site, keys):
    page = site.get("/accounts/password/").content.decode()

    assert "Also revoke my 2 API tokens (machines using them will stop working)" in page
    assert 'name="revoke_tokens"' in page and "checked" not in page
    assert "a new password leaves them working" in page


def test_a_user_without_tokens_sees_no_box(site):
    page = site.get("/accounts/password/").content.decode()

    assert 'name="revoke_tokens"' not in page


def test_unticked_the_tokens_keep_working(site, owner, keys):
    response = _change(site)

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert [_api_status(key) for key in keys] == [200, 200]
    assert "Your 2 API tokens still work" in site.get("/accounts/password/done/").content.decode()


def test_ticked_every_token_is_revoked(site, owner, keys):
    response = _change(site, revoke_tokens="on")

    assert response.status_code == 302
    assert [_api_status(key) for key in keys] == [401, 401]
    assert tokens.tokens_of(owner).count() == 0
    assert "You have no working API tokens" in site.get("/accounts/password/done/").content.decode()


def test_ticked_with_a_wrong_old_password_revokes_nothing(site, owner, keys):
    response = _change(site, revoke_tokens="on", old_password="wrong")

    assert response.status_code == 200
    assert [_api_status(key) for key in keys] == [200, 200]
