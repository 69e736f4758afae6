"""Preparing the best model: a worker refits the best trial once, stores the model and its text,
and records why when it cannot; the next request reuses a ready export until the best changes."""

from datetime import timedelta
from pathlib import Path

import joblib
import numpy as np
import pytest
import sklearn
from django.utils import timezone
from sklearn.datasets import load_iris

from studies.models import ModelExport, Trial
from studies.objectives import refit
from studies.services import Conflict, model_exports, read, reconcile

from tests.roles import IRIS, add_trials, iris_study, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _prepare_and_refit(study, user, django_capture_on_commit_callbacks):
    """What the page and a worker do: prepare (its message captured, not sent), then refit."""
    with django_capture_on_commit_callbacks():
        export, _ = model_exports.prepare_best_model(study.pk, user)
    model_exports.refit_model(export.pk)
    return ModelExport.objects.get(pk=export.pk)


def _add_a_better_trial(study):
    """Trial #3 with C = 2.0 becomes the best, above #1's 0.97."""
    Trial.objects.create(study=study, number=3, state="complete", value=0.99, params={"C": 2.0},
                         finished_at=timezone.now())


def test_a_ready_export_holds_the_refitted_model_its_text_and_its_trial(iris_study, people,
                                                                        django_capture_on_commit_callbacks):
    export = _prepare_and_refit(iris_study, people["viewer"], django_capture_on_commit_callbacks)

    model = joblib.load(export.file.path)
    X, y = load_iris(return_X_y=True)
    assert export.state == "ready" and export.error == "" and export.finished_at is not None
    assert export.trial.number == 1 and export.requested_by == people["viewer"]
    assert model.named_steps["model"].C == 7.5
    assert (model.predict(X) == y).mean() > 0.9
    assert "STUDY_ID, TRIAL, SCORE = " in export.text and f"scikit-learn {sklearn.__version__}" in export.text


def test_the_text_rebuilds_the_same_model(iris_study, people, django_capture_on_commit_callbacks):
    export = _prepare_and_refit(iris_study, people["owner"], django_capture_on_commit_callbacks)

    scope = {}
    exec(compile(export.text.split("# To rebuild and refit it yourself:")[1], "snippet", "exec"), scope)  # noqa: S102

    X, _ = load_iris(return_X_y=True)
    assert np.array_equal(scope["model"].predict(X), joblib.load(export.file.path).predict(X))


