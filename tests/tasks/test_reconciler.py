"""The reconciler keeps the database and the queue in step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from studies import services
from studies.models import Study, Trial

pytestmark = pytest.mark.django_db


@pytest.fixture
def running_study(owner, django_capture_on_commit_callbacks):
    study = services.create_study(owner, {
        "name": "sphere", "objective": {"kind": "function", "name": "sphere"},
        "search_space": {"x": {"type": "float", "low": -1, "high": 1}},
        "budget": {"n_trials": 4, "parallelism": 2},
    })
    with django_capture_on_commit_callbacks():
        services.start_study(study.pk)
    return study


def test_a_waiting_trial_with_an_old_message_is_sent_again(running_study, settings, django_capture_on_commit_callbacks):
    settings.TUNER_RESEND_AFTER_S = 60
    Trial.objects.filter(study=running_study).update(enqueued_at=timezone.now() - timedelta(seconds=61))

    with django_capture_on_commit_callbacks() as sent:
        result = services.reconcile()

    assert result["resent"] == 2
    assert len(sent) == 2
    assert all(t > timezone.now() - timedelta(seconds=5) for t in Trial.objects.values_list("enqueued_at", flat=True))


def test_a_recent_message_is_not_sent_again(running_study, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        result = services.reconcile()

    assert result["resent"] == 0
    assert sent == []


def test_a_running_study_with_nothing_pending_is_topped_up(running_study, django_capture_on_commit_callbacks):
    Trial.objects.filter(study=running_study).delete()

    with django_capture_on_commit_callbacks():
        services.reconcile()

    assert Trial.objects.filter(study=running_study, state="waiting").count() == 2


def test_a_running_study_whose_budget_is_spent_is_completed(running_study):
    Trial.objects.filter(study=running_study).update(state="complete", value=1.0)
    Study.objects.filter(pk=running_study.pk).update(next_number=4)

    services.reconcile()

    assert Study.objects.get(pk=running_study.pk).state == "completed"


def test_a_stale_worker_cannot_tell_a_trial_handed_to_another(running_study):
    trial = Trial.objects.filter(study=running_study).first()
    services.claim_trial(trial.pk, "first")
    Trial.objects.filter(pk=trial.pk).update(state="waiting", heartbeat_at=None)  # as the reaper gives it up
    services.claim_trial(trial.pk, "second")

    with pytest.raises(services.Conflict, match="another worker"):
        services.tell_trial(trial.pk, value=1.0, attempt=1)
    told = services.tell_trial(trial.pk, value=2.0, attempt=2)

    assert told.value == 2.0


def test_start_answers_busy_and_changes_nothing_when_the_queue_is_unreachable(owner, settings):
    from tuner_site.celery import app

    study = services.create_study(owner, {
        "name": "x", "objective": {"kind": "function", "name": "sphere"},
        "search_space": {"x": {"type": "float", "low": -1, "high": 1}}, "budget": {"n_trials": 2},
    })
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with pytest.raises(services.Busy):
            services.start_study(study.pk)
    finally:
        app.conf.broker_url = previous

    assert Study.objects.get(pk=study.pk).state == "created"
    assert not Trial.objects.filter(study=study).exists()


def test_a_trial_killed_at_the_hard_time_limit_fails_once_as_timeout(running_study, settings):
    settings.TUNER_TRIAL_HARD_TIME_LIMIT_S = 60
    settings.TUNER_HEARTBEAT_INTERVAL_S = 5
    trial = Trial.objects.filter(study=running_study).first()
    services.claim_trial(trial.pk, "w")
    started = timezone.now() - timedelta(seconds=200)
    Trial.objects.filter(pk=trial.pk).update(started_at=started, heartbeat_at=started + timedelta(seconds=58))

    services.reconcile()

    trial.refresh_from_db()
    assert trial.state == "failed"
    assert trial.error.startswith("timeout")


def test_the_database_clock_is_timezone_aware_and_close_to_ours():
    from studies.services.clock import db_now

    skew = abs((db_now() - timezone.now()).total_seconds())

    assert skew < 5


def test_a_manual_trial_held_for_a_slot_is_not_sent_by_the_resend(running_study, settings,
                                                                    django_capture_on_commit_callbacks):
    held = services.enqueue_trial(running_study.pk, {"x": 0.5})  # both slots are taken by the sampler

    with django_capture_on_commit_callbacks() as sent:
        services.reconcile()

    assert sent == []
    assert Trial.objects.get(pk=held.pk).enqueued_at is None
