"""The baseline of a built-in study's data: asked for when the study starts, computed once per
dataset, target, metric and folds, read by every study on the same data, repaired when lost."""

from datetime import timedelta

import pytest
from django.utils import timezone
from sklearn.datasets import load_iris

from studies import objectives, services
from studies.models import Baseline
from studies.services import baselines, dispatch, read, reconcile

from tests.roles import IRIS

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch, django_capture_on_commit_callbacks):
    """The jobs sent to the workers, as (task name, id), once each transaction commits; none runs."""
    jobs = []
    monkeypatch.setattr(dispatch, "_send", lambda name, pk: jobs.append((name, pk)))

    class Capture:
        def __call__(self):
            return django_capture_on_commit_callbacks(execute=True)

        def named(self, name):
            return [pk for task, pk in jobs if task == name]

    return Capture()


def _start(owner, objective=IRIS, **fields):
    study = services.create_study(owner, {
        "name": "iris", "objective": objective, "budget": {"n_trials": 2},
        "search_space": {"C": {"type": "float", "low": 0.01, "high": 100, "log": True}}, **fields})
    return services.start_study(study.pk)


def test_starting_a_built_in_study_queues_its_baseline_and_sends_it(owner, sent):
    with sent():
        study = _start(owner)

    baseline = Baseline.objects.get()
    assert (baseline.dataset, baseline.target, baseline.metric, baseline.cv) == ("iris", "", "accuracy", 3)
    assert baseline.state == "queued" and baseline.sent_at is not None
    assert read.baseline_of(study) is None
    assert sent.named(dispatch.COMPUTE_BASELINE) == [baseline.pk]


def test_a_computed_baseline_is_the_constant_guess_on_the_same_folds(owner):
    study = _start(owner)

    state = services.compute_baseline(Baseline.objects.get().pk)

    assert state == "ready"
    y = load_iris().target
    assert read.baseline_of(study) == objectives.compute_baseline(y, "classification", "accuracy", cv=3)
    assert Baseline.objects.get().roles == {"majority": 0, "positive": None}


def test_a_second_study_on_the_same_data_and_metric_reuses_the_baseline(owner, sent):
    first = _start(owner)
    services.compute_baseline(Baseline.objects.get().pk)

    with sent():
        second = _start(owner)

    assert Baseline.objects.count() == 1
    assert sent.named(dispatch.COMPUTE_BASELINE) == []
    assert read.baseline_of(second) == read.baseline_of(first)


def test_another_metric_has_its_own_baseline(owner):
    _start(owner)

    _start(owner, objective={**IRIS, "metric": "log_loss"}, direction="minimize")

    assert sorted(Baseline.objects.values_list("metric", flat=True)) == ["accuracy", "log_loss"]


def test_a_study_of_external_code_has_no_baseline(owner):
    study = _start(owner, objective={"kind": "external"}, direction="minimize")

    assert Baseline.objects.count() == 0
    assert read.baseline_of(study) is None


def test_a_duplicate_delivery_computes_nothing(owner):
    _start(owner)
    baseline = Baseline.objects.get()
    services.compute_baseline(baseline.pk)

    again = services.compute_baseline(baseline.pk)

    assert again is None


def test_a_failed_baseline_records_why(owner):
    _start(owner)
    baseline = Baseline.objects.get()
    Baseline.objects.filter(pk=baseline.pk).update(objective={**IRIS, "cv": 200})

    state = services.compute_baseline(baseline.pk)

    baseline.refresh_from_db()
    assert state == "failed"
    assert "fewer than the 200 folds" in baseline.error


def test_the_next_start_asks_again_for_a_failed_baseline(owner, sent):
    _start(owner)
    Baseline.objects.update(state="failed", error="the worker stopped")

    with sent():
        _start(owner)

    baseline = Baseline.objects.get()
    assert baseline.state == "queued" and baseline.error == ""
    assert sent.named(dispatch.COMPUTE_BASELINE) == [baseline.pk]


def test_the_reconciler_resends_a_queued_baseline_whose_message_is_old(owner, settings, sent):
    _start(owner)
    old = timezone.now() - timedelta(seconds=settings.TUNER_RESEND_AFTER_S + 5)
    Baseline.objects.update(sent_at=old)

    with sent():
        resent, failed = baselines.repair(timezone.now())

    assert (resent, failed) == (1, 0)
    assert Baseline.objects.get().sent_at > old
    assert sent.named(dispatch.COMPUTE_BASELINE) == [Baseline.objects.get().pk]


def test_the_reconciler_fails_a_running_baseline_whose_worker_is_gone(owner, settings):
    _start(owner)
    long_ago = timezone.now() - timedelta(seconds=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S + 120)
    Baseline.objects.update(state="running", started_at=long_ago)

    reconcile()

    baseline = Baseline.objects.get()
    assert baseline.state == "failed" and "worker stopped" in baseline.error
