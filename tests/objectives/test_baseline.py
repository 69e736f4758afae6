"""The baseline: the cross-validated score of the honest constant guess for each metric."""

import math

import numpy as np
import pytest

from studies.objectives import ObjectiveError, validate_objective
from studies.objectives.baseline import baseline_for, compute_baseline, compute_baselines

from .csvfiles import csv_text

CHURN = np.array(["no"] * 80 + ["yes"] * 20, dtype=object)


def test_accuracy_baseline_is_the_share_of_the_common_class():
    assert compute_baseline(CHURN, "classification", "accuracy") == {
        "value": 0.8, "cv_std": 0.0, "strategy": "most_frequent"}


def test_balanced_accuracy_baseline_is_one_over_the_number_of_classes():
    y = np.array([0] * 50 + [1] * 30 + [2] * 20)

    assert compute_baseline(y, "classification", "balanced_accuracy")["value"] == pytest.approx(1 / 3)


def test_roc_auc_baseline_is_one_half():
    assert compute_baseline(CHURN, "classification", "roc_auc") == {"value": 0.5, "cv_std": 0.0, "strategy": "prior"}


def test_log_loss_baseline_is_the_entropy_of_the_class_shares():
    expected = -(0.8 * math.log(0.8) + 0.2 * math.log(0.2))

    assert compute_baseline(CHURN, "classification", "log_loss")["value"] == pytest.approx(expected, abs=1e-9)


def test_f1_baseline_guesses_at_random_in_proportion_and_scores_about_the_share():
    y = np.array(["no"] * 800 + ["yes"] * 200, dtype=object)

    result = compute_baseline(y, "classification", "f1")

    assert result["strategy"] == "stratified"
    assert result["value"] == pytest.approx(0.2, abs=0.06)


def test_regression_baselines_predict_the_mean_or_the_median():
    rng = np.random.default_rng(0)
    y = rng.exponential(100.0, 2000)  # skewed, so mean and median differ

    result = compute_baselines(y, "regression")

    assert result["r2"]["strategy"] == "mean" and -0.01 < result["r2"]["value"] <= 0
    assert result["rmse"]["value"] == pytest.approx(np.std(y), rel=0.05)
    assert result["mae"]["strategy"] == "median"
    assert result["mae"]["value"] == pytest.approx(np.mean(np.abs(y - np.median(y))), rel=0.05)


def test_baselines_cover_every_metric_of_the_task():
    assert set(compute_baselines(CHURN, "classification")) == {"accuracy", "balanced_accuracy", "f1", "roc_auc", "log_loss"}


def test_baseline_uses_the_trials_folds_and_refuses_too_few_rows_of_a_class():
    y = np.array(["a"] * 10 + ["b"] * 3, dtype=object)

    with pytest.raises(ObjectiveError) as info:
        compute_baseline(y, "classification", "accuracy", cv=5)
    assert info.value.field == "objective.cv"


def test_a_metric_of_the_other_task_is_refused():
    with pytest.raises(ObjectiveError) as info:
        compute_baseline(CHURN, "classification", "rmse")
    assert info.value.field == "objective.metric"


def test_baseline_for_a_csv_spec_leaves_out_rows_without_a_target(write_csv):
    rows = [[i, "yes" if i < 15 else "no"] for i in range(60)] + [[i, ""] for i in range(40)]
    path = write_csv(csv_text(["a", "churn"], rows))
    spec = validate_objective({"kind": "sklearn", "estimator": "knn", "dataset": "csv:1", "target": "churn",
                               "metric": "accuracy"}, task="classification")

    assert baseline_for(spec, path)["value"] == pytest.approx(0.75)
