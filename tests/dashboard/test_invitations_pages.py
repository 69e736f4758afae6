"""The pages around sharing: an invited user accepts or declines on their studies page, a member
leaves from the study page's People panel, and the owner is offered no way to leave."""

import pytest

from studies.models import StudyMember
from studies.services import members
from tests.roles import people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def test_the_studies_page_lists_an_invitation_with_its_owner_and_buttons(client, people, study):
    members.invite_member(study.pk, "stan", "editor")

    page = _as(client, people["stranger"]).get("/").content.decode()

    assert "olivia</span> invites you to" in page and study.name in page
    assert f"/invitations/{study.pk}/accept/" in page and f"/invitations/{study.pk}/decline/" in page


def test_accepting_on_the_page_opens_the_study(client, people, study):
    members.invite_member(study.pk, "stan", "viewer")

    response = _as(client, people["stranger"]).post(f"/invitations/{study.pk}/accept/")

    assert response.status_code == 302 and response["Location"] == f"/studies/{study.pk}/"
    assert client.get(f"/studies/{study.pk}/").status_code == 200


def test_declining_on_the_page_leaves_no_access(client, people, study):
    members.invite_member(study.pk, "stan", "viewer")

    response = _as(client, people["stranger"]).post(f"/invitations/{study.pk}/decline/", follow=True)

    assert "Invitation declined" in response.content.decode()
    assert client.get(f"/studies/{study.pk}/").status_code == 404


def test_answering_an_invitation_one_does_not_have_answers_404(client, people, study):
    response = _as(client, people["stranger"]).post(f"/invitations/{study.pk}/accept/")

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_a_member_is_offered_to_leave_and_leaves(client, people, study, role):
    page = _as(client, people[role]).get(f"/studies/{study.pk}/").content.decode()
    assert "Leave this study" in page

    response = client.post(f"/studies/{study.pk}/leave/", follow=True)

    assert "You left the study" in response.content.decode()
    assert not StudyMember.objects.filter(study=study, user=people[role]).exists()
    assert client.get(f"/studies/{study.pk}/").status_code == 404


def test_the_owner_is_offered_no_leave_and_cannot_leave(client, people, study):
    page = _as(client, people["owner"]).get(f"/studies/{study.pk}/").content.decode()

    response = client.post(f"/studies/{study.pk}/leave/")

    assert "Leave this study" not in page
    assert response.status_code == 404
    assert client.get(f"/studies/{study.pk}/").status_code == 200


def test_the_owner_is_told_invitees_appear_once_they_accept(client, people, study):
    page = _as(client, people["owner"]).get(f"/studies/{study.pk}/").content.decode()

    assert "appears here once they accept" in page