def test_preparing_sends_one_message_after_commit(iris_study, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        export, created = model_exports.prepare_best_model(iris_study.pk, people["owner"])

    assert created and export.state == "queued" and export.trial.number == 1
    assert len(sent) == 1


def test_a_failing_refit_marks_the_export_failed_with_the_reason(iris_study, people, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    def explode(spec, params, dataset_path=None):
        raise ValueError("Input contains NaN")
    monkeypatch.setattr(refit, "refit", explode)

    export = _prepare_and_refit(iris_study, people["owner"], django_capture_on_commit_callbacks)

    assert export.state == "failed" and not export.file
    assert export.error == "the refit failed: ValueError: Input contains NaN"


def test_a_deleted_dataset_fails_the_export_with_a_clear_message(people, django_capture_on_commit_callbacks):
    study = make_study(people["owner"], space={"C": {"type": "float", "low": 0.1, "high": 10}}, directions=["maximize"],
                       objective={**IRIS, "dataset": "csv:999999", "target": "species"})
    add_trials(study, [("complete", 0.9, {"C": 1.0})])

    export = _prepare_and_refit(study, people["owner"], django_capture_on_commit_callbacks)

    assert (export.state, export.error) == ("failed", "the study's dataset was deleted")


def test_preparing_again_reuses_the_ready_export_without_a_second_refit(iris_study, people,
                                                                         django_capture_on_commit_callbacks):
    ready = _prepare_and_refit(iris_study, people["owner"], django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks() as sent:
        again, created = model_exports.prepare_best_model(iris_study.pk, people["editor"])

    assert (again.pk, again.state, created) == (ready.pk, "ready", False)
    assert sent == [] and ModelExport.objects.count() == 1


def test_preparing_while_one_is_queued_reuses_it(iris_study, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        first, _ = model_exports.prepare_best_model(iris_study.pk, people["owner"])

    with django_capture_on_commit_callbacks() as sent:
        again, created = model_exports.prepare_best_model(iris_study.pk, people["viewer"])

    assert (again.pk, created, sent) == (first.pk, False, [])


def test_a_new_best_trial_gets_a_new_export(iris_study, people, django_capture_on_commit_callbacks):
    old = _prepare_and_refit(iris_study, people["owner"], django_capture_on_commit_callbacks)
    _add_a_better_trial(iris_study)

    with django_capture_on_commit_callbacks() as sent:
        new, created = model_exports.prepare_best_model(iris_study.pk, people["owner"])

    assert created and new.pk != old.pk and new.trial.number == 3
    assert len(sent) == 1
    assert read.latest_model_export(iris_study).pk == new.pk


def test_until_the_new_export_is_ready_the_old_one_is_served_and_flagged_as_no_longer_best(
        iris_study, people, django_capture_on_commit_callbacks):
    old = _prepare_and_refit(iris_study, people["owner"], django_capture_on_commit_callbacks)
    _add_a_better_trial(iris_study)

    served = model_exports.ready_model_export(iris_study)

    assert served.pk == old.pk
    assert read.latest_model_export(iris_study).is_best is False


def test_a_ready_export_deletes_the_older_ones_and_their_files(iris_study, people, django_capture_on_commit_callbacks):
    old = _prepare_and_refit(iris_study, people["owner"], django_capture_on_commit_callbacks)
    _add_a_better_trial(iris_study)

    with django_capture_on_commit_callbacks():
        new, _ = model_exports.prepare_best_model(iris_study.pk, people["owner"])

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion commits
        model_exports.refit_model(new.pk)

    new.refresh_from_db()
    assert list(ModelExport.objects.values_list("pk", flat=True)) == [new.pk]
    assert not Path(old.file.path).exists() and Path(new.file.path).exists()


def test_a_duplicate_delivery_does_nothing(iris_study, people, django_capture_on_commit_callbacks):
    export = _prepare_and_refit(iris_study, people["owner"], django_capture_on_commit_callbacks)

    assert model_exports.refit_model(export.pk) is None
    assert ModelExport.objects.get(pk=export.pk).finished_at == export.finished_at


def test_a_deleted_export_is_not_refitted(iris_study, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        export, _ = model_exports.prepare_best_model(iris_study.pk, people["owner"])
    ModelExport.objects.filter(pk=export.pk).delete()

    assert model_exports.refit_model(export.pk) is None


@pytest.mark.parametrize("objective,trials,reason", [
    ({"kind": "external"}, [("complete", 0.9, {"C": 1.0})], "only studies of a built-in scikit-learn model"),
    (IRIS, [("running", None, {"C": 1.0})], "no complete trial yet"),
])
def test_a_study_without_a_model_is_refused_and_nothing_is_stored(people, objective, trials, reason):
    study = make_study(people["owner"], space={"C": {"type": "float", "low": 0.1, "high": 10}},
                       directions=["maximize"], objective=objective)
    add_trials(study, trials)

    with pytest.raises(Conflict, match=reason):
        model_exports.prepare_best_model(study.pk, people["owner"])

    assert not ModelExport.objects.exists()


def test_a_queued_export_whose_message_may_be_lost_is_sent_again_by_the_reconciler(
        iris_study, people, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        export, _ = model_exports.prepare_best_model(iris_study.pk, people["owner"])
    ModelExport.objects.filter(pk=export.pk).update(
        sent_at=timezone.now() - timedelta(seconds=settings.TUNER_RESEND_AFTER_S + 1))

    with django_capture_on_commit_callbacks() as sent:
        done = reconcile()

    assert len(sent) == 1 and done["exports_resent"] == 1


def test_looking_at_an_export_repairs_nothing(iris_study, people, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        export, _ = model_exports.prepare_best_model(iris_study.pk, people["owner"])
    ModelExport.objects.filter(pk=export.pk).update(
        sent_at=timezone.now() - timedelta(seconds=settings.TUNER_RESEND_AFTER_S + 1))

    with django_capture_on_commit_callbacks() as sent:
        seen = read.latest_model_export(iris_study)

    assert sent == [] and seen.state == "queued"


def test_a_running_export_past_the_hard_time_limit_is_failed_as_lost(iris_study, people, settings,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        export, _ = model_exports.prepare_best_model(iris_study.pk, people["owner"])
    long_ago = timezone.now() - timedelta(seconds=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S + 61)
    ModelExport.objects.filter(pk=export.pk).update(state="running", started_at=long_ago)

    reconcile()

    seen = read.latest_model_export(iris_study)
    assert seen.state == "failed" and seen.error.startswith("the worker stopped while refitting")
