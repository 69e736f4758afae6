"""services.run_trial, in process: while trials run quickly, the worker that finishes one runs the
study's next trial itself (TUNER_TRIAL_CHAIN_S) instead of sending it through the queue."""

import pytest

from studies import objectives, services
from studies.models import Study, Trial
from studies.services import running

from .quick_studies import first_waiting, quick_study, trials_of

pytestmark = pytest.mark.django_db


def test_a_quick_trial_runs_the_studys_next_trials_on_the_same_worker(owner, settings):
    settings.TUNER_TRIAL_CHAIN_S = 60
    study = quick_study(owner, n_trials=3)

    services.run_trial(first_waiting(study).pk, worker="w1")

    trials = trials_of(study)
    assert [t.number for t in trials] == [0, 1, 2]
    assert [t.state for t in trials] == ["complete"] * 3
    assert [(t.worker, t.attempts) for t in trials] == [("w1", 1)] * 3
    assert all(t.value == pytest.approx(t.params["x"] ** 2) for t in trials)
    assert Study.objects.get(pk=study.pk).state == "completed"


def test_the_chain_ends_when_its_time_is_up_and_the_next_trial_goes_through_the_queue(owner, settings, monkeypatch):
    settings.TUNER_TRIAL_CHAIN_S = 1
    clock = [0.0]
    monkeypatch.setattr(running.time, "monotonic", lambda: clock[0])

    def slow_sphere(*args, **kwargs):
        clock[0] += 0.6
        return objectives.TrialDetails(1.0, None, None, (), 0.0)

    monkeypatch.setattr(objectives, "evaluate_details", slow_sphere)
    study = quick_study(owner, n_trials=5)

    services.run_trial(first_waiting(study).pk, worker="w1")

    trials = trials_of(study)
    assert [t.state for t in trials] == ["complete", "complete", "waiting"]
    assert trials[2].enqueued_at is not None and trials[2].worker == ""


def test_the_chained_worker_takes_only_the_slot_its_trial_freed(owner, settings):
    settings.TUNER_TRIAL_CHAIN_S = 60
    study = quick_study(owner, n_trials=3, parallelism=2)
    first, second = trials_of(study)

    services.run_trial(first.pk, worker="w1")

    trials = trials_of(study)
    assert [(t.number, t.state) for t in trials] == [(0, "complete"), (1, "waiting"), (2, "complete")]
    assert trials[1].pk == second.pk and trials[2].worker == "w1"
    services.run_trial(second.pk, worker="w2")
    assert Study.objects.get(pk=study.pk).state == "completed"


def test_trials_enqueued_by_hand_end_the_chain_and_go_first_through_the_queue(owner, settings):
    settings.TUNER_TRIAL_CHAIN_S = 60
    study = quick_study(owner, n_trials=5)
    first = first_waiting(study)
    manual = services.enqueue_trial(study.pk, {"x": 0.5})  # held: the one slot is taken

    services.run_trial(first.pk, worker="w1")

    trials = trials_of(study)
    assert [(t.number, t.state) for t in trials] == [(0, "complete"), (1, "waiting")]
    assert trials[1].pk == manual.pk and trials[1].enqueued_at is not None


def test_a_study_paused_during_a_trial_ends_the_chain(owner, settings, monkeypatch):
    settings.TUNER_TRIAL_CHAIN_S = 60
    study = quick_study(owner, n_trials=5)

    def pausing_sphere(*args, **kwargs):
        services.pause_study(study.pk)
        return objectives.TrialDetails(1.0, None, None, (), 0.0)

    monkeypatch.setattr(objectives, "evaluate_details", pausing_sphere)

    services.run_trial(first_waiting(study).pk, worker="w1")

    assert [(t.number, t.state) for t in trials_of(study)] == [(0, "complete")]
    assert not Trial.objects.filter(study=study, state="running").exists()
