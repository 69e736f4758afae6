import numpy as np
import pytest
from sklearn.ensemble import VotingClassifier, VotingRegressor

from studies.objectives import ObjectiveError, evaluate_details, load_bundled
from studies.objectives.ensemble import ensemble_beats, ensemble_members, evaluate_ensemble, fit_ensemble


def sk(estimator, dataset, **overrides):
    return {"kind": "sklearn", "estimator": estimator, "dataset": dataset, "cv": 3} | overrides


def row(number, family, value, state="complete"):
    return {"number": number, "params": {"estimator": family}, "value": value, "state": state}


def test_an_ensemble_of_one_model_twice_scores_fold_by_fold_as_the_model():
    # Averaging a deterministic model with itself changes nothing, so equal fold scores
    # mean the ensemble was cross-validated on exactly the trial's folds.
    spec, params = sk("auto", "diabetes"), {"estimator": "ridge", "ridge__alpha": 2.0}

    ensemble = evaluate_ensemble(spec, [params, params])

    assert ensemble.fold_scores == pytest.approx(evaluate_details(spec, params).fold_scores)


def test_a_soft_vote_of_one_classifier_twice_scores_fold_by_fold_as_the_classifier():
    spec, params = sk("auto", "breast_cancer"), {"estimator": "logistic_regression", "logistic_regression__C": 1.0}

    ensemble = evaluate_ensemble(spec, [params, params])

    assert ensemble.fold_scores == pytest.approx(evaluate_details(spec, params).fold_scores)


def test_ensemble_details_are_consistent():
    spec = sk("auto", "iris")
    members = [{"estimator": "knn"}, {"estimator": "svm"}, {"estimator": "logistic_regression"}]

    details = evaluate_ensemble(spec, members)

    assert len(details.fold_scores) == 3
    assert details.cv_mean == details.value == pytest.approx(np.mean(details.fold_scores))
    assert 0.8 < details.value <= 1.0


def test_fewer_than_two_members_is_refused_on_the_ensemble_field():
    with pytest.raises(ObjectiveError) as info:
        evaluate_ensemble(sk("auto", "iris"), [{"estimator": "knn"}])

    assert info.value.field == "ensemble"


def test_fit_ensemble_gives_a_fitted_soft_vote_that_predicts_probabilities():
    X, y = load_bundled("iris")

    model = fit_ensemble(sk("auto", "iris"), [{"estimator": "svm"}, {"estimator": "knn"}])

    assert isinstance(model, VotingClassifier) and model.voting == "soft"
    assert model.predict_proba(X[:5]).shape == (5, 3)
    assert (model.predict(X) == y).mean() > 0.9


def test_fit_ensemble_averages_regressors():
    X, _ = load_bundled("diabetes")

    model = fit_ensemble(sk(["ridge", "knn"], "diabetes"), [{"estimator": "ridge"}, {"estimator": "knn"}])

    assert isinstance(model, VotingRegressor)
    assert model.predict(X[:4]).shape == (4,)


def test_members_are_the_best_trial_of_each_of_the_best_families():
    trials = [row(0, "knn", 0.80), row(1, "svm", 0.90), row(2, "knn", 0.85), row(3, "mlp", 0.70),
              row(4, "svm", 0.95), row(5, "ridge", 0.10)]

    assert ensemble_members(trials, "maximize", "auto", n_members=3) == [4, 2, 3]


def test_members_follow_the_direction():
    trials = [row(0, "knn", 0.80), row(1, "svm", 0.90), row(2, "mlp", 0.85)]

    assert ensemble_members(trials, "minimize", "auto", n_members=2) == [0, 2]


def test_members_leave_out_trials_that_are_not_complete():
    trials = [row(0, "knn", 0.99, state="pruned"), row(1, "svm", 0.90), row(2, "mlp", 0.85)]

    assert ensemble_members(trials, "maximize", "auto") == [1, 2]


def test_one_family_gives_no_ensemble():
    assert ensemble_members([row(0, "knn", 0.8), row(1, "knn", 0.9)], "maximize", "auto") == []


def test_a_steady_gain_on_every_fold_beats_the_best_model():
    assert ensemble_beats([0.91, 0.93, 0.92, 0.95], [0.90, 0.91, 0.91, 0.93], "maximize")


def test_a_gain_within_the_noise_of_the_folds_does_not():
    # Mean gain 0.005, but the fold gains swing by 0.03 each way.
    assert not ensemble_beats([0.93, 0.89, 0.94, 0.88], [0.90, 0.92, 0.91, 0.90], "maximize")


def test_a_lower_error_beats_when_minimizing():
    assert ensemble_beats([1.0, 2.0, 3.0], [1.5, 2.4, 3.6], "minimize")
    assert not ensemble_beats([1.5, 2.4, 3.6], [1.0, 2.0, 3.0], "minimize")


def test_no_gain_does_not_beat():
    assert not ensemble_beats([0.9, 0.9, 0.9], [0.9, 0.9, 0.9], "maximize")


def test_fold_scores_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        ensemble_beats([0.9, 0.9, 0.9], [0.9, 0.9], "maximize")
