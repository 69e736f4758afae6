"""A tell is authorised on the study row its service locks, not by a look-up of the view's own;
who may tell, and what everyone else is answered, stay as they were."""

import pytest

from studies.models import Trial

from tests.roles import api_client, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _running(study):
    return study.trials.get(state="running")


def test_a_strangers_tell_with_bad_input_answers_404_not_400(people, study):
    response = api_client(people["stranger"]).post(f"/api/trials/{_running(study).pk}/tell/", {"state": "odd"},
                                                   format="json")

    assert response.status_code == 404


def test_a_viewers_tell_with_bad_input_answers_403_not_400(people, study):
    response = api_client(people["viewer"]).post(f"/api/trials/{_running(study).pk}/tell/", {"state": "odd"},
                                                 format="json")

    assert response.status_code == 403


def test_a_strangers_tell_records_nothing(people, study):
    trial = _running(study)

    api_client(people["stranger"]).post(f"/api/trials/{trial.pk}/tell/", {"value": 1.0, "ask_next": True},
                                        format="json")

    assert Trial.objects.get(pk=trial.pk).state == "running"
    assert study.trials.count() == 11


def test_a_strangers_tell_is_answered_as_a_missing_trials(people, study):
    client = api_client(people["stranger"])

    hidden = client.post(f"/api/trials/{_running(study).pk}/tell/", {"value": 1.0}, format="json")
    missing = client.post("/api/trials/999999/tell/", {"value": 1.0}, format="json")
    not_a_number = client.post("/api/trials/abc/tell/", {"value": 1.0}, format="json")

    assert [r.status_code for r in (hidden, missing, not_a_number)] == [404, 404, 404]
    assert hidden.json() == missing.json() == not_a_number.json() == client.get("/api/trials/999999/").json()


def test_an_editors_tell_with_ask_next_records_and_hands_out_the_next_trial(people, study):
    trial = _running(study)

    response = api_client(people["editor"]).post(f"/api/trials/{trial.pk}/tell/", {"value": 1.0, "ask_next": True},
                                                 format="json")

    assert response.status_code == 200, response.content
    assert Trial.objects.get(pk=trial.pk).state == "complete"
    assert response.json()["next_trial"]["number"] == 11


def test_bad_input_of_the_owner_answers_400_naming_the_field(people, study):
    response = api_client(people["owner"]).post(f"/api/trials/{_running(study).pk}/tell/", {"state": "odd"},
                                                format="json")

    assert (response.status_code, list(response.json())) == (400, ["state"])
