"""Change the budget of a study that has not finished: more or fewer trials, parallelism, a time limit."""

import pytest

from studies.models import Study, Trial
from tests.conftest import wait_for

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db

FUNCTION = {"kind": "function", "name": "sphere"}
NUMBERS = {"x": {"type": "float", "low": -5.0, "high": 5.0}, "y": {"type": "float", "low": -5.0, "high": 5.0}}
# Trials of a second or more: a worker (this test's, or one another test left running in this
# process) cannot finish the study between its start and the change.
SLOW = {"kind": "sklearn", "estimator": "random_forest", "dataset": "digits", "metric": "accuracy", "cv": 3}
TREES = {"n_estimators": {"type": "int", "low": 100, "high": 150}}


def _patch(api, study_id, body):
    return api.patch(f"/api/studies/{study_id}/budget/", body, format="json")


def test_a_larger_count_lets_a_running_study_hand_out_more_trials(api):
    study_id = create(api, budget={"n_trials": 2})
    tell(api, ask(api, study_id)["id"], value=1.0)

    response = _patch(api, study_id, {"n_trials": 3})
    handed = [api.post(f"/api/studies/{study_id}/ask/").status_code for _ in range(3)]

    assert (response.status_code, response.data["budget"]["n_trials"]) == (200, 3)
    assert handed == [201, 201, 409]


def test_a_count_now_spent_completes_the_study_once_its_trials_end(api):
    study_id = create(api, budget={"n_trials": 10})
    for _ in range(3):
        tell(api, ask(api, study_id)["id"], value=1.0)

    response = _patch(api, study_id, {"n_trials": 3})

    assert response.data["state"] == "completed"


def test_the_count_cannot_fall_below_the_trials_made(api):
    study_id = create(api, budget={"n_trials": 10})
    for _ in range(3):
        ask(api, study_id)

    response = _patch(api, study_id, {"n_trials": 2})

    assert response.status_code == 400
    assert response.data["budget.n_trials"] == ["n_trials must be at least 3, the trials this study has made"]
    assert Study.objects.get(pk=study_id).n_trials == 10


@pytest.mark.parametrize(("body", "field"), [
    ({"n_trials": "many"}, "budget.n_trials"), ({"parallelism": 0}, "budget.parallelism"),
    ({"parallelism": None}, "budget.parallelism"), ({"target": 0.9}, "budget.target"), ({}, "budget"),
])
def test_bad_input_answers_400_naming_the_field_and_changes_nothing(api, body, field):
    study_id = create(api, budget={"n_trials": 10, "parallelism": 2})

    response = _patch(api, study_id, body)

    assert response.status_code == 400
    assert field in response.data
    study = Study.objects.get(pk=study_id)
    assert (study.n_trials, study.parallelism) == (10, 2)


def test_a_study_on_workers_keeps_a_count_or_a_time_limit(api):
    study_id = create(api, objective=FUNCTION, search_space=NUMBERS, budget={"n_trials": 10})

    response = _patch(api, study_id, {"n_trials": None})

    assert response.status_code == 400
    assert "would never end" in response.data["budget"][0]


def test_a_finished_study_answers_409_pointing_to_run_more(api):
    study_id = create(api, budget={"n_trials": 1})
    tell(api, ask(api, study_id)["id"], value=1.0)

    response = _patch(api, study_id, {"n_trials": 5})

    assert response.status_code == 409
    assert "run more trials" in response.data["detail"]


def test_a_stranger_cannot_change_the_budget(api, outsider_api):
    study_id = create(api, budget={"n_trials": 10})

    response = _patch(outsider_api, study_id, {"n_trials": 50})

    assert response.status_code == 404
    assert Study.objects.get(pk=study_id).n_trials == 10


@pytest.mark.django_db(transaction=True)
def test_more_parallelism_fills_the_new_slots_at_once(api):
    study_id = create(api, objective=SLOW, search_space=TREES, direction="maximize",
                      budget={"n_trials": 20, "parallelism": 1})
    api.post(f"/api/studies/{study_id}/start/")

    _patch(api, study_id, {"parallelism": 3})

    pending = Trial.objects.filter(study_id=study_id, state__in=["waiting", "running"]).count()
    assert pending == 3


@pytest.mark.django_db(transaction=True)
def test_workers_run_the_trials_a_raised_count_adds(api, celery_worker_process):
    study_id = create(api, objective=SLOW, search_space=TREES, direction="maximize",
                      budget={"n_trials": 2, "parallelism": 1})
    api.post(f"/api/studies/{study_id}/start/")

    response = _patch(api, study_id, {"n_trials": 4})

    assert response.status_code == 200, response.data
    wait_for(lambda: Study.objects.get(pk=study_id).state == "completed")
    assert Trial.objects.filter(study_id=study_id, state="complete").count() == 4
