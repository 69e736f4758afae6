"""End to end: studies created through the API run on a real Celery worker over a real Redis."""

import os

import pytest

from studies.models import Study, Trial
from tests.conftest import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _finished(study_id):
    study = Study.objects.get(pk=study_id)
    return study if study.state in Study.FINISHED_STATES else None


def test_sklearn_study_runs_20_trials_with_parallelism_2_to_completed(api, celery_worker_process):
    body = {
        "name": "random forest on breast cancer",
        "objective": {"kind": "sklearn", "estimator": "random_forest", "dataset": "breast_cancer",
                      "metric": "accuracy", "cv": 3},
        "search_space": {
            "n_estimators": {"type": "int", "low": 10, "high": 60, "step": 10},
            "max_depth": {"type": "int", "low": 2, "high": 10},
            "max_features": {"type": "categorical", "choices": ["sqrt", "log2"]},
        },
        "sampler": {"name": "random", "seed": 3},
        "budget": {"n_trials": 20, "parallelism": 2},
    }
    study_id = api.post("/api/studies/", body, format="json").data["id"]

    started = api.post(f"/api/studies/{study_id}/start/")
    study = wait_for(lambda: _finished(study_id), timeout_s=300)

    assert started.status_code == 202
    assert study.state == "completed"
    numbers = sorted(Trial.objects.filter(study_id=study_id).values_list("number", flat=True))
    assert numbers == list(range(20))
    assert set(Trial.objects.filter(study_id=study_id).values_list("state", flat=True)) == {"complete"}
    best = api.get(f"/api/studies/{study_id}/").data["best_trial"]
    assert best["value"] > 0.93, "a random forest reaches over 93% accuracy on breast_cancer"


def _worker_idle():
    """Whether the test worker runs nothing: a study an earlier test completed may still be
    explained on it, holding one of its two slots."""
    from tuner_site.celery import app

    name = f"{app.conf.task_default_queue}@{os.uname().nodename}"
    active = app.control.inspect(destination=[name], timeout=1).active()
    return active is not None and not active.get(name)


def test_trials_ran_two_at_a_time(api, celery_worker_process):
    wait_for(_worker_idle, timeout_s=120)
    body = {
        "name": "overlap",
        "objective": {"kind": "sklearn", "estimator": "knn", "dataset": "digits", "cv": 3},
        "search_space": {"n_neighbors": {"type": "int", "low": 1, "high": 30}},
        "budget": {"n_trials": 6, "parallelism": 2},
    }
    study_id = api.post("/api/studies/", body, format="json").data["id"]

    api.post(f"/api/studies/{study_id}/start/")
    wait_for(lambda: _finished(study_id), timeout_s=300)

    spans = sorted(Trial.objects.filter(study_id=study_id).values_list("started_at", "finished_at"))
    overlaps = sum(1 for (a_start, a_end), (b_start, _) in zip(spans, spans[1:]) if b_start < a_end)
    assert overlaps >= 1, "with parallelism 2 some trials ran at the same time"


def test_grid_study_covers_its_space_exactly_once(api, celery_worker_process):
    body = {
        "name": "grid",
        "objective": {"kind": "function", "name": "sphere"},
        "search_space": {
            "x1": {"type": "int", "low": -2, "high": 2},
            "x2": {"type": "float", "low": -1.0, "high": 1.0, "step": 0.5},
        },
        "sampler": {"name": "grid"},
        "budget": {"n_trials": 100, "parallelism": 2},
    }
    study_id = api.post("/api/studies/", body, format="json").data["id"]

    api.post(f"/api/studies/{study_id}/start/")
    study = wait_for(lambda: _finished(study_id), timeout_s=120)

    points = [(p["x1"], p["x2"]) for p in Trial.objects.filter(study_id=study_id).values_list("params", flat=True)]
    expected = {(a, b) for a in range(-2, 3) for b in (-1.0, -0.5, 0.0, 0.5, 1.0)}
    assert study.state == "completed"
    assert len(points) == len(expected) == len(set(points))
    assert set(points) == expected


def test_failing_trials_fail_with_their_message_and_the_study_goes_on(api, celery_worker_process):
    body = {
        "name": "bad metric for a class",
        "objective": {"kind": "function", "name": "branin"},
        "search_space": {"x1": {"type": "float", "low": -5, "high": 10}, "x2": {"type": "float", "low": 0, "high": 15},
                         "x3": {"type": "float", "low": 0, "high": 1}},
        "budget": {"n_trials": 3, "parallelism": 1},
    }
    study_id = api.post("/api/studies/", body, format="json").data["id"]

    api.post(f"/api/studies/{study_id}/start/")
    study = wait_for(lambda: _finished(study_id), timeout_s=120)

    trials = list(Trial.objects.filter(study_id=study_id))
    assert study.state == "completed"
    assert len(trials) == 3
    assert all(t.state == "failed" and t.error for t in trials)


def test_run_study_command_waits_with_a_progress_bar(tmp_path, owner, celery_worker_process, capsys):
    import json

    from django.core.management import call_command

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"name": "cli wait", "objective": {"kind": "function", "name": "branin"},
                                "sampler": {"name": "qmc", "seed": 1}, "budget": {"n_trials": 8, "parallelism": 2}}))

    call_command("run_study", str(spec), "--owner", "owner", "--wait")

    out = capsys.readouterr().out
    assert "8/8" in out
    assert "is completed" in out
    assert Study.objects.get(name="cli wait").state == "completed"
