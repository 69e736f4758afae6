"""End to end on a real Celery worker: a built-in study's limits and a constrained benchmark give
every trial its constraints (and, for limits, the figures measured), and the best trial is feasible."""

import pytest

from studies.models import Study, Trial
from tests.conftest import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _finished(study_id):
    study = Study.objects.get(pk=study_id)
    return study if study.state in Study.FINISHED_STATES else None


def _run(api, body):
    response = api.post("/api/studies/", body, format="json")
    assert response.status_code == 201, response.data
    api.post(f"/api/studies/{response.data['id']}/start/")
    assert wait_for(lambda: _finished(response.data["id"]), timeout_s=300).state == "completed"
    return response.data["id"]


def test_a_limit_on_model_size_makes_the_bigger_forests_infeasible_and_the_best_one_keeps_within_it(
        api, celery_worker_process):
    # A depth-4 tree of breast_cancer pickles to about 2 KB: 10 trees keep under 30 KB, 20 to 40 do not.
    study_id = _run(api, {
        "name": "small forests only",
        "objective": {"kind": "sklearn", "estimator": "random_forest", "dataset": "breast_cancer", "cv": 3,
                      "constraints": [{"metric": "model_size_bytes", "max": 30_000}, {"metric": "recall", "min": 0.5}]},
        "search_space": {"n_estimators": {"type": "int", "low": 10, "high": 40, "step": 10},
                         "max_depth": {"type": "categorical", "choices": [4]}},
        "sampler": {"name": "grid"},
        "budget": {"n_trials": 4, "parallelism": 2},
    })

    trials = {t.params["n_estimators"]: t for t in Trial.objects.filter(study_id=study_id)}
    assert {n: t.feasible for n, t in trials.items()} == {10: True, 20: False, 30: False, 40: False}
    for trial in trials.values():
        assert set(trial.metrics) == {"model_size_bytes", "recall"}
        assert trial.constraints == pytest.approx([trial.metrics["model_size_bytes"] - 30_000,
                                                   0.5 - trial.metrics["recall"]])
    best = api.get(f"/api/studies/{study_id}/").data["best_trial"]
    assert best["number"] == trials[10].number
    assert max(t.value for t in trials.values()) > best["value"], "a bigger forest scored better but broke the limit"


def test_a_constrained_benchmark_study_tells_each_trial_its_constraints(api, celery_worker_process):
    study_id = _run(api, {"name": "gardner", "objective": {"kind": "function", "name": "gardner"},
                          "sampler": {"name": "random", "seed": 0}, "budget": {"n_trials": 12, "parallelism": 2}})

    trials = list(Trial.objects.filter(study_id=study_id))
    assert all(len(t.constraints) == 1 and t.feasible == (t.constraints[0] <= 0) for t in trials)
    assert {t.feasible for t in trials} == {True, False}, "random points on [0,6]^2 land on both sides"
    best = api.get(f"/api/studies/{study_id}/").data["best_trial"]
    assert best["value"] == min(t.value for t in trials if t.feasible)
