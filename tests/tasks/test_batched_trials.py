"""services.run_trial, in process: a worker whose trials take milliseconds is handed several at
once and tells them together (services/batches.py); every guarantee of one trial at a time holds."""

import pytest

from studies import objectives, services
from studies.models import Study, Trial, TrialReport
from studies.services import batches, running, scheduling
from studies.services.clock import db_now
from studies.services.reaper import reap_stale_trials

from .quick_studies import first_waiting, quick_study, trials_of

pytestmark = pytest.mark.django_db


class _Killed(BaseException):
    """What the worker's death looks like from inside its process: nothing after it runs."""


@pytest.fixture(autouse=True)
def _batches_of_four(settings):
    settings.TUNER_TRIAL_CHAIN_S = 60
    settings.TUNER_TRIAL_BATCH_MS = 50
    settings.TUNER_TRIAL_BATCH_MAX = 4
    settings.TUNER_TRIAL_BATCH_BUDGET_SHARE = 1  # the mechanics on short studies; the share alone below


@pytest.fixture
def told_sizes(monkeypatch):
    """How many trials each of the worker's tells recorded, in order."""
    sizes = []

    def tell(worker, told, unrun=(), n_next=0):
        sizes.append(len(told))
        return batches.tell_batch(worker, told, unrun, n_next)

    monkeypatch.setattr(running, "tell_batch", tell)
    return sizes


def _objective(monkeypatch, on_call):
    """The study's objective replaced by one that calls on_call(n) on its n-th call (from 1) and
    returns 1.0, unless on_call returns something else to answer."""
    calls = []

    def evaluate_details(spec, params, report=None, **kwargs):
        calls.append(params)
        answer = on_call(len(calls), report)
        return objectives.TrialDetails(1.0 if answer is None else answer, None, None, (), 0.0)

    monkeypatch.setattr(objectives, "evaluate_details", evaluate_details)
    return calls


def test_quick_trials_are_handed_out_in_batches_and_all_recorded(owner, told_sizes):
    study = quick_study(owner, n_trials=10)

    services.run_trial(first_waiting(study).pk, worker="w1")

    trials = trials_of(study)
    assert told_sizes == [1, 4, 4, 1]
    assert [t.number for t in trials] == list(range(10))
    assert all(t.state == "complete" and t.worker == "w1" and t.attempts == 1 for t in trials)
    assert all(t.value == pytest.approx(t.params["x"] ** 2) for t in trials)
    assert all(t.started_at is not None and t.finished_at >= t.started_at for t in trials)
    assert Study.objects.get(pk=study.pk).state == "completed"


