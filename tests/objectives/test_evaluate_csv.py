import numpy as np
import pytest

from studies.objectives import ObjectiveError, evaluate

from .csvfiles import csv_text


def spec(**overrides):
    return {"kind": "sklearn", "estimator": "logistic_regression", "dataset": "csv:1",
            "target": "label", "cv": 3} | overrides


def _categorical_csv(n_rows=60):
    """The label follows the colour; size is noise with some gaps."""
    rng = np.random.default_rng(0)
    colours = ["red", "green", "blue"]
    rows = []
    for i in range(n_rows):
        colour = colours[i % 3]
        size = "" if i % 7 == 0 else f"{rng.normal():.3f}"
        rows.append([colour, size, "yes" if colour == "red" else "no"])
    return csv_text(["colour", "size", "label"], rows)


def test_csv_with_a_categorical_feature_evaluates(write_csv):
    path = write_csv(_categorical_csv())

    assert evaluate(spec(), {}, dataset_path=str(path)) > 0.95


@pytest.mark.parametrize(
    "estimator, params",
    [
        ("random_forest", {"n_estimators": 10}),
        ("hist_gradient_boosting", {"min_samples_leaf": 2, "max_iter": 20}),
        ("knn", {}),
        ("svm", {}),
    ],
)
def test_csv_with_a_categorical_feature_evaluates_for_other_classifiers(write_csv, estimator, params):
    path = write_csv(_categorical_csv())

    assert evaluate(spec(estimator=estimator), params, dataset_path=path) > 0.9


def test_csv_regression_task_is_detected_and_scored(write_csv):
    rng = np.random.default_rng(0)
    x = rng.normal(size=80)
    rows = [[f"{a:.4f}", f"{2 * a + 0.1 * rng.normal():.4f}"] for a in x]
    path = write_csv(csv_text(["x", "label"], rows))

    assert evaluate(spec(estimator="ridge"), {}, dataset_path=path) > 0.9


def test_task_passed_in_the_spec_overrides_detection(write_csv):
    rows = [[i, i % 3] for i in range(30)]
    path = write_csv(csv_text(["x", "label"], rows))

    value = evaluate(spec(estimator="ridge", task="regression", metric="mae"), {}, dataset_path=path)

    assert value > 0


def test_class_smaller_than_the_folds_names_the_class_and_its_rows(write_csv):
    rows = [[i, "a" if i < 20 else "b"] for i in range(22)]
    path = write_csv(csv_text(["x", "label"], rows))

    with pytest.raises(ObjectiveError) as info:
        evaluate(spec(cv=3), {}, dataset_path=path)
    assert info.value.field == "objective.cv"
    assert "class 'b' has only 2 rows" in info.value.message


def test_csv_fault_surfaces_as_objective_error_on_target(write_csv):
    path = write_csv(csv_text(["x", "y"], [[1, 2], [3, 4]]))

    with pytest.raises(ObjectiveError) as info:
        evaluate(spec(), {}, dataset_path=path)
    assert info.value.field == "objective.target"


def test_regressor_on_a_categorical_target_is_rejected(write_csv):
    path = write_csv(_categorical_csv())

    with pytest.raises(ObjectiveError) as info:
        evaluate(spec(estimator="ridge"), {}, dataset_path=path)
    assert info.value.field == "objective.estimator"
