"""Sharing by invitation: the owner's answer does not tell whether a username exists, the invited
user joins only by accepting, and a member can leave a study (the owner cannot)."""

import pytest

from studies.models import StudyMember
from tests.roles import api_client, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _invite(people, study, username, role="viewer"):
    return api_client(people["owner"]).post(f"/api/studies/{study.pk}/members/", {"username": username, "role": role},
                                            format="json")


def _neutral(response, username):
    """The answer with the username taken out, to compare answers about different names."""
    return response.status_code, response.json()["detail"].replace(repr(username), "NAME")


def test_inviting_an_unknown_username_answers_as_inviting_a_real_user(people, study, django_user_model):
    django_user_model.objects.create_user("gone", password="x-pass-12345", is_active=False)

    answers = {name: _neutral(_invite(people, study, name), name) for name in ("stan", "nobody", "gone")}

    assert answers["stan"] == answers["nobody"] == answers["gone"]
    assert answers["stan"][0] == 202


def test_an_invitation_shows_nowhere_for_the_owner_until_accepted(people, study):
    _invite(people, study, "stan")

    listed = api_client(people["owner"]).get(f"/api/studies/{study.pk}/members/").json()

    assert "stan" not in [member["username"] for member in listed]


def test_withdrawing_an_invitation_answers_as_withdrawing_an_unknown_name(people, study):
    _invite(people, study, "stan")
    owner = api_client(people["owner"])

    real = owner.delete(f"/api/studies/{study.pk}/members/stan/")
    unknown = owner.delete(f"/api/studies/{study.pk}/members/nobody/")

    assert real.status_code == unknown.status_code == 204
    assert not StudyMember.objects.filter(user=people["stranger"]).exists()


def test_an_invited_user_cannot_see_the_study_before_accepting(people, study):
    _invite(people, study, "stan")

    assert api_client(people["stranger"]).get(f"/api/studies/{study.pk}/").status_code == 404


def test_the_invited_user_sees_the_invitation_with_study_and_owner(people, study):
    _invite(people, study, "stan", role="editor")

    invitations = api_client(people["stranger"]).get("/api/invitations/").json()

    assert [(i["study"], i["study_name"], i["owner"], i["role"]) for i in invitations] == [
        (study.pk, study.name, "olivia", "editor")]


def test_accepting_gives_access_and_lists_the_member(people, study):
    _invite(people, study, "stan")
    stan = api_client(people["stranger"])

    accepted = stan.post(f"/api/invitations/{study.pk}/")

    assert accepted.status_code == 204
    assert stan.get(f"/api/studies/{study.pk}/").status_code == 200
    assert stan.get("/api/invitations/").json() == []
    listed = api_client(people["owner"]).get(f"/api/studies/{study.pk}/members/").json()
    assert {"username": "stan", "role": "viewer"}.items() <= next(m for m in listed if m["username"] == "stan").items()


def test_declining_removes_the_invitation_and_gives_no_access(people, study):
    _invite(people, study, "stan")
    stan = api_client(people["stranger"])

    declined = stan.delete(f"/api/invitations/{study.pk}/")

    assert declined.status_code == 204
    assert not StudyMember.objects.filter(user=people["stranger"]).exists()
    assert stan.get(f"/api/studies/{study.pk}/").status_code == 404


def test_accepting_without_an_invitation_answers_404(people, study):
    assert api_client(people["stranger"]).post(f"/api/invitations/{study.pk}/").status_code == 404


def test_a_member_leaves_a_study_and_loses_access(people, study):
    vera = api_client(people["viewer"])

    response = vera.delete(f"/api/studies/{study.pk}/members/vera/")

    assert response.status_code == 204
    assert vera.get(f"/api/studies/{study.pk}/").status_code == 404
    assert study.pk not in [row["id"] for row in vera.get("/api/studies/").json()["results"]]


def test_an_editor_leaves_but_cannot_remove_another_member(people, study):
    edgar = api_client(people["editor"])

    refused = edgar.delete(f"/api/studies/{study.pk}/members/vera/")
    left = edgar.delete(f"/api/studies/{study.pk}/members/edgar/")

    assert (refused.status_code, left.status_code) == (403, 204)
    assert StudyMember.objects.filter(study=study, user=people["viewer"]).exists()


def test_the_owner_cannot_leave_their_own_study(people, study):
    response = api_client(people["owner"]).delete(f"/api/studies/{study.pk}/members/olivia/")

    assert response.status_code == 400
    assert "owner cannot leave" in response.json()["username"][0]
