"""Start, pause, resume and stop answer 202 and move the study; a wrong move answers 409."""

import pytest

from studies.models import Study, Trial

from .helpers import create

pytestmark = pytest.mark.django_db

FUNCTION = {"kind": "function", "name": "sphere"}


def test_start_runs_the_study_and_creates_parallelism_waiting_trials(api):
    study_id = create(api, objective=FUNCTION, budget={"n_trials": 10, "parallelism": 3})

    response = api.post(f"/api/studies/{study_id}/start/")

    assert response.status_code == 202
    assert response.data["state"] == "running"
    assert list(Trial.objects.filter(study_id=study_id).values_list("number", "state")) == [
        (0, "waiting"), (1, "waiting"), (2, "waiting")
    ]


def test_start_twice_is_409(api):
    study_id = create(api, objective=FUNCTION)
    api.post(f"/api/studies/{study_id}/start/")

    response = api.post(f"/api/studies/{study_id}/start/")

    assert response.status_code == 409


def test_pause_then_resume(api):
    study_id = create(api, objective=FUNCTION)
    api.post(f"/api/studies/{study_id}/start/")

    paused = api.post(f"/api/studies/{study_id}/pause/")
    resumed = api.post(f"/api/studies/{study_id}/resume/")

    assert (paused.status_code, paused.data["state"]) == (202, "paused")
    assert (resumed.status_code, resumed.data["state"]) == (202, "running")


def test_stop_marks_waiting_trials_stopped(api):
    study_id = create(api, objective=FUNCTION, budget={"n_trials": 10, "parallelism": 2})
    api.post(f"/api/studies/{study_id}/start/")

    response = api.post(f"/api/studies/{study_id}/stop/")

    assert response.status_code == 202
    assert Study.objects.get(pk=study_id).state == "stopped"
    assert set(Trial.objects.filter(study_id=study_id).values_list("state", flat=True)) == {"stopped"}


def test_resume_of_a_running_study_is_409(api):
    study_id = create(api, objective=FUNCTION)
    api.post(f"/api/studies/{study_id}/start/")

    response = api.post(f"/api/studies/{study_id}/resume/")

    assert response.status_code == 409
    assert "running" in response.data["detail"]


def test_delete_removes_the_study_and_its_trials(api):
    study_id = create(api, objective=FUNCTION)
    api.post(f"/api/studies/{study_id}/start/")

    response = api.delete(f"/api/studies/{study_id}/")

    assert response.status_code == 204
    assert not Trial.objects.filter(study_id=study_id).exists()


def test_trials_since_returns_only_what_changed_after_the_cursor(api):
    study_id = create(api)
    first = api.post(f"/api/studies/{study_id}/ask/").data
    cursor = api.get(f"/api/studies/{study_id}/trials/?since=0").data["cursor"]
    api.post(f"/api/trials/{first['id']}/tell/", {"value": 1.0}, format="json")
    second = api.post(f"/api/studies/{study_id}/ask/").data

    changes = api.get(f"/api/studies/{study_id}/trials/?since={cursor}").data

    assert sorted(t["number"] for t in changes["results"]) == [first["number"], second["number"]]
    assert changes["cursor"] > cursor
    assert api.get(f"/api/studies/{study_id}/trials/?since={changes['cursor']}").data["results"] == []


def test_trials_filter_by_state(api):
    study_id = create(api)
    trial = api.post(f"/api/studies/{study_id}/ask/").data
    api.post(f"/api/studies/{study_id}/ask/")
    api.post(f"/api/trials/{trial['id']}/tell/", {"value": 1.0}, format="json")

    response = api.get(f"/api/studies/{study_id}/trials/?state=complete")

    assert [t["number"] for t in response.data["results"]] == [0]


def test_trials_filter_with_unknown_state_is_400(api):
    study_id = create(api)

    response = api.get(f"/api/studies/{study_id}/trials/?state=sleeping")

    assert response.status_code == 400
    assert "state" in response.data
