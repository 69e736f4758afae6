"""Run more trials: a completed or stopped study goes on where it left off, with the same history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from studies.models import Ensemble, Study, Trial
from tests.conftest import wait_for

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db

FUNCTION = {"kind": "function", "name": "sphere"}
NUMBERS = {"x": {"type": "float", "low": -5.0, "high": 5.0}, "y": {"type": "float", "low": -5.0, "high": 5.0}}


def _finish_external(api, n_trials=3, **budget):
    study_id = create(api, budget={"n_trials": n_trials, **budget})
    for i in range(n_trials):
        tell(api, ask(api, study_id)["id"], value=float(i))
    return study_id


def _run_more(api, study_id, more):
    return api.post(f"/api/studies/{study_id}/run-more/", {"more_trials": more}, format="json")


def test_a_completed_study_runs_that_many_more_trials_then_completes_again(api):
    study_id = _finish_external(api, n_trials=3)

    response = _run_more(api, study_id, 2)
    told = [tell(api, ask(api, study_id)["id"], value=0.5).status_code for _ in range(2)]
    one_too_many = api.post(f"/api/studies/{study_id}/ask/")

    assert (response.status_code, response.data["state"]) == (202, "running")
    assert told == [200, 200]
    assert one_too_many.status_code == 409
    study = Study.objects.get(pk=study_id)
    assert (study.state, study.n_trials, study.trials.count()) == ("completed", 5, 5)


def test_the_new_trials_go_on_from_the_same_history(api):
    study_id = _finish_external(api, n_trials=3)

    _run_more(api, study_id, 1)
    trial = ask(api, study_id)

    assert trial["number"] == 3
    assert Trial.objects.filter(study_id=study_id, state="complete").count() == 3


def test_a_study_stopped_by_its_target_drops_its_stop_rules_and_runs_every_new_trial(api):
    study_id = create(api, direction="maximize", budget={"n_trials": 10, "target": 0.9})
    tell(api, ask(api, study_id)["id"], value=0.95)
    assert Study.objects.get(pk=study_id).stop_reason == "target"

    _run_more(api, study_id, 2)
    for _ in range(2):
        tell(api, ask(api, study_id)["id"], value=0.99)

    study = Study.objects.get(pk=study_id)
    assert study.stop_rules is None
    assert (study.state, study.stop_reason, study.trials.count()) == ("completed", "budget", 3)


def test_a_spent_time_limit_allows_as_long_again_from_now(api):
    study_id = _finish_external(api, n_trials=1, timeout_s=60)
    Study.objects.filter(pk=study_id).update(started_at=timezone.now() - timedelta(hours=2))

    _run_more(api, study_id, 1)
    response = api.post(f"/api/studies/{study_id}/ask/")

    assert response.status_code == 201
    assert Study.objects.get(pk=study_id).timeout_s >= 2 * 3600 + 60


def test_the_ensemble_of_the_earlier_finish_is_dropped(api, owner):
    study_id = _finish_external(api, n_trials=2)
    Ensemble.objects.create(study_id=study_id, members=[])

    _run_more(api, study_id, 1)

    assert not Ensemble.objects.filter(study_id=study_id).exists()


@pytest.mark.parametrize("body", [{}, {"more_trials": 0}, {"more_trials": "many"}, {"more_trials": 2.5}])
def test_a_bad_count_answers_400_naming_more_trials_and_changes_nothing(api, body):
    study_id = _finish_external(api, n_trials=2)

    response = api.post(f"/api/studies/{study_id}/run-more/", body, format="json")

    assert response.status_code == 400
    assert "more_trials" in response.data
    assert Study.objects.get(pk=study_id).state == "completed"


def test_a_running_study_answers_409(api):
    study_id = create(api)
    ask(api, study_id)

    response = _run_more(api, study_id, 5)

    assert response.status_code == 409
    assert "only a completed or stopped study" in response.data["detail"]


def test_the_trial_cap_is_named_when_it_leaves_too_little_room(api, settings):
    settings.TUNER_MAX_TRIALS_PER_STUDY = 4
    study_id = _finish_external(api, n_trials=3)

    response = _run_more(api, study_id, 5)

    assert response.status_code == 409
    assert "room for 1 more trials" in response.data["detail"]
    assert Study.objects.get(pk=study_id).state == "completed"


def test_a_stranger_cannot_run_more_of_someone_elses_study(api, outsider_api):
    study_id = _finish_external(api, n_trials=2)

    response = _run_more(outsider_api, study_id, 5)

    assert response.status_code == 404
    assert Study.objects.get(pk=study_id).state == "completed"


@pytest.mark.django_db(transaction=True)
def test_workers_run_the_new_trials_of_a_built_in_study(api, celery_worker_process):
    study_id = create(api, objective=FUNCTION, search_space=NUMBERS, budget={"n_trials": 3, "parallelism": 2})
    api.post(f"/api/studies/{study_id}/start/")
    wait_for(lambda: Study.objects.get(pk=study_id).state == "completed")
    assert Trial.objects.filter(study_id=study_id, state="complete").count() == 3

    _run_more(api, study_id, 3)

    wait_for(lambda: Study.objects.get(pk=study_id).state == "completed")
    assert Trial.objects.filter(study_id=study_id, state="complete").count() == 6
