"""The ensemble of a finished study's best trials: asked for when a study that lets Tuner choose
the model finishes, evaluated by a worker on the trials' folds, offered only when it beats."""

from datetime import timedelta
from pathlib import Path

import joblib
import pytest
from django.utils import timezone
from sklearn.datasets import load_iris
from sklearn.ensemble import VotingClassifier

from studies import objectives, services
from studies.models import Ensemble, ModelExport, Trial
from studies.services import dispatch, ensembles, model_exports, read
from studies.services.summary import result_summary

from tests.results import TWO_FAMILIES, ready_baseline, ready_ensemble, run_to_the_end
from tests.roles import IRIS, add_trials, make_study

pytestmark = pytest.mark.django_db
TWO_TRIALS = [("complete", 0.9, {"estimator": "knn"}), ("complete", 0.95, {"estimator": "logistic_regression"})]


def test_a_finished_study_of_two_families_queues_the_ensemble_of_their_best_trials(owner):
    study = run_to_the_end(owner)

    ensemble = Ensemble.objects.get(study=study)
    board = read.leaderboard(study)
    assert study.state == "completed" and ensemble.state == "queued"
    assert ensemble.members == [family["trial"] for family in board["families"]]


def test_the_worker_scores_the_ensemble_on_the_trials_folds(owner):
    study = run_to_the_end(owner)
    ensemble = Ensemble.objects.get(study=study)
    members = [Trial.objects.get(study=study, number=n).params for n in ensemble.members]

    state = services.evaluate_ensemble(ensemble.pk)

    expected = objectives.evaluate_ensemble(study.objective, members)
    shown = read.ensemble_of(study)
    assert state == "ready"
    assert shown["value"] == pytest.approx(expected.value) and shown["cv_std"] == pytest.approx(expected.cv_std)
    assert shown["best_trial"] == ensemble.members[0]


def test_the_ensemble_beats_only_by_more_than_the_folds_vary(owner):
    study = run_to_the_end(owner)
    ensemble = Ensemble.objects.get(study=study)
    best = Trial.objects.get(study=study, number=ensemble.members[0])

    services.evaluate_ensemble(ensemble.pk)

    scores = objectives.evaluate_ensemble(study.objective, [
        Trial.objects.get(study=study, number=n).params for n in ensemble.members]).fold_scores
    assert read.ensemble_of(study)["beats"] == objectives.ensemble_beats(scores, best.details["fold_scores"],
                                                                         "maximize")


def test_a_study_of_one_family_gets_no_ensemble(owner):
    study = run_to_the_end(owner, objective=IRIS, n_trials=2)

    assert not Ensemble.objects.filter(study=study).exists()


def test_a_duplicate_delivery_evaluates_nothing(owner):
    study = run_to_the_end(owner)
    ensemble = Ensemble.objects.get(study=study)
    services.evaluate_ensemble(ensemble.pk)

    assert services.evaluate_ensemble(ensemble.pk) is None


def test_stopping_a_study_of_two_families_asks_for_its_ensemble(owner, django_capture_on_commit_callbacks,
                                                                 monkeypatch):
    sent = []
    monkeypatch.setattr(dispatch, "_send", lambda name, pk: sent.append(name))
    study = make_study(owner, objective=TWO_FAMILIES, directions=["maximize"], state="running")
    add_trials(study, [("complete", 0.9, {"estimator": "knn", "knn__n_neighbors": 3}),
                       ("complete", 0.8, {"estimator": "logistic_regression", "logistic_regression__C": 1.0})])

    with django_capture_on_commit_callbacks(execute=True):
        services.stop_study(study.pk)

    assert Ensemble.objects.get(study=study).members == [0, 1]
    assert dispatch.EVALUATE_ENSEMBLE in sent


def _ensemble_sentence(owner, beats, value):
    """The summary's ensemble sentence of a finished two-family study whose best trial scored 0.95."""
    study = make_study(owner, objective=TWO_FAMILIES, directions=["maximize"], state="completed")
    add_trials(study, TWO_TRIALS)
    ready_ensemble(study, [1, 0], beats=beats, value=value, best_value=0.95)
    ready_baseline(study)
    return {s.key: s.text for s in result_summary(study)}["ensemble"]


def test_an_ensemble_that_beats_is_offered_as_the_result_in_words(owner):
    sentence = _ensemble_sentence(owner, beats=True, value=0.96)

    assert sentence == ("Averaging the best 2 models, one of each kind, beats the best single model: "
                                     "0.96 against 0.95 (accuracy). The average is offered as the result.")


