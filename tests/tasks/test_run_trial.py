"""services.run_trial, in process: every way an objective can misbehave fails only its trial."""

import math

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from studies import objectives, services
from studies.models import Study, Trial

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_trial_per_message(settings):
    """These tests are about the trial a message names; a worker that runs the study's next
    trials itself is tested in test_chained_trials.py."""
    settings.TUNER_TRIAL_CHAIN_S = 0


@pytest.fixture
def study(owner):
    study = services.create_study(owner, {
        "name": "sphere", "objective": {"kind": "function", "name": "sphere"},
        "search_space": {"x1": {"type": "float", "low": -1, "high": 1}, "x2": {"type": "float", "low": -1, "high": 1}},
        "budget": {"n_trials": 3, "parallelism": 1},
    })
    services.start_study(study.pk)
    return study


def _waiting(study):
    return Trial.objects.get(study=study, state="waiting")


def _returning(result):
    def evaluate_details(*args, **kwargs):
        if isinstance(result, BaseException):
            raise result
        return objectives.TrialDetails(result, None, None, (), 0.0)
    return evaluate_details


def test_a_complete_trial_stores_its_value_and_schedules_the_next(study):
    trial = _waiting(study)

    services.run_trial(trial.pk, worker="w1")

    trial.refresh_from_db()
    assert trial.state == "complete"
    assert math.isclose(trial.value, trial.params["x1"] ** 2 + trial.params["x2"] ** 2)
    assert trial.worker == "w1"
    assert Trial.objects.filter(study=study, state="waiting", number=1).exists()


@pytest.mark.parametrize("result,fragment", [
    (float("nan"), "not a finite number"),
    (float("inf"), "not a finite number"),
    (None, "not a number"),
    ("0.9", "not a number"),
    (RuntimeError("the GPU caught fire"), "the GPU caught fire"),
    (SoftTimeLimitExceeded(), "timeout"),
    (MemoryError(), "out of memory"),
], ids=["nan", "inf", "none", "string", "raises", "timeout", "memory"])
def test_a_misbehaving_objective_fails_the_trial_with_a_clear_message(study, monkeypatch, result, fragment):
    monkeypatch.setattr(objectives, "evaluate_details", _returning(result))
    trial = _waiting(study)

    services.run_trial(trial.pk)

    trial.refresh_from_db()
    assert trial.state == "failed"
    assert fragment in trial.error
    assert Study.objects.get(pk=study.pk).state == "running"


def test_running_the_same_trial_twice_runs_it_once(study, monkeypatch):
    calls = []
    monkeypatch.setattr(objectives, "evaluate_details",
                        lambda *a, **k: calls.append(1) or objectives.TrialDetails(1.0, None, None, (), 0.0))
    trial = _waiting(study)

    services.run_trial(trial.pk)
    second = services.run_trial(trial.pk)

    assert second is None
    assert len(calls) == 1


def test_a_paused_study_leaves_its_waiting_trial_alone(study):
    services.pause_study(study.pk)
    trial = _waiting(study)

    services.run_trial(trial.pk)

    trial.refresh_from_db()
    assert trial.state == "waiting"


def test_the_study_completes_when_its_budget_is_spent(study):
    for _ in range(3):
        services.run_trial(_waiting(study).pk)

    study.refresh_from_db()
    assert study.state == "completed"
    assert Trial.objects.filter(study=study).count() == 3


def test_a_pruned_trial_is_recorded_as_pruned(owner):
    study = services.create_study(owner, {
        "name": "pruned", "objective": {"kind": "sklearn", "estimator": "knn", "dataset": "iris", "cv": 3},
        "search_space": {"n_neighbors": {"type": "int", "low": 1, "high": 30}},
        "pruner": {"name": "median", "n_startup_trials": 0}, "budget": {"n_trials": 2},
    })
    services.start_study(study.pk)
    first = _waiting(study)
    services.run_trial(first.pk)
    Trial.objects.filter(pk=first.pk).update(value=1.0)
    from studies.models import TrialReport
    TrialReport.objects.filter(trial=first).update(value=1.0)

    second = _waiting(study)
    services.run_trial(second.pk)

    second.refresh_from_db()
    assert second.state == "pruned"


def test_a_memory_error_says_the_trial_ran_out_of_memory(study, monkeypatch):
    monkeypatch.setattr(objectives, "evaluate_details", _returning(MemoryError()))
    trial = _waiting(study)

    services.run_trial(trial.pk)

    trial.refresh_from_db()
    assert trial.error.startswith("ran out of memory")


def _failing_then_telling(failures):
    """The worker's tell (tell_batch) finding the database unreachable `failures` times, then working."""
    from django.db import OperationalError

    from studies.services import batches

    calls = []

    def tell(*args, **kwargs):
        calls.append(args)
        if len(calls) <= failures:
            raise OperationalError("server closed the connection unexpectedly")
        return batches.tell_batch(*args, **kwargs)
    return tell, calls


def test_a_result_computed_during_a_database_outage_is_told_once_the_database_is_back(study, monkeypatch):
    from studies.services import running

    tell, calls = _failing_then_telling(failures=3)
    reconnects = []
    monkeypatch.setattr(running, "tell_batch", tell)
    monkeypatch.setattr(running.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(running.connections, "close_all", lambda: reconnects.append(1))
    trial = _waiting(study)

    services.run_trial(trial.pk, worker="w1")

    trial.refresh_from_db()
    assert len(calls) == 4 and len(reconnects) >= 3  # the heartbeat thread closes its own too
    assert trial.state == "complete" and trial.attempts == 1


def test_a_database_outage_longer_than_the_grace_period_gives_up_telling(study, monkeypatch, settings):
    from django.db import OperationalError

    from studies.services import running

    settings.TUNER_GRACE_PERIOD_S = 3
    tell, calls = _failing_then_telling(failures=1000)
    slept = []
    monkeypatch.setattr(running, "tell_batch", tell)
    monkeypatch.setattr(running.time, "sleep", slept.append)
    monkeypatch.setattr(running.time, "monotonic", lambda: sum(slept))
    monkeypatch.setattr(running.connections, "close_all", lambda: None)
    trial = _waiting(study)

    with pytest.raises(OperationalError):
        services.run_trial(trial.pk, worker="w1")

    assert sum(slept) <= 3 and len(calls) == len(slept) + 1
    trial.refresh_from_db()
    assert trial.state == "running"  # left for the reaper, which re-runs it
