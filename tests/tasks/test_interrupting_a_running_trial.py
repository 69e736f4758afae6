"""End to end, on a real worker: stopping, pausing or deleting a study interrupts its running
built-in trial at the next fold or training stage, instead of letting it run to its time limit."""

import time

import pytest

from studies.models import Trial, TrialReport
from tests.conftest import wait_for
from tuner_site.celery import app

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# One trial of boosting that would train for about a minute: 1,500 rounds on 10 classes, 5 folds.
SLOW = {
    "name": "slow boosting",
    "objective": {"kind": "sklearn", "estimator": "hist_gradient_boosting", "dataset": "digits",
                  "metric": "accuracy", "cv": 5},
    "search_space": {"max_iter": {"type": "categorical", "choices": [1500]},
                     "learning_rate": {"type": "categorical", "choices": [0.01]}},
    "sampler": {"name": "random", "seed": 1},
    "budget": {"n_trials": 1, "parallelism": 1},
}
# The worker looks every 0.5 s, between folds of a stage; the bound here is loose on purpose
# (a shared CI machine), and far below the minute the trial would otherwise run.
ENDS_WITHIN_S = 10


def _running_and_reporting(api):
    study_id = api.post("/api/studies/", SLOW, format="json").data["id"]
    api.post(f"/api/studies/{study_id}/start/")
    trial = wait_for(lambda: Trial.objects.filter(study_id=study_id, state="running", reports__isnull=False).first(),
                     timeout_s=120)
    return study_id, trial


def _state_after(trial, *states):
    return wait_for(lambda: Trial.objects.filter(pk=trial.pk, state__in=states).first(), timeout_s=ENDS_WITHIN_S)


def test_stopping_the_study_stops_its_running_trial_as_stopped(api, celery_worker_process):
    study_id, trial = _running_and_reporting(api)

    api.post(f"/api/studies/{study_id}/stop/")
    started = time.monotonic()
    ended = _state_after(trial, "stopped", "failed", "complete")

    assert ended.state == "stopped" and "the study was stopped" in ended.error
    assert time.monotonic() - started < ENDS_WITHIN_S


def test_pausing_puts_the_running_trial_back_to_wait_and_resuming_runs_it_again(api, celery_worker_process):
    study_id, trial = _running_and_reporting(api)

    api.post(f"/api/studies/{study_id}/pause/")
    waiting = _state_after(trial, "waiting", "failed", "stopped")

    assert waiting.state == "waiting" and waiting.attempts == 0 and waiting.worker == ""
    assert not TrialReport.objects.filter(trial=trial).exists()
    api.post(f"/api/studies/{study_id}/resume/")
    assert wait_for(lambda: Trial.objects.filter(pk=trial.pk, state="running", attempts=1).exists(), timeout_s=30)
    api.post(f"/api/studies/{study_id}/stop/")
    assert _state_after(trial, "stopped", "failed").state == "stopped"


def test_deleting_the_study_frees_its_worker(api, celery_worker_process):
    study_id, _ = _running_and_reporting(api)
    worker = f"{celery_worker_process.args[celery_worker_process.args.index('--hostname') + 1].split('@')[0]}@"

    api.delete(f"/api/studies/{study_id}/")

    def idle():
        active = app.control.inspect(timeout=1).active() or {}
        ours = [name for name in active if name.startswith(worker)]
        return bool(ours) and not any(active[name] for name in ours)
    assert wait_for(idle, timeout_s=ENDS_WITHIN_S)
