"""A re-check measures a trial again on new folds: the shuffle seed is the only difference."""

from studies.objectives import evaluate_details

SPEC = {"kind": "sklearn", "estimator": "logistic_regression", "dataset": "iris", "metric": "accuracy", "cv": 3}


def test_the_default_seed_gives_the_folds_every_trial_uses():
    assert evaluate_details(SPEC, {"C": 1.0}).fold_scores == evaluate_details(SPEC, {"C": 1.0}, cv_seed=0).fold_scores


def test_another_seed_gives_other_folds():
    assert evaluate_details(SPEC, {"C": 1.0}, cv_seed=11).fold_scores != evaluate_details(SPEC, {"C": 1.0}).fold_scores
