"""Limits on what a built-in sklearn trial measures: checked in the spec, measured in the trial's
cross-validation, and turned into Optuna-convention constraint values and metrics."""

import math

import pytest

from studies.objectives import ObjectiveError, describe_constraints, evaluate_details, validate_objective


def sk(constraints, **overrides):
    return {"kind": "sklearn", "estimator": "logistic_regression", "dataset": "breast_cancer", "cv": 3,
            "constraints": constraints, **overrides}


def test_limits_are_kept_normalised_with_numbers_as_floats():
    spec = validate_objective(sk([{"metric": "fit_time_s", "max": 2}, {"metric": "recall", "min": 0.8}]))

    assert spec["constraints"] == [{"metric": "fit_time_s", "max": 2.0}, {"metric": "recall", "min": 0.8}]


def test_validating_a_spec_with_limits_again_returns_it_unchanged():
    once = validate_objective(sk([{"metric": "model_size_bytes", "max": 1e6}]))

    assert validate_objective(once) == once


def test_an_empty_list_of_limits_is_left_out_of_the_spec():
    assert "constraints" not in validate_objective(sk([]))


@pytest.mark.parametrize("constraints, field", [
    ("fit_time_s<2", "objective.constraints"),
    ([{"metric": "fit_time_s", "max": 1}] * 11, "objective.constraints"),
    (["fit_time_s"], "objective.constraints[0]"),
    ([{"metric": "fit_time_s", "max": 1}, {"metric": "speed", "max": 1}], "objective.constraints[1].metric"),
    ([{"metric": 3, "max": 1}], "objective.constraints[0].metric"),
    ([{"metric": "recall", "min": 0.5, "max": 0.9}], "objective.constraints[0]"),
    ([{"metric": "recall"}], "objective.constraints[0]"),
    ([{"metric": "recall", "min": float("nan")}], "objective.constraints[0].min"),
    ([{"metric": "fit_time_s", "max": float("inf")}], "objective.constraints[0].max"),
    ([{"metric": "recall", "min": "0.8"}], "objective.constraints[0].min"),
    ([{"metric": "recall", "min": ""}], "objective.constraints[0].min"),
    ([{"metric": "recall", "min": True}], "objective.constraints[0].min"),
    ([{"metric": "fit_time_s", "max": -1}], "objective.constraints[0].max"),
    ([{"metric": "rmse", "max": 3}], "objective.constraints[0].metric"),
    ([{"metric": "recall", "min": 0.8, "weight": 2}], "objective.constraints[0].weight"),
])
def test_a_bad_limit_is_refused_naming_its_field(constraints, field):
    with pytest.raises(ObjectiveError) as info:
        validate_objective(sk(constraints))

    assert info.value.field == field


def test_a_classification_metric_in_a_regression_study_is_refused_in_words():
    spec = sk([{"metric": "recall", "min": 0.8}], estimator="ridge", dataset="diabetes")

    with pytest.raises(ObjectiveError, match=r"recall is a classification metric but the task is regression"):
        validate_objective(spec)


def test_an_unknown_metric_lists_the_ones_a_limit_may_use():
    with pytest.raises(ObjectiveError) as info:
        validate_objective(sk([{"metric": "fit_time", "max": 2}]))

    assert "fit_time_s" in info.value.message and "recall" in info.value.message


def test_an_unknown_metric_lists_only_the_metrics_of_the_study_task():
    with pytest.raises(ObjectiveError) as info:
        validate_objective(sk([{"metric": "fit_time", "max": 2}]))

    offered = info.value.message.split("choose one of ")[1].split(", ")
    assert "accuracy" in offered and "r2" not in offered


