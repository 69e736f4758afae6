"""A tell with `ask_next`: the told trial's outcome and the study's next trial in one request,
keeping every rule of a separate ask."""

import pytest

from studies.models import Study, Trial

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db


def tell_and_ask(api, trial_id, ask_next=True, **body):
    return api.post(f"/api/trials/{trial_id}/tell/", {"ask_next": ask_next, **body}, format="json",
                    HTTP_X_TUNER_WORKER="gpu-3:41")


def test_a_tell_with_ask_next_records_the_outcome_and_hands_out_the_next_trial_running(api):
    study_id = create(api)
    first = ask(api, study_id)

    response = tell_and_ask(api, first["id"], value=2.5)

    assert response.status_code == 200, response.data
    assert (response.data["id"], response.data["state"], response.data["value"]) == (first["id"], "complete", 2.5)
    handed = response.data["next_trial"]
    assert set(handed) == {"id", "number", "params"} and handed["number"] == 1
    assert response.data["no_next_trial"] is None
    row = Trial.objects.get(pk=handed["id"])
    assert (row.state, row.worker, row.params) == ("running", "gpu-3:41", handed["params"])


def test_a_tell_without_ask_next_answers_the_told_trial_alone(api):
    study_id = create(api)
    trial = ask(api, study_id)

    response = tell(api, trial["id"], value=1.0, ask_next=False)

    assert response.status_code == 200
    assert "next_trial" not in response.data and "no_next_trial" not in response.data
    assert Trial.objects.filter(study_id=study_id).count() == 1


def test_the_tell_that_spends_the_budget_hands_out_no_next_trial_and_says_why(api):
    study_id = create(api, budget={"n_trials": 2})
    second = tell_and_ask(api, ask(api, study_id)["id"], value=1.0).data["next_trial"]

    last = tell_and_ask(api, second["id"], value=0.5)

    assert last.status_code == 200
    assert last.data["state"] == "complete" and last.data["next_trial"] is None
    assert last.data["no_next_trial"]["status"] == 409
    assert "budget exhausted" in last.data["no_next_trial"]["detail"]
    assert Trial.objects.filter(study_id=study_id).count() == 2
    assert Study.objects.get(pk=study_id).state == "completed"


def test_a_paused_study_records_the_tell_and_hands_out_no_next_trial(api):
    study_id = create(api)
    trial = ask(api, study_id)
    api.post(f"/api/studies/{study_id}/pause/")

    response = tell_and_ask(api, trial["id"], value=1.0)

    assert response.status_code == 200
    assert Trial.objects.get(pk=trial["id"]).state == "complete"
    assert response.data["next_trial"] is None
    assert response.data["no_next_trial"]["status"] == 409 and "paused" in response.data["no_next_trial"]["detail"]
    assert Trial.objects.filter(study_id=study_id).count() == 1


def test_a_stopped_study_hands_out_no_next_trial(api):
    study_id = create(api)
    trial = ask(api, study_id)
    api.post(f"/api/studies/{study_id}/stop/")

    response = tell_and_ask(api, trial["id"], value=1.0)

    assert response.status_code == 200 and response.data["next_trial"] is None
    assert "stopped" in response.data["no_next_trial"]["detail"]
    assert Trial.objects.filter(study_id=study_id).count() == 1


def test_the_tell_that_meets_a_stop_rule_hands_out_no_next_trial_and_names_the_rule(api):
    study_id = create(api, direction="maximize", budget={"n_trials": 50, "target": 0.9})

    response = tell_and_ask(api, ask(api, study_id)["id"], value=0.93)

    assert response.data["next_trial"] is None
    assert "reached your target of 0.9 after 1 trial" in response.data["no_next_trial"]["detail"]
    assert Study.objects.get(pk=study_id).state == "stopped"


def test_the_told_trial_no_longer_counts_against_the_running_cap(api, settings):
    settings.TUNER_MAX_RUNNING_PER_USER = 1
    study_id = create(api)
    trial = ask(api, study_id)

    response = tell_and_ask(api, trial["id"], value=1.0)

    assert response.data["next_trial"] is not None, response.data


def test_at_the_running_cap_the_tell_is_recorded_and_the_next_trial_refused_with_429(api, settings):
    study_id = create(api)
    trials = [ask(api, study_id) for _ in range(3)]
    settings.TUNER_MAX_RUNNING_PER_USER = 2  # the other two trials still run

    response = tell_and_ask(api, trials[0]["id"], value=1.0)

    assert response.status_code == 200 and response.data["state"] == "complete"
    assert response.data["next_trial"] is None
    assert response.data["no_next_trial"]["status"] == 429
    assert "too many running trials" in response.data["no_next_trial"]["detail"]
    assert Trial.objects.filter(study_id=study_id).count() == 3


def test_a_tell_repeated_after_a_lost_reply_hands_out_the_same_next_trial(api):
    study_id = create(api)
    trial = ask(api, study_id)

    first = tell_and_ask(api, trial["id"], value=1.0)
    again = tell_and_ask(api, trial["id"], value=1.0)

    assert again.status_code == 200
    assert again.data["next_trial"] == first.data["next_trial"]
    assert Trial.objects.filter(study_id=study_id).count() == 2


def test_a_trial_enqueued_by_hand_is_handed_out_first(api):
    study_id = create(api)
    trial = ask(api, study_id)
    api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": 1.5, "n": 2, "kind": "b"}}, format="json")

    response = tell_and_ask(api, trial["id"], value=1.0)

    assert response.data["next_trial"]["params"] == {"x": 1.5, "n": 2, "kind": "b"}


def test_ask_next_with_attrs_notes_them_on_the_next_trial(api):
    study_id = create(api)
    trial = ask(api, study_id)

    response = tell_and_ask(api, trial["id"], ask_next={"attrs": {"commit": "3f2a1c9"}}, value=1.0,
                            attrs={"note": "told"})

    assert Trial.objects.get(pk=response.data["next_trial"]["id"]).attrs == {"commit": "3f2a1c9"}
    assert Trial.objects.get(pk=trial["id"]).attrs == {"note": "told"}


@pytest.mark.parametrize("bad", ["yes", 1, [], {"params": {"x": 1}}, {"attrs": {"k": 1}, "extra": 2}])
def test_a_bad_ask_next_answers_400_naming_it_and_records_nothing(api, bad):
    study_id = create(api)
    trial = ask(api, study_id)

    response = tell_and_ask(api, trial["id"], ask_next=bad, value=1.0)

    assert response.status_code == 400
    assert "ask_next" in response.data and "ask_next must be true, false" in response.data["ask_next"][0]
    assert Trial.objects.get(pk=trial["id"]).state == "running"
    assert Trial.objects.filter(study_id=study_id).count() == 1


def test_next_attrs_past_a_cap_answer_400_naming_them_and_record_nothing(api):
    study_id = create(api)
    trial = ask(api, study_id)

    response = tell_and_ask(api, trial["id"], ask_next={"attrs": {f"k{i}": i for i in range(101)}}, value=1.0)

    assert response.status_code == 400
    assert any(field.startswith("ask_next.attrs") for field in response.data), response.data
    assert Trial.objects.get(pk=trial["id"]).state == "running"
    assert Trial.objects.filter(study_id=study_id).count() == 1
