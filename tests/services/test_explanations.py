"""Explaining the best model: queued when a built-in study completes (or asked for), computed
once by a worker into plain records, failed in words, repaired by the reconciler."""

from datetime import timedelta

import pytest
from django.utils import timezone

from studies.models import Explanation, Study, Trial
from studies.objectives import refit
from studies.services import Conflict, explanations, reconcile, stop_study
from studies.services.locks import locked_study
from studies.services.scheduling import complete_if_done

from tests.roles import SPACE, iris_study, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _run_to_completion(study):
    """What the scheduler does when the last trial of a study's budget is told."""
    Study.objects.filter(pk=study.pk).update(state="running", n_trials=study.next_number)
    with locked_study(study.pk) as locked:
        complete_if_done(locked)


def test_a_built_in_study_that_completes_queues_the_explanation_of_its_best_trial(
        iris_study, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        _run_to_completion(iris_study)

    explanation = Explanation.objects.get(study=iris_study)
    assert (explanation.state, explanation.trial.number, len(sent)) == ("queued", 1, 1)


def test_stopping_a_built_in_study_queues_the_explanation_of_its_best_trial(
        iris_study, django_capture_on_commit_callbacks):
    Study.objects.filter(pk=iris_study.pk).update(state="running")

    with django_capture_on_commit_callbacks():
        stop_study(iris_study.pk)

    explanation = Explanation.objects.get(study=iris_study)
    assert (explanation.state, explanation.trial.number) == ("queued", 1)


def test_a_study_of_external_code_that_completes_queues_nothing(people, django_capture_on_commit_callbacks):
    study = make_study(people["owner"], space=SPACE, n_trials=0)

    with django_capture_on_commit_callbacks() as sent:
        _run_to_completion(study)

    assert Study.objects.get(pk=study.pk).state == "completed"
    assert (Explanation.objects.count(), len(sent)) == (0, 0)


def test_the_worker_stores_importance_partial_dependence_and_the_confusion_matrix(
        iris_study, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        explanation = explanations.request_explanation(iris_study.pk, people["owner"])

    state = explanations.explain_model(explanation.pk)

    body = explanations.explanation_of(iris_study)
    assert state == "ready" and body["state"] == "ready" and body["trial"] == 1
    assert {column["name"] for column in body["columns"]} == {
        "sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"}
    assert body["columns"][0]["importance"] > 0.1, "the petals decide an iris's species"
    assert 1 <= len(body["partial_dependence"]) <= 3
    assert body["confusion_matrix"]["labels"] == [0, 1, 2]
    assert sum(map(sum, body["confusion_matrix"]["counts"])) == 150
    assert "predicted_vs_actual" not in body


def test_asking_again_for_the_same_best_trial_reuses_its_explanation(iris_study, people,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        first = explanations.request_explanation(iris_study.pk, people["owner"])
        second = explanations.request_explanation(iris_study.pk, people["editor"])

    assert first.pk == second.pk and len(sent) == 1


def test_a_study_without_a_built_in_model_has_nothing_to_explain(people):
    study = make_study(people["owner"])

    with pytest.raises(Conflict):
        explanations.request_explanation(study.pk, people["owner"])


def test_a_failing_refit_marks_the_explanation_failed_with_the_reason(iris_study, people, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    def explode(spec, params, dataset_path=None):
        raise ValueError("Input contains NaN")
    monkeypatch.setattr(refit, "refit", explode)
    with django_capture_on_commit_callbacks():
        explanation = explanations.request_explanation(iris_study.pk, people["owner"])

    state = explanations.explain_model(explanation.pk)

    explanation.refresh_from_db()
    assert state == "failed" and explanation.error == "explaining the model failed: ValueError: Input contains NaN"


def test_a_second_delivery_of_the_same_job_does_nothing(iris_study, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        explanation = explanations.request_explanation(iris_study.pk, people["owner"])
    explanations.explain_model(explanation.pk)

    assert explanations.explain_model(explanation.pk) is None


def test_the_reconciler_resends_a_lost_message_and_fails_a_lost_worker(iris_study, people, settings,
                                                                       django_capture_on_commit_callbacks):
    long_ago = timezone.now() - timedelta(seconds=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S + 3600)
    trials = list(iris_study.trials.order_by("number"))
    queued = Explanation.objects.create(study=iris_study, trial=trials[1], sent_at=long_ago)
    running = Explanation.objects.create(study=iris_study, trial=trials[0], state="running", started_at=long_ago)

    with django_capture_on_commit_callbacks(execute=False) as sent:
        done = reconcile()

    queued.refresh_from_db()
    running.refresh_from_db()
    assert done["jobs_resent"] == 1 and done["jobs_failed"] == 1 and len(sent) == 1
    assert queued.state == "queued" and queued.sent_at > long_ago
    assert running.state == "failed" and "the worker stopped while explaining" in running.error


def test_a_regression_model_is_shown_against_the_real_values(people, django_capture_on_commit_callbacks):
    study = make_study(people["owner"], space={"alpha": {"type": "float", "low": 0.1, "high": 10}},
                       directions=["maximize"], state="completed",
                       objective={"kind": "sklearn", "estimator": "ridge", "dataset": "diabetes", "metric": "r2",
                                  "cv": 3})
    Trial.objects.create(study=study, number=0, state="complete", value=0.45, params={"alpha": 1.0})
    with django_capture_on_commit_callbacks():
        explanation = explanations.request_explanation(study.pk, people["owner"])

    explanations.explain_model(explanation.pk)

    body = explanations.explanation_of(study)
    assert body["state"] == "ready" and "confusion_matrix" not in body
    assert body["predicted_vs_actual"]["n_rows"] == 442 and len(body["predicted_vs_actual"]["predicted"]) == 442
    assert body["partial_dependence"][0]["quantity"] == "prediction"
