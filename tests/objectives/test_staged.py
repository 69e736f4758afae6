"""Iterative estimators train in stages and report as they learn, so pruning saves real time."""

import importlib

import pytest

from studies.objectives import EvaluationStopped, evaluate

# The package exports a function of the same name, which shadows the module attribute.
evaluate_module = importlib.import_module("studies.objectives.evaluate")


def sk(estimator, dataset, **overrides):
    return {"kind": "sklearn", "estimator": estimator, "dataset": dataset, "cv": 3} | overrides


class Prune(Exception):
    pass


def test_boosting_reports_at_doubling_iteration_counts_up_to_max_iter():
    calls = []

    value = evaluate(sk("hist_gradient_boosting", "iris"), {"max_iter": 50}, report=lambda s, v: calls.append((s, v)))

    assert [step for step, _ in calls] == [10, 20, 40, 50]
    assert calls[-1][1] == pytest.approx(value)


def test_staged_boosting_scores_as_one_long_fit(monkeypatch):
    spec, params = sk("hist_gradient_boosting", "breast_cancer"), {"max_iter": 40}
    staged = evaluate(spec, params)
    monkeypatch.setattr(evaluate_module, "STAGED", {})

    assert evaluate(spec, params) == pytest.approx(staged)


def test_a_prune_at_the_first_stage_stops_training_there():
    steps = []

    def report(step, value):
        steps.append(step)
        raise Prune

    with pytest.raises(Prune):
        evaluate(sk("mlp", "iris"), {"hidden_layer_sizes": 8}, report=report)
    assert steps == [10]


def test_a_converged_linear_model_stops_before_max_iter():
    steps = []

    evaluate(sk("logistic_regression", "iris"), {}, report=lambda s, v: steps.append(s))

    assert steps[-1] < 1000


def test_regression_mlp_reports_scores_in_the_targets_units():
    calls = []

    evaluate(sk("mlp", "diabetes", metric="rmse"), {"hidden_layer_sizes": 16, "learning_rate_init": 0.01},
             report=lambda s, v: calls.append(v))

    assert all(30 < v < 200 for v in calls)


def test_should_stop_stops_a_staged_evaluation():
    with pytest.raises(EvaluationStopped):
        evaluate(sk("elastic_net", "diabetes"), {"alpha": 0.01}, should_stop=lambda: True)
