"""POST /api/studies/{id}/trials/: a person's own params, checked against the space."""

import pytest

from studies.models import Trial

from .helpers import ask, create

pytestmark = pytest.mark.django_db


def test_enqueued_params_are_the_next_ask(api):
    study_id = create(api)

    response = api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": 1.5, "n": 2, "kind": "b"}}, format="json")
    asked = ask(api, study_id)

    assert response.status_code == 201
    assert asked["params"] == {"x": 1.5, "n": 2, "kind": "b"}
    assert asked["id"] == response.data["id"]


def test_enqueue_with_a_value_records_a_complete_trial(api):
    study_id = create(api)

    response = api.post(
        f"/api/studies/{study_id}/trials/", {"params": {"x": 0.0, "n": 1, "kind": "a"}, "value": 0.1}, format="json"
    )

    assert response.status_code == 201
    assert Trial.objects.get(pk=response.data["id"]).state == "complete"


@pytest.mark.parametrize("params,field", [
    ({"x": 9.0, "n": 2, "kind": "a"}, "params.x"),
    ({"x": 0.0, "n": 2.5, "kind": "a"}, "params.n"),
    ({"x": 0.0, "n": 2, "kind": "c"}, "params.kind"),
    ({"x": 0.0, "n": 2}, "params.kind"),
    ({"x": 0.0, "n": 2, "kind": "a", "extra": 1}, "params.extra"),
])
def test_params_outside_the_space_answer_400_naming_the_parameter(api, params, field):
    study_id = create(api)

    response = api.post(f"/api/studies/{study_id}/trials/", {"params": params}, format="json")

    assert response.status_code == 400, response.data
    assert field in response.data, response.data
    assert Trial.objects.count() == 0
