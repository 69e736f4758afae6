"""The profile page: a user creates, sees once, replaces and revokes their own API token."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.client.urls")]


@pytest.fixture
def browser(client, owner):
    client.force_login(owner)
    return client


def test_the_profile_page_needs_a_login(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_token_is_shown_once(browser, owner):
    created = browser.post("/accounts/profile/token/")
    first = browser.get("/accounts/profile/")
    second = browser.get("/accounts/profile/")

    key = Token.objects.get(user=owner).key
    assert created.status_code == 302
    assert key in first.content.decode()
    assert key not in second.content.decode() and key[:4] in second.content.decode()


def test_a_new_token_replaces_the_old_one(browser, owner):
    old = Token.objects.create(user=owner).key

    browser.post("/accounts/profile/token/")

    assert Token.objects.filter(user=owner).count() == 1
    assert Token.objects.get(user=owner).key != old


def test_a_revoked_token_is_refused_by_the_api(browser, owner, client):
    key = Token.objects.create(user=owner).key

    browser.post("/accounts/profile/token/revoke/")
    browser.logout()
    response = client.get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}")

    assert not Token.objects.filter(user=owner).exists()
    assert response.status_code == 401


def test_tokens_are_changed_only_by_post(browser, owner):
    response = browser.get("/accounts/profile/token/")

    assert response.status_code == 405
    assert not Token.objects.filter(user=owner).exists()


def test_a_user_touches_only_their_own_token(browser, outsider):
    theirs = Token.objects.create(user=outsider).key

    browser.post("/accounts/profile/token/revoke/")
    browser.post("/accounts/profile/token/")

    assert Token.objects.get(user=outsider).key == theirs