def test_a_study_whose_trials_take_over_half_the_batch_time_is_never_batched(owner, told_sizes, monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(running.time, "monotonic", lambda: clock[0])
    reserved_seen = []

    def slow(n, report):
        clock[0] += 0.03  # more than half of TUNER_TRIAL_BATCH_MS
        reserved_seen.append(Trial.objects.filter(scheduling.RESERVED).count())

    _objective(monkeypatch, slow)
    study = quick_study(owner, n_trials=5)

    services.run_trial(first_waiting(study).pk, worker="w1")

    assert told_sizes == [1, 1, 1, 1, 1]
    assert reserved_seen == [0] * 5
    assert [t.state for t in trials_of(study)] == ["complete"] * 5


def test_a_stop_during_a_batch_stops_its_trials_not_yet_told(owner, monkeypatch):
    study = quick_study(owner, n_trials=10)
    # The third call is the second trial of the first batch of four (trials 1 to 4).
    _objective(monkeypatch, lambda n, report: services.stop_study(study.pk) if n == 3 else None)

    services.run_trial(first_waiting(study).pk, worker="w1")

    states = [(t.number, t.state) for t in trials_of(study)]
    assert states == [(0, "complete"), (1, "complete"), (2, "stopped"), (3, "stopped"), (4, "stopped")]
    assert Study.objects.get(pk=study.pk).state == "stopped"


def test_a_pause_during_a_batch_gives_its_trials_not_yet_told_back_to_wait_for_a_slot(owner, monkeypatch):
    study = quick_study(owner, n_trials=10)
    _objective(monkeypatch, lambda n, report: services.pause_study(study.pk) if n == 3 else None)

    services.run_trial(first_waiting(study).pk, worker="w1")

    trials = trials_of(study)
    assert [(t.number, t.state) for t in trials] == [(0, "complete"), (1, "complete")] + [
        (n, "waiting") for n in (2, 3, 4)]
    assert all(t.worker == "" and t.heartbeat_at is None and t.attempts == 0 for t in trials[2:])


def test_trials_given_back_by_a_pause_are_sent_to_the_workers_on_resume(owner, monkeypatch):
    study = quick_study(owner, n_trials=10)
    _objective(monkeypatch, lambda n, report: services.pause_study(study.pk) if n == 3 else None)
    services.run_trial(first_waiting(study).pk, worker="w1")

    services.resume_study(study.pk)

    waiting = [t for t in trials_of(study) if t.state == "waiting"]
    assert [t.number for t in waiting] == [2, 3, 4]
    assert [t.enqueued_at is not None for t in waiting] == [True, False, False]  # parallelism 1


def test_a_worker_killed_mid_batch_loses_no_trial_and_records_each_once(owner, monkeypatch, settings):
    study = quick_study(owner, n_trials=5)
    first = first_waiting(study)

    def die_in_the_batch(n, report):
        if n == 3:
            raise _Killed()

    _objective(monkeypatch, die_in_the_batch)
    with pytest.raises(_Killed):
        services.run_trial(first.pk, worker="w1")
    held = [(t.number, t.state, t.worker) for t in trials_of(study)]
    assert held == [(0, "complete", "w1"), (1, "running", "w1")] + [(n, "waiting", "w1") for n in (2, 3, 4)]

    settings.TUNER_TRIAL_CHAIN_S = 0  # from here trials go one per message, as the queue sends them
    reap_stale_trials(now=db_now() + _past_grace(study))
    while (trial := Trial.objects.filter(study=study, state="waiting", enqueued_at__isnull=False).first()):
        services.run_trial(trial.pk, worker="w2")

    trials = trials_of(study)
    assert [(t.number, t.state) for t in trials] == [(n, "complete") for n in range(5)]
    assert [t.attempts for t in trials] == [1, 2, 1, 1, 1]  # only the running one used an attempt
    assert Study.objects.get(pk=study.pk).state == "completed"


def _past_grace(study):
    from datetime import timedelta

    return timedelta(seconds=study.grace_period_s + 1)


def test_the_parallelism_holds_while_batches_run(owner, monkeypatch):
    study = quick_study(owner, n_trials=12, parallelism=2)
    slots_used = []

    def count_slots(n, report):
        pending = Trial.objects.filter(study=study)
        slots_used.append(pending.filter(state="running").count()
                          + pending.filter(state="waiting", enqueued_at__isnull=False).count())

    _objective(monkeypatch, count_slots)
    first, second = trials_of(study)

    services.run_trial(first.pk, worker="w1")
    services.run_trial(second.pk, worker="w2")

    assert max(slots_used) <= 2
    assert Trial.objects.filter(study=study).count() == 12
    assert all(t.state == "complete" for t in trials_of(study))


def test_a_reserved_trial_reports_intermediate_values_like_a_running_one(owner, monkeypatch):
    study = quick_study(owner, n_trials=5)
    _objective(monkeypatch, lambda n, report: report(0, float(n)))

    services.run_trial(first_waiting(study).pk, worker="w1")

    assert TrialReport.objects.filter(trial__study=study).count() == 5
    assert all(t.state == "complete" for t in trials_of(study))


def test_a_message_for_a_reserved_trial_does_not_run_it(owner, monkeypatch):
    study = quick_study(owner, n_trials=10)
    claims = []

    def claim_a_reserved_one(n, report):
        if n == 3:
            reserved = Trial.objects.filter(scheduling.RESERVED, study=study).order_by("number").last()
            claims.append((reserved.number, services.claim_trial(reserved.pk, "w2")))

    _objective(monkeypatch, claim_a_reserved_one)

    services.run_trial(first_waiting(study).pk, worker="w1")

    assert claims == [(4, None)]
    assert Trial.objects.get(study=study, number=4).worker == "w1"


def test_a_grid_handed_out_in_batches_covers_its_points_once(owner, told_sizes):
    study = services.create_study(owner, {
        "name": "grid", "objective": {"kind": "function", "name": "sphere"}, "sampler": {"name": "grid"},
        "search_space": {"x": {"type": "int", "low": -4, "high": 4}},
        "budget": {"n_trials": 100, "parallelism": 1},
    })
    services.start_study(study.pk)

    services.run_trial(first_waiting(study).pk, worker="w1")

    points = [t.params["x"] for t in trials_of(study)]
    assert max(told_sizes) == 4
    assert sorted(points) == list(range(-4, 5))
    assert Study.objects.get(pk=study.pk).state == "completed"


def test_the_heartbeats_of_a_batch_renew_the_lease_of_its_reserved_trials(owner, monkeypatch):
    study = quick_study(owner, n_trials=5)
    leases = []

    def beat_once(n, report):
        if n == 3:
            held = Trial.objects.filter(study=study, state__in=("running", "waiting"))
            before = dict(held.values_list("number", "heartbeat_at"))
            batches.heartbeat_trials([t.pk for t in held])
            leases.append((before, dict(held.values_list("number", "heartbeat_at"))))

    _objective(monkeypatch, beat_once)

    services.run_trial(first_waiting(study).pk, worker="w1")

    before, after = leases[0]
    assert sorted(after) == [1, 2, 3, 4]
    assert all(after[n] > before[n] for n in after)


def test_a_short_study_is_handed_out_no_more_than_a_tenth_of_its_budget_at_a_time(owner, told_sizes, settings):
    settings.TUNER_TRIAL_BATCH_BUDGET_SHARE = 0.1
    study = quick_study(owner, n_trials=20)

    services.run_trial(first_waiting(study).pk, worker="w1")

    assert told_sizes == [1] + [2] * 9 + [1]
    assert [t.state for t in trials_of(study)] == ["complete"] * 20


def test_the_tenth_of_the_budget_is_shared_between_the_studys_slots(owner, told_sizes, settings):
    settings.TUNER_TRIAL_BATCH_BUDGET_SHARE = 0.1
    study = quick_study(owner, n_trials=40, parallelism=2)

    services.run_trial(first_waiting(study).pk, worker="w1")

    assert max(told_sizes) == 2
