"""The reaper fails running trials whose heartbeat stopped, and retries them where the study says so."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from studies.models import Study, Trial
from studies.services import ask_trial, heartbeat_trial, tell_trial
from studies.services.heartbeat import keep_alive
from studies.services.reaper import grace_period_s, reap_stale_trials, retry_limit
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _silence(trial_id, seconds):
    """Make a trial look as if its last heartbeat was `seconds` ago."""
    Trial.objects.filter(pk=trial_id).update(heartbeat_at=timezone.now() - timedelta(seconds=seconds))


def test_a_trial_silent_past_the_grace_period_is_failed_as_worker_lost(make_study):
    study_id = make_study(grace_period_s=30)
    trial = ask_trial(study_id, worker="gpu-box:123")
    _silence(trial.pk, 31)

    reaped = reap_stale_trials()

    row = Trial.objects.get(pk=trial.pk)
    assert reaped == [trial.pk]
    assert row.state == "failed" and row.finished_at is not None
    assert row.error.startswith("worker lost: no heartbeat for 31 s") and "gpu-box:123" in row.error


def test_a_trial_within_its_grace_period_is_left_running(make_study):
    study_id = make_study(grace_period_s=30)
    trial = ask_trial(study_id)
    _silence(trial.pk, 29)

    assert reap_stale_trials() == []
    assert Trial.objects.get(pk=trial.pk).state == "running"


def test_the_default_grace_period_is_60_s_and_retries_are_off(make_study):
    study = Study.objects.get(pk=make_study())

    assert (grace_period_s(study), retry_limit(study)) == (60, 0)


def test_a_trial_without_a_heartbeat_is_judged_by_its_start(make_study):
    study_id = make_study(grace_period_s=5)
    trial = ask_trial(study_id)
    Trial.objects.filter(pk=trial.pk).update(heartbeat_at=None, started_at=timezone.now() - timedelta(seconds=6))

    assert reap_stale_trials() == [trial.pk]


def test_retry_failed_enqueues_the_same_params_up_to_n_times(make_study):
    study_id = make_study(grace_period_s=5, retry_failed=2)
    lost = ask_trial(study_id)

    asked = []
    for _ in range(3):  # the original and two retries are all lost
        _silence(asked[-1].pk if asked else lost.pk, 6)
        reap_stale_trials()
        retry = Trial.objects.filter(study_id=study_id, state="waiting").first()
        if retry is None:
            break
        asked.append(ask_trial(study_id))
        assert asked[-1].pk == retry.pk, "a waiting retry is handed out before new params"

    retries = Trial.objects.filter(study_id=study_id, origin="retry")
    assert retries.count() == 2
    assert all(params == lost.params for params in retries.values_list("params", flat=True))
    assert not Trial.objects.filter(study_id=study_id, state__in=("waiting", "running")).exists()


def test_a_late_tell_after_the_reaper_answers_conflict_and_changes_nothing(make_study):
    from studies.services import Conflict

    study_id = make_study(grace_period_s=5)
    trial = ask_trial(study_id)
    _silence(trial.pk, 6)
    reap_stale_trials()

    with pytest.raises(Conflict):
        tell_trial(trial.pk, value=0.5)
    assert Trial.objects.get(pk=trial.pk).state == "failed"


def test_two_reapers_at_once_fail_and_retry_each_trial_once(make_study):
    study_id = make_study(grace_period_s=5, retry_failed=3)
    trials = [ask_trial(study_id) for _ in range(3)]
    for trial in trials:
        _silence(trial.pk, 6)
    results, start = [], threading.Barrier(2)

    def reap():
        start.wait()
        try:
            results.append(reap_stale_trials())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(pk for reaped in results for pk in reaped) == sorted(t.pk for t in trials)
    assert Trial.objects.filter(study_id=study_id, origin="retry").count() == 3


def test_a_heartbeat_keeps_a_slow_trial_alive(make_study):
    study_id = make_study(grace_period_s=5)
    trial = ask_trial(study_id)
    _silence(trial.pk, 6)

    heartbeat_trial(trial.pk)

    assert reap_stale_trials() == []


def test_keep_alive_sends_heartbeats_from_a_thread_while_the_block_runs(make_study):
    trial = ask_trial(make_study())
    _silence(trial.pk, 100)
    before = Trial.objects.get(pk=trial.pk).heartbeat_at

    with keep_alive(trial.pk, interval_s=0.05):
        wait_for(lambda: Trial.objects.get(pk=trial.pk).heartbeat_at > before, timeout_s=10, interval_s=0.05)
        during = Trial.objects.get(pk=trial.pk).heartbeat_at
    time.sleep(0.2)

    assert during > before + timedelta(seconds=99)
    assert not [t for t in threading.enumerate() if t.name == f"heartbeat-{trial.pk}"], "the thread ends with the block"


def _built_in_trial_of_a_dead_worker(api, attempts):
    """A one-trial built-in study whose trial 0 a worker claimed and died on: running, silent for 61 s."""
    body = {"name": "sphere", "objective": {"kind": "function", "name": "sphere"},
            "search_space": {"x": {"type": "float", "low": -1.0, "high": 1.0}},
            "budget": {"n_trials": 1, "parallelism": 1}}
    study_id = api.post("/api/studies/", body, format="json").data["id"]
    Study.objects.filter(pk=study_id).update(state="running", started_at=timezone.now(), next_number=1)
    lost = Trial.objects.create(study_id=study_id, number=0, params={"x": 0.5}, state="running", worker="dead-box",
                                attempts=attempts, started_at=timezone.now(),
                                heartbeat_at=timezone.now() - timedelta(seconds=61))
    return study_id, lost


@pytest.mark.e2e
def test_a_built_in_trial_whose_worker_died_runs_again_with_the_same_number_and_params(api, celery_worker_process):
    study_id, lost = _built_in_trial_of_a_dead_worker(api, attempts=1)

    reap_stale_trials()
    done = wait_for(lambda: Trial.objects.filter(pk=lost.pk, state="complete").first(), timeout_s=60)

    assert done.params == {"x": 0.5} and done.value == pytest.approx(0.25)
    assert done.attempts == 2
    assert Trial.objects.filter(study_id=study_id).count() == 1
    assert wait_for(lambda: Study.objects.get(pk=study_id).state == "completed", timeout_s=30)


def test_a_built_in_trial_lost_on_every_attempt_fails_as_poison(api):
    study_id, lost = _built_in_trial_of_a_dead_worker(api, attempts=3)

    with override_settings(TUNER_MAX_ATTEMPTS=3):
        reap_stale_trials()

    lost.refresh_from_db()
    assert lost.state == "failed"
    assert lost.error.startswith("poison")
    assert Study.objects.get(pk=study_id).state == "completed"
