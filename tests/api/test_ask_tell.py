"""The ask/tell API that external training code drives."""

import pytest

from studies.models import Study, Trial, TrialReport

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db


def test_ask_returns_id_number_and_params_inside_the_space(api):
    study_id = create(api)

    asked = ask(api, study_id)

    assert asked["number"] == 0
    assert set(asked["params"]) == {"x", "n", "kind"}
    assert -5 <= asked["params"]["x"] <= 5
    assert Trial.objects.get(pk=asked["id"]).state == "running"


def test_asks_get_consecutive_numbers(api):
    study_id = create(api)

    numbers = [ask(api, study_id)["number"] for _ in range(5)]

    assert numbers == [0, 1, 2, 3, 4]


def test_first_ask_starts_a_created_study(api):
    study_id = create(api)

    ask(api, study_id)

    assert Study.objects.get(pk=study_id).state == "running"


def test_tell_records_the_value_and_best_trial(api):
    study_id = create(api)
    first, second = ask(api, study_id), ask(api, study_id)

    tell(api, first["id"], value=3.0)
    response = tell(api, second["id"], value=1.5)

    assert response.status_code == 200
    study = api.get(f"/api/studies/{study_id}/").data
    assert study["best_trial"]["number"] == 1
    assert study["best_trial"]["value"] == 1.5
    assert study["n_trials_by_state"]["complete"] == 2


def test_same_tell_twice_is_recorded_once(api):
    study_id = create(api)
    trial = ask(api, study_id)

    first = tell(api, trial["id"], value=0.25)
    again = tell(api, trial["id"], value=0.25)

    assert (first.status_code, again.status_code) == (200, 200)
    assert Trial.objects.filter(study_id=study_id, state="complete").count() == 1


def test_different_tell_for_a_finished_trial_is_409(api):
    study_id = create(api)
    trial = ask(api, study_id)
    tell(api, trial["id"], value=0.25)

    response = tell(api, trial["id"], value=0.5)

    assert response.status_code == 409
    assert Trial.objects.get(pk=trial["id"]).value == 0.25


@pytest.mark.parametrize("body,field", [
    ({"value": "NaN"}, "value"),
    ({"value": "Infinity"}, "value"),
    ({"value": None}, "value"),
    ({"state": "exploded"}, "state"),
])
def test_bad_tell_answers_400_and_changes_nothing(api, body, field):
    study_id = create(api)
    trial = ask(api, study_id)

    response = tell(api, trial["id"], **body)

    assert response.status_code == 400
    assert field in response.data
    assert Trial.objects.get(pk=trial["id"]).state == "running"


def test_nan_literal_in_json_body_is_refused(api):
    study_id = create(api)
    trial = ask(api, study_id)

    response = api.post(f"/api/trials/{trial['id']}/tell/", '{"value": NaN}', content_type="application/json")

    assert response.status_code == 400
    assert Trial.objects.get(pk=trial["id"]).state == "running"


def test_tell_failed_keeps_the_error_text(api):
    study_id = create(api)
    trial = ask(api, study_id)

    response = tell(api, trial["id"], state="failed", error="CUDA out of memory")

    assert response.status_code == 200
    assert Trial.objects.get(pk=trial["id"]).error == "CUDA out of memory"


def test_ask_after_the_budget_is_spent_is_409(api):
    study_id = create(api, budget={"n_trials": 2})
    for _ in range(2):
        tell(api, ask(api, study_id)["id"], value=1.0)

    response = api.post(f"/api/studies/{study_id}/ask/")

    assert response.status_code == 409
    assert "budget" in response.data["detail"]
    assert Study.objects.get(pk=study_id).state == "completed"


def test_report_stores_the_value_and_answers_should_prune(api):
    study_id = create(api)
    trial = ask(api, study_id)

    response = api.post(f"/api/trials/{trial['id']}/report/", {"step": 3, "value": 0.8}, format="json")

    assert response.status_code == 200
    assert response.data == {"should_prune": False}
    assert TrialReport.objects.get(trial_id=trial["id"]).value == 0.8


def test_median_pruner_stops_a_trial_worse_than_the_median(api):
    study_id = create(api, pruner={"name": "median", "n_startup_trials": 3}, budget={"n_trials": 20})
    for value in (1.0, 2.0, 3.0):
        trial = ask(api, study_id)
        api.post(f"/api/trials/{trial['id']}/report/", {"step": 0, "value": value}, format="json")
        tell(api, trial["id"], value=value)
    bad, good = ask(api, study_id), ask(api, study_id)

    bad_answer = api.post(f"/api/trials/{bad['id']}/report/", {"step": 0, "value": 9.0}, format="json")
    good_answer = api.post(f"/api/trials/{good['id']}/report/", {"step": 0, "value": 0.5}, format="json")

    assert bad_answer.data == {"should_prune": True}
    assert good_answer.data == {"should_prune": False}


def test_pruned_tell_takes_the_last_reported_value(api):
    study_id = create(api)
    trial = ask(api, study_id)
    api.post(f"/api/trials/{trial['id']}/report/", {"step": 0, "value": 4.0}, format="json")

    response = tell(api, trial["id"], state="pruned")

    assert response.status_code == 200
    assert Trial.objects.get(pk=trial["id"]).value == 4.0


def test_report_with_a_negative_step_is_400(api):
    trial = ask(api, create(api))

    response = api.post(f"/api/trials/{trial['id']}/report/", {"step": -1, "value": 1.0}, format="json")

    assert response.status_code == 400
    assert "step" in response.data


def test_heartbeat_on_a_running_trial_answers_204(api):
    trial = ask(api, create(api))

    response = api.post(f"/api/trials/{trial['id']}/heartbeat/")

    assert response.status_code == 204
    assert Trial.objects.get(pk=trial["id"]).heartbeat_at is not None


def test_ask_on_a_study_that_runs_on_workers_is_409(api):
    study_id = create(api, objective={"kind": "function", "name": "sphere"})

    response = api.post(f"/api/studies/{study_id}/ask/")

    assert response.status_code == 409


def test_ask_repeated_with_the_same_idempotency_key_returns_the_same_trial(api):
    study_id = create(api)

    first = api.post(f"/api/studies/{study_id}/ask/", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = api.post(f"/api/studies/{study_id}/ask/", HTTP_IDEMPOTENCY_KEY="abc-1")
    other = api.post(f"/api/studies/{study_id}/ask/", HTTP_IDEMPOTENCY_KEY="abc-2")

    assert first.data == again.data
    assert other.data["number"] == first.data["number"] + 1
    assert Trial.objects.filter(study_id=study_id).count() == 2
