"""Trials enqueued by hand fit the same caps as asked ones: budget, trial cap, running cap, parallelism.

Before, POST /api/studies/{id}/trials/ checked none: 210 trials enqueued in a budget-3 external
study became 210 running ones, and 240 enqueued in a completed built-in study all ran at once.
"""

import pytest

from studies import services
from studies.models import Study, Trial

from .helpers import ask, create

pytestmark = pytest.mark.django_db

PARAMS = {"x": 0.5, "n": 2, "kind": "a"}
FUNCTION = {"kind": "function", "name": "sphere"}
X_SPACE = {"x": {"type": "float", "low": -1, "high": 1}}


def _enqueue(api, study_id, **body):
    return api.post(f"/api/studies/{study_id}/trials/", {"params": PARAMS, **body}, format="json")


def test_enqueue_past_the_budget_answers_409_with_the_budget(api):
    study_id = create(api, budget={"n_trials": 3})
    for _ in range(3):
        assert _enqueue(api, study_id).status_code == 201

    response = _enqueue(api, study_id)

    assert response.status_code == 409
    assert response.data["detail"].startswith("budget exhausted") and "3 trials" in response.data["detail"]
    assert Trial.objects.count() == 3


def test_recording_a_result_past_the_budget_answers_409(api):
    study_id = create(api, budget={"n_trials": 1})
    _enqueue(api, study_id, value=1.0)

    response = _enqueue(api, study_id, value=2.0)

    assert response.status_code == 409
    assert Trial.objects.count() == 1


def test_enqueue_in_a_completed_built_in_study_answers_409(api):
    study_id = create(api, objective=FUNCTION, search_space=X_SPACE, budget={"n_trials": 1})
    Study.objects.filter(pk=study_id).update(state=Study.State.COMPLETED, next_number=1)

    response = api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": 0.1}}, format="json")

    assert response.status_code == 409
    assert "the study is completed; run more trials on it first" in response.data["detail"]
    assert not Trial.objects.exists()


def test_enqueue_past_the_per_study_trial_cap_answers_409_with_the_cap(api, settings):
    settings.TUNER_MAX_TRIALS_PER_STUDY = 2
    study_id = create(api, budget={})
    _enqueue(api, study_id), _enqueue(api, study_id)

    response = _enqueue(api, study_id)

    assert response.status_code == 409
    assert "trial cap reached" in response.data["detail"] and "at most 2" in response.data["detail"]


def test_enqueue_past_the_waiting_cap_answers_429_with_the_cap(api, settings):
    settings.TUNER_MAX_WAITING_PER_USER = 2
    first, second = create(api, budget={}), create(api, budget={})
    _enqueue(api, first), _enqueue(api, second)

    response = _enqueue(api, first)

    assert response.status_code == 429
    assert "waiting" in response.data["detail"] and "the cap is 2" in response.data["detail"]
    assert Trial.objects.count() == 2


def test_asking_for_an_enqueued_trial_past_the_running_cap_answers_429(api, settings):
    settings.TUNER_MAX_RUNNING_PER_USER = 2
    study_id = create(api, budget={})
    for _ in range(3):
        _enqueue(api, study_id)
    ask(api, study_id), ask(api, study_id)

    response = api.post(f"/api/studies/{study_id}/ask/")

    assert response.status_code == 429
    assert "the cap is 2" in response.data["detail"]
    assert Trial.objects.filter(state="waiting").count() == 1


def test_a_manual_trial_waits_for_a_slot_when_the_parallelism_is_taken(api, django_capture_on_commit_callbacks):
    study_id = create(api, objective=FUNCTION, search_space=X_SPACE, budget={"n_trials": 10, "parallelism": 1})
    api.post(f"/api/studies/{study_id}/start/")

    with django_capture_on_commit_callbacks() as sent:
        response = api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": 0.1}}, format="json")

    assert response.status_code == 201 and response.data["state"] == "waiting"
    assert sent == [] and Trial.objects.get(pk=response.data["id"]).enqueued_at is None


def test_a_held_manual_trial_takes_the_next_free_slot_before_the_sampler(api):
    study_id = create(api, objective=FUNCTION, search_space=X_SPACE, budget={"n_trials": 10, "parallelism": 1})
    api.post(f"/api/studies/{study_id}/start/")
    manual = api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": 0.1}}, format="json").data
    sampled = Trial.objects.get(study_id=study_id, origin="sampler")

    claimed = services.claim_trial(sampled.pk, "w")
    services.tell_trial(claimed.pk, value=1.0, attempt=claimed.attempts)

    assert Trial.objects.get(pk=manual["id"]).enqueued_at is not None
    assert Trial.objects.filter(study_id=study_id).count() == 2  # no new sampler trial beside it


def test_start_sends_no_more_manual_trials_than_the_parallelism(api):
    study_id = create(api, objective=FUNCTION, search_space=X_SPACE, budget={"n_trials": 10, "parallelism": 2})
    for x in (0.1, 0.2, 0.3, 0.4, 0.5):
        api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": x}}, format="json")

    api.post(f"/api/studies/{study_id}/start/")

    sent = Trial.objects.filter(study_id=study_id, enqueued_at__isnull=False)
    assert sorted(sent.values_list("number", flat=True)) == [0, 1]
    assert Trial.objects.filter(study_id=study_id).count() == 5
