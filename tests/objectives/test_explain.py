"""What drives the prediction: importance of the original columns, partial dependence, mistakes."""

import json

import numpy as np
import pytest

from studies.objectives import validate_objective
from studies.objectives.estimators import ESTIMATORS, make_estimator
from studies.objectives.explain import explain_for, explain_model
from studies.objectives.pipeline import build_pipeline
from studies.objectives.tables import load_table

from .csvfiles import csv_text


def _fitted(spec, path=None):
    table = load_table(spec, path)
    name = spec["estimator"]
    params = {"n_estimators": 25} if name == "random_forest" else {}  # quick, and plenty for these tables
    model = make_estimator(name, table.task, params, spec["metric"])
    return build_pipeline(model, table.kinds.values(), ESTIMATORS[name].scaled).fit(table.X, table.y)


@pytest.fixture
def churn_csv(write_csv):
    """plan decides churn, tenure helps a little, noise does nothing."""
    rng = np.random.default_rng(0)
    n = 240
    plan = rng.choice(["basic", "plus", "premium"], n)
    tenure = rng.integers(1, 60, n)
    noise = rng.normal(size=n).round(3)
    churn = np.where((plan == "basic") | (rng.random(n) < 0.1), "yes", "no")
    return write_csv(csv_text(["plan", "tenure", "noise", "churn"], zip(plan, tenure, noise, churn)))


def _csv_spec(estimator="random_forest", metric="accuracy", target="churn", task="classification"):
    return validate_objective({"kind": "sklearn", "estimator": estimator, "dataset": "csv:1", "target": target,
                               "metric": metric, "cv": 3}, task=task)


def test_a_one_hot_encoded_column_counts_once_and_the_deciding_one_leads(churn_csv):
    spec = _csv_spec()

    result = explain_for(spec, _fitted(spec, churn_csv), churn_csv)

    names = [column["name"] for column in result["columns"]]
    assert sorted(names) == ["noise", "plan", "tenure"]
    assert names[0] == "plan"
    assert result["columns"][0]["importance"] > 0.2


def test_partial_dependence_of_a_categorical_column_is_one_bar_per_category(churn_csv):
    spec = _csv_spec()

    curve = explain_for(spec, _fitted(spec, churn_csv), churn_csv)["partial_dependence"][0]

    assert (curve["name"], curve["kind"], curve["quantity"]) == ("plan", "categorical", "probability")
    assert sorted(curve["grid"]) == ["basic", "plus", "premium"]
    assert [series["label"] for series in curve["series"]] == ["yes"]
    chance = dict(zip(curve["grid"], curve["series"][0]["values"]))
    assert chance["basic"] > 0.8 > 0.3 > chance["premium"]


def test_partial_dependence_covers_at_most_three_columns_that_matter(churn_csv):
    spec = _csv_spec()

    curves = explain_for(spec, _fitted(spec, churn_csv), churn_csv)["partial_dependence"]

    assert 1 <= len(curves) <= 3
    assert all(curve["caption"] for curve in curves)


def test_confusion_matrix_counts_every_row_out_of_fold_with_its_labels(churn_csv):
    spec = _csv_spec()

    matrix = explain_for(spec, _fitted(spec, churn_csv), churn_csv)["confusion_matrix"]

    assert matrix["labels"] == ["no", "yes"]
    assert sum(map(sum, matrix["counts"])) == 240
    assert matrix["caption"].startswith("For each real 'churn' (rows), what the model answered (columns)")


def test_a_model_without_predict_proba_is_explained_by_its_score(churn_csv):
    spec = _csv_spec(estimator="svm")
    model = _fitted(spec, churn_csv)
    assert not hasattr(model, "predict_proba")

    result = explain_for(spec, model, churn_csv)

    assert result["columns"][0]["name"] == "plan"
    assert result["partial_dependence"][0]["quantity"] == "score"


def test_regression_gives_predicted_against_actual_for_every_row_of_a_small_table():
    spec = validate_objective({"kind": "sklearn", "estimator": "ridge", "dataset": "diabetes", "metric": "rmse", "cv": 3})

    result = explain_for(spec, _fitted(spec))

    points = result["predicted_vs_actual"]
    assert points["n_rows"] == len(points["actual"]) == len(points["predicted"]) == 442
    assert "confusion_matrix" not in result
    assert result["partial_dependence"][0]["quantity"] == "prediction"


def test_bundled_dataset_columns_are_named_as_scikit_learn_names_them():
    spec = validate_objective({"kind": "sklearn", "estimator": "logistic_regression", "dataset": "iris", "cv": 3})

    result = explain_for(spec, _fitted(spec))

    assert {column["name"] for column in result["columns"]} == {
        "sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"}
    assert len(result["partial_dependence"][0]["series"]) == 3  # one curve per class


def test_a_smaller_is_better_metric_still_gives_positive_importance_to_what_matters():
    spec = validate_objective({"kind": "sklearn", "estimator": "ridge", "dataset": "diabetes", "metric": "mae", "cv": 3})

    columns = explain_for(spec, _fitted(spec))["columns"]

    assert columns[0]["name"] in ("bmi", "s5") and columns[0]["importance"] > 0


def test_predicted_against_actual_is_capped_to_a_fixed_sample():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 2))
    y = X[:, 0] * 3 + rng.normal(size=3000)
    kinds = {"a": "numeric", "b": "numeric"}
    model = build_pipeline(make_estimator("ridge", "regression", {}), kinds.values(), True).fit(X, y)

    first = explain_model(model, X, y, kinds, "regression", "rmse", cv=2)
    again = explain_model(model, X, y, kinds, "regression", "rmse", cv=2)

    assert len(first["predicted_vs_actual"]["actual"]) == 2000
    assert first["predicted_vs_actual"] == again["predicted_vs_actual"]


def test_the_result_is_json_ready(churn_csv):
    spec = _csv_spec(metric="roc_auc")

    result = explain_for(spec, _fitted(spec, churn_csv), churn_csv)

    assert json.loads(json.dumps(result, allow_nan=False)) == result