def test_limits_are_measured_in_the_cross_validation_and_become_constraint_values():
    spec = sk([{"metric": "recall", "min": 0.5}, {"metric": "model_size_bytes", "max": 10.0},
               {"metric": "fit_time_s", "max": 60.0}, {"metric": "predict_time_s", "max": 60.0}])

    details = evaluate_details(spec, {"C": 1.0})

    recall, size = details.metrics["recall"], details.metrics["model_size_bytes"]
    assert 0.5 < recall <= 1 and size > 10
    assert details.constraints == pytest.approx((0.5 - recall, size - 10.0, details.metrics["fit_time_s"] - 60.0,
                                                 details.metrics["predict_time_s"] - 60.0))
    assert [c > 0 for c in details.constraints] == [False, True, False, False]


def test_a_limit_on_the_studys_own_metric_measures_the_same_score_as_the_value():
    details = evaluate_details(sk([{"metric": "accuracy", "min": 0.99}]), {"C": 1.0})

    assert details.metrics["accuracy"] == pytest.approx(details.value)
    assert details.constraints == pytest.approx((0.99 - details.value,))


def test_an_iterative_estimator_trained_in_stages_is_measured_too():
    spec = sk([{"metric": "recall", "min": 0.5}, {"metric": "model_size_bytes", "max": 1e9}],
              estimator="hist_gradient_boosting")

    details = evaluate_details(spec, {"max_iter": 20})

    assert set(details.metrics) == {"recall", "model_size_bytes"}
    assert details.metrics["model_size_bytes"] > 0 and 0.5 < details.metrics["recall"] <= 1


def test_a_probability_limit_calibrates_an_svm_scored_by_accuracy():
    details = evaluate_details(sk([{"metric": "roc_auc", "min": 0.9}], estimator="svm"), {})

    assert 0.9 < details.metrics["roc_auc"] <= 1


def test_the_worker_tells_metrics_and_constraints_beside_the_details():
    fields = evaluate_details(sk([{"metric": "recall", "min": 0.5}]), {"C": 1.0}).tell_fields()

    assert set(fields) == {"details", "metrics", "constraints"}
    assert list(fields["metrics"]) == ["recall"] and len(fields["constraints"]) == 1


def test_a_study_without_limits_tells_no_metrics_or_constraints():
    fields = evaluate_details(sk([]), {"C": 1.0}).tell_fields()

    assert (fields["metrics"], fields["constraints"]) == (None, None)


def test_pages_explain_a_limit_in_words_with_the_measured_figure():
    spec = validate_objective(sk([{"metric": "fit_time_s", "max": 2}, {"metric": "recall", "min": 0.8}]))

    rows = describe_constraints(spec, [1.1, -0.1], {"fit_time_s": 3.1, "recall": 0.9})

    assert rows == [{"label": "fit time per fold at most 2 seconds", "value": 3.1, "unit": "seconds", "broken": True},
                    {"label": "recall at least 0.8", "value": 0.9, "unit": "", "broken": False}]


def test_pages_show_a_model_size_in_kilobytes_or_megabytes():
    spec = validate_objective(sk([{"metric": "model_size_bytes", "max": 5e6}, {"metric": "model_size_bytes", "max": 5e4}]))

    rows = describe_constraints(spec, [-4907697.3, 42302.7], {"model_size_bytes": 92302.7})

    assert [(row["label"], row["value"], row["unit"]) for row in rows] == [
        ("model size at most 5 MB", 92.3, "kB"), ("model size at most 50 kB", 92.3, "kB")]


def test_pages_number_the_constraints_of_a_benchmark_function():
    rows = describe_constraints({"kind": "function", "name": "gardner"}, [0.25], None)

    assert rows == [{"label": "constraint 1", "value": 0.25, "unit": "", "broken": True}]


def test_a_constrained_benchmark_gives_its_constraints_with_its_value():
    details = evaluate_details({"kind": "function", "name": "gardner"}, {"x1": 1.5 * math.pi, "x2": 0.0})

    assert details.value == pytest.approx(-2.0)
    assert details.constraints == pytest.approx((-0.5,))
