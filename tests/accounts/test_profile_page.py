"""The profile page: a user creates named tokens, sees each key once, lists and revokes them."""

import re

import pytest
from django.utils.html import strip_tags
from rest_framework.test import APIClient

from accounts import tokens
from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, owner):
    client.force_login(owner)
    return client


def token_rows(page):
    """Each row of the token table as its cells' text."""
    rows = re.findall(r'<tr data-testid="token-row">(.*?)</tr>', page, flags=re.S)
    return [[strip_tags(cell).strip() for cell in re.findall(r"<td.*?>(.*?)</td>", row, flags=re.S)] for row in rows]


def api_status(key):
    return APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_the_profile_page_needs_a_login(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_key_is_shown_once(browser, owner):
    created = browser.post("/accounts/profile/tokens/", {"name": "gpu-box-3"})
    first = browser.get("/accounts/profile/").content.decode()
    second = browser.get("/accounts/profile/").content.decode()

    key = first.split('data-testid="new-key"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert created.status_code == 302 and api_status(key) == 200
    assert "it will not be shown again" in first
    assert key not in second and key[:8] in second


def test_the_list_shows_each_tokens_name_prefix_and_use(browser, owner, outsider):
    tokens.create_token(owner, "gpu-box-1")
    _, key = tokens.create_token(owner, "gpu-box-2")
    tokens.create_token(outsider, "not mine")
    api_status(key)

    page = browser.get("/accounts/profile/").content.decode()

    (name_2, prefix_2, _, used_2, expires_2, _), (name_1, _, _, used_1, expires_1, _) = token_rows(page)
    assert [name_2, prefix_2, expires_2] == ["gpu-box-2", f"{key[:8]}…", "never"] and used_2 != "never"
    assert [name_1, used_1, expires_1] == ["gpu-box-1", "never", "never"]


def test_revoking_refuses_that_token_and_keeps_the_others(browser, owner):
    revoked, revoked_key = tokens.create_token(owner, "gpu-box-1")
    _, kept_key = tokens.create_token(owner, "gpu-box-2")

    response = browser.post(f"/accounts/profile/tokens/{revoked.pk}/revoke/", follow=True)

    page = response.content.decode()
    assert "The token “gpu-box-1” is revoked" in page and "gpu-box-2" in page
    assert [api_status(revoked_key), api_status(kept_key)] == [401, 200]


def test_another_users_token_cannot_be_revoked(browser, outsider):
    theirs, key = tokens.create_token(outsider, "laptop")

    response = browser.post(f"/accounts/profile/tokens/{theirs.pk}/revoke/")

    assert response.status_code == 404 and api_status(key) == 200


@pytest.mark.parametrize("name, message", [
    ("", "Name: a name is required"),
    ("taken", "Name: you already have a token named &#x27;taken&#x27;"),
    ("x" * 81, "Name: at most 80 characters (this one has 81)"),
])
def test_a_bad_name_answers_a_message_naming_the_field(browser, owner, name, message):
    tokens.create_token(owner, "taken")

    response = browser.post("/accounts/profile/tokens/", {"name": name})

    assert response.status_code == 400 and message in response.content.decode()
    assert ApiToken.objects.filter(user=owner).count() == 1


def test_tokens_are_changed_only_by_post(browser, owner):
    token, _ = tokens.create_token(owner, "laptop")

    responses = [browser.get("/accounts/profile/tokens/"), browser.get(f"/accounts/profile/tokens/{token.pk}/revoke/")]

    assert [r.status_code for r in responses] == [405, 405]
    assert ApiToken.objects.filter(user=owner, revoked_at__isnull=True).count() == 1


def test_revoking_needs_the_csrf_token(owner):
    from django.test import Client

    csrf_checking = Client(enforce_csrf_checks=True)
    csrf_checking.force_login(owner)
    token, _ = tokens.create_token(owner, "laptop")

    response = csrf_checking.post(f"/accounts/profile/tokens/{token.pk}/revoke/")

    assert response.status_code == 403 and ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_profile_page_shows_how_to_install_the_client_from_this_server(browser):
    page = browser.get("/accounts/profile/").content.decode()

    assert "pip install http://testserver/client/tuner-client.tar.gz" in page
    assert "from a Tuner checkout" not in page
