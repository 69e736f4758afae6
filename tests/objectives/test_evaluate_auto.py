import json

import numpy as np
import pytest

from studies.objectives import ObjectiveError, evaluate, evaluate_details


def sk(estimator, dataset="iris", **overrides):
    return {"kind": "sklearn", "estimator": estimator, "dataset": dataset, "cv": 3} | overrides


@pytest.mark.parametrize(
    "family, own",
    [
        ("knn", {"n_neighbors": 7, "weights": "distance", "p": 1}),
        ("logistic_regression", {"C": 0.5}),
        ("extra_trees", {"n_estimators": 20, "max_depth": 4}),
    ],
)
def test_auto_trial_scores_as_its_family_evaluated_directly(family, own):
    params = {"estimator": family} | {f"{family}__{key}": value for key, value in own.items()}

    assert evaluate(sk("auto"), params) == evaluate(sk(family), own)


def test_a_listed_family_with_nested_condition_scores_as_evaluated_directly():
    params = {"estimator": "svm", "svm__C": 2.0, "svm__kernel": "poly", "svm__degree": 2, "svm__gamma": 0.1}

    value = evaluate(sk(["svm", "knn"], dataset="diabetes"), params)

    assert value == evaluate(sk("svm", dataset="diabetes"), {"C": 2.0, "kernel": "poly", "degree": 2, "gamma": 0.1})


def test_a_param_of_another_family_names_that_param():
    with pytest.raises(ObjectiveError) as info:
        evaluate(sk("auto"), {"estimator": "knn", "svm__C": 1.0})

    assert info.value.field == "params.svm__C"


def test_a_family_outside_the_list_names_the_estimator_param():
    with pytest.raises(ObjectiveError) as info:
        evaluate(sk(["knn", "svm"]), {"estimator": "mlp"})

    assert info.value.field == "params.estimator"


def test_an_auto_trial_without_a_family_names_the_estimator_param():
    with pytest.raises(ObjectiveError) as info:
        evaluate(sk("auto"), {"knn__n_neighbors": 3})

    assert info.value.field == "params.estimator"


@pytest.mark.parametrize(
    "estimator, params",
    [("knn", {}), ("logistic_regression", {}), ("auto", {"estimator": "hist_gradient_boosting"})],
    ids=["per-fold", "staged", "auto-staged"],
)
def test_details_hold_the_fold_scores_whose_mean_is_the_value(estimator, params):
    details = evaluate_details(sk(estimator, dataset="breast_cancer"), params)

    assert len(details.fold_scores) == 3
    assert details.cv_mean == details.value == pytest.approx(np.mean(details.fold_scores))
    assert details.cv_std == pytest.approx(np.std(details.fold_scores, ddof=1))
    assert details.fit_time_s > 0


def test_details_value_is_what_evaluate_returns():
    spec, params = sk("ridge", dataset="diabetes"), {"alpha": 3.0}

    assert evaluate_details(spec, params).value == evaluate(spec, params)


def test_details_are_json_ready():
    details = evaluate_details(sk("knn"), {}).to_json()

    assert set(details) == {"cv_mean", "cv_std", "fit_time_s", "fold_scores"}
    assert json.loads(json.dumps(details)) == details


def test_details_of_a_function_have_only_the_value_and_time():
    details = evaluate_details({"kind": "function", "name": "sphere"}, {"x1": 1.0, "x2": 2.0})

    assert details.value == 5.0
    assert details.cv_mean is None and details.fold_scores == ()
    assert set(details.to_json()) == {"fit_time_s"}
