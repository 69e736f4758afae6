"""POST /api/studies/{id}/narrow/: continue a study in a narrower space as a child study."""

import pytest

from studies.models import Study, Trial

from tests.roles import api_client, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

NARROW = {"search_space": {"x": {"type": "float", "low": 0.0, "high": 0.45}}}


def _url(study):
    return f"/api/studies/{study.pk}/narrow/"


def test_narrowing_answers_201_with_the_child_and_its_parent(people, study):
    response = api_client(people["owner"]).post(_url(study), NARROW, format="json")

    assert response.status_code == 201, response.data
    assert response.data["parent"] == study.pk and response.data["children"] == []
    assert response.data["n_inherited"] == 5  # x = 0.0 .. 0.4 of the ten complete trials
    assert response.data["search_space"]["x"] == {"type": "float", "low": 0.0, "high": 0.45}


def test_the_parent_lists_its_children(people, study):
    client = api_client(people["owner"])
    child_id = client.post(_url(study), NARROW, format="json").data["id"]

    body = client.get(f"/api/studies/{study.pk}/").data
    listed = next(row for row in client.get("/api/studies/").data["results"] if row["id"] == study.pk)

    assert body["parent"] is None and body["children"] == [child_id] and listed["children"] == [child_id]


def test_inherited_trials_show_the_parent_trial_they_copy(people, study):
    client = api_client(people["owner"])
    child_id = client.post(_url(study), NARROW, format="json").data["id"]

    rows = client.get(f"/api/studies/{child_id}/trials/").data["results"]

    parent_ids = list(Trial.objects.filter(study=study, number__lt=5).order_by("number").values_list("pk", flat=True))
    assert [row["inherited_from"] for row in rows] == parent_ids
    assert {row["origin"] for row in rows} == {"inherited"}


def test_a_space_outside_the_parents_is_400_naming_the_field_and_nothing_is_created(people, study):
    body = {"search_space": {"x": {"type": "float", "low": 0.0, "high": 2.0}}}

    response = api_client(people["owner"]).post(_url(study), body, format="json")

    assert response.status_code == 400
    assert list(response.data) == ["search_space.x.high"]
    assert Study.objects.count() == 1


def test_an_unknown_field_is_400_naming_it(people, study):
    response = api_client(people["owner"]).post(_url(study), {**NARROW, "colour": "red"}, format="json")

    assert response.status_code == 400 and list(response.data) == ["colour"]
    assert Study.objects.count() == 1


def test_the_budget_given_replaces_the_parents(people, study):
    body = {**NARROW, "budget": {"n_trials": 7}}

    response = api_client(people["owner"]).post(_url(study), body, format="json")

    assert response.data["budget"]["n_trials"] == 7


def test_an_editor_owns_the_child_they_narrow(people, study):
    response = api_client(people["editor"]).post(_url(study), NARROW, format="json")

    assert response.status_code == 201
    assert Study.objects.get(pk=response.data["id"]).owner == people["editor"]


def test_a_viewer_is_refused_and_nothing_is_created(people, study):
    response = api_client(people["viewer"]).post(_url(study), NARROW, format="json")

    assert response.status_code == 403
    assert Study.objects.count() == 1


def test_a_child_the_reader_cannot_see_is_not_listed(people, study):
    api_client(people["editor"]).post(_url(study), NARROW, format="json")  # the editor's own study

    body = api_client(people["owner"]).get(f"/api/studies/{study.pk}/").data

    assert body["children"] == []