def test_an_ensemble_that_does_not_beat_leaves_the_single_model_as_the_result(owner):
    sentence = _ensemble_sentence(owner, beats=False, value=0.951)

    assert "beats" not in sentence
    assert sentence.endswith("better by less than the tests vary, so the single model stays the result.")


def test_an_ensemble_not_yet_evaluated_is_not_on_the_leaderboard(owner):
    study = make_study(owner, objective=TWO_FAMILIES, directions=["maximize"], state="completed")
    add_trials(study, TWO_TRIALS)
    Ensemble.objects.create(study=study, members=[1, 0])

    assert read.leaderboard(study)["ensemble"] is None



@pytest.fixture
def winning(owner, settings, tmp_path):
    """A finished auto study whose evaluated ensemble is marked as beating its best trial."""
    settings.MEDIA_ROOT = tmp_path
    study = run_to_the_end(owner)
    services.evaluate_ensemble(study.ensemble.pk)
    Ensemble.objects.filter(study=study).update(beats=True)
    return study


def _prepared(study, user, capture):
    with capture():
        export, _ = model_exports.prepare_best_model(study.pk, user)
    model_exports.refit_model(export.pk)
    return ModelExport.objects.get(pk=export.pk)


def test_the_best_model_download_is_the_ensemble_when_it_beats(winning, owner, django_capture_on_commit_callbacks):
    export = _prepared(winning, owner, django_capture_on_commit_callbacks)

    model = joblib.load(export.file.path)
    X, y = load_iris(return_X_y=True)
    assert export.state == "ready", export.error
    assert export.members == winning.ensemble.members and export.trial.number == export.members[0]
    assert isinstance(model, VotingClassifier) and model.voting == "soft"
    assert (model.predict(X) == y).mean() > 0.9
    assert f"STUDY_ID, TRIALS, SCORE = {winning.pk}, {export.members}," in export.text


def test_the_ensembles_text_rebuilds_the_same_model(winning, owner, django_capture_on_commit_callbacks):
    export = _prepared(winning, owner, django_capture_on_commit_callbacks)

    scope = {}
    exec(compile(export.text.split("# To rebuild and refit it yourself:")[1], "snippet", "exec"), scope)  # noqa: S102

    X, _ = load_iris(return_X_y=True)
    saved = joblib.load(export.file.path)
    assert (scope["model"].predict_proba(X) == pytest.approx(saved.predict_proba(X)))


def test_a_single_model_prepared_before_the_ensemble_won_gives_way_to_the_ensemble(
        owner, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    study = run_to_the_end(owner)
    single = _prepared(study, owner, django_capture_on_commit_callbacks)
    monkeypatch.setattr(ensembles, "_beats", lambda *args: True)
    sent = []
    monkeypatch.setattr(dispatch, "_send", lambda name, pk: sent.append((name, pk)))

    with django_capture_on_commit_callbacks(execute=True):
        services.evaluate_ensemble(study.ensemble.pk)

    replacement = ModelExport.objects.get(study=study)
    assert single.members is None and replacement.pk != single.pk and not Path(single.file.path).exists()
    assert (replacement.state, replacement.trial_id, replacement.requested_by) == ("queued", single.trial_id, owner)
    assert sent == [(dispatch.REFIT_MODEL, replacement.pk)]
    assert model_exports.refit_model(replacement.pk) == "ready"
    replacement.refresh_from_db()
    assert replacement.members == study.ensemble.members


def test_the_best_model_stays_one_trial_when_the_ensemble_does_not_beat(owner, settings, tmp_path,
                                                                        django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    study = run_to_the_end(owner)
    services.evaluate_ensemble(study.ensemble.pk)
    Ensemble.objects.filter(study=study).update(beats=False)

    export = _prepared(study, owner, django_capture_on_commit_callbacks)

    assert export.members is None
    assert "STUDY_ID, TRIAL, SCORE" in export.text


def test_the_reconciler_resends_a_lost_ensemble_and_fails_one_whose_worker_is_gone(owner, settings, monkeypatch,
                                                                                    django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(dispatch, "_send", lambda name, pk: sent.append((name, pk)))
    queued = make_study(owner, objective=TWO_FAMILIES, directions=["maximize"], state="completed")
    running = make_study(owner, objective=TWO_FAMILIES, directions=["maximize"], state="completed")
    long_ago = timezone.now() - timedelta(seconds=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S + 120)
    lost = Ensemble.objects.create(study=queued, members=[0, 1], sent_at=long_ago)
    stuck = Ensemble.objects.create(study=running, members=[0, 1], state="running", started_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        services.reconcile()

    assert sent == [(dispatch.EVALUATE_ENSEMBLE, lost.pk)]
    stuck.refresh_from_db()
    assert stuck.state == "failed" and "worker stopped" in stuck.error
