"""/api/tokens/: a user lists, creates and revokes their own API tokens."""

import pytest
from rest_framework.test import APIClient

from accounts import tokens
from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_users_live_tokens_without_their_keys(api, owner, outsider):
    _, key = tokens.create_token(owner, "laptop")
    revoked, _ = tokens.create_token(owner, "old box")
    tokens.revoke_token(owner, revoked.pk)
    tokens.create_token(outsider, "theirs")

    response = api.get("/api/tokens/")

    rows = response.json()["results"]
    names = [row["name"] for row in rows]  # newest first; the client's own token is the oldest
    assert response.status_code == 200
    assert names[0] == "laptop" and "old box" not in names and "theirs" not in names
    assert set(rows[0]) == {"id", "name", "prefix", "created_at", "last_used_at", "expires_at"}
    assert rows[0]["prefix"] == key[:8] and key not in response.content.decode()


def test_creating_answers_the_key_once_and_it_authenticates(api, owner):
    response = api.post("/api/tokens/", {"name": "gpu-box-3"}, format="json")

    key = response.json()["key"]
    token = ApiToken.objects.get(user=owner, name="gpu-box-3")
    assert response.status_code == 201 and response.json()["id"] == token.pk
    assert APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert key not in api.get("/api/tokens/").content.decode()


@pytest.mark.parametrize("body, field", [
    ({"name": ""}, "name"),
    ({"name": "x" * 81}, "name"),
    ({"name": "laptop", "expires_at": "2000-01-01T00:00:00Z"}, "expires_at"),
])
def test_bad_input_answers_400_naming_the_field(api, owner, body, field):
    response = api.post("/api/tokens/", body, format="json")

    assert response.status_code == 400 and list(response.json()) == [field]
    assert not ApiToken.objects.filter(user=owner, name="laptop").exists()


def test_a_taken_name_answers_400(api, owner):
    tokens.create_token(owner, "laptop")

    response = api.post("/api/tokens/", {"name": "laptop"}, format="json")

    assert response.status_code == 400 and response.json() == {"name": ["you already have a token named 'laptop'"]}


def test_deleting_revokes_the_token(api, owner):
    token, key = tokens.create_token(owner, "laptop")

    response = api.delete(f"/api/tokens/{token.pk}/")

    token.refresh_from_db()
    assert response.status_code == 204 and token.revoked_at is not None
    assert APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_another_users_token_cannot_be_revoked(api, outsider):
    theirs, key = tokens.create_token(outsider, "laptop")

    response = api.delete(f"/api/tokens/{theirs.pk}/")

    theirs.refresh_from_db()
    assert response.status_code == 404 and theirs.revoked_at is None
    assert APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_a_revoked_token_cannot_be_revoked_again(api, owner):
    token, _ = tokens.create_token(owner, "laptop")
    api.delete(f"/api/tokens/{token.pk}/")

    response = api.delete(f"/api/tokens/{token.pk}/")

    assert response.status_code == 404


def test_a_browser_session_may_manage_tokens(client, owner):
    client.force_login(owner)

    response = client.post("/api/tokens/", {"name": "laptop"}, content_type="application/json")

    assert response.status_code == 201


def test_tokens_need_authentication(owner):
    tokens.create_token(owner, "laptop")

    response = APIClient().get("/api/tokens/")

    assert response.status_code == 401
