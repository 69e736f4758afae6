import pytest

from studies.objectives import EvaluationStopped, ObjectiveError, evaluate


def sk(estimator, dataset, **overrides):
    return {"kind": "sklearn", "estimator": estimator, "dataset": dataset, "cv": 3} | overrides


# Small models keep the suite quick; the thresholds are well below what each reaches.
CLASSIFIERS = [
    ("logistic_regression", {}, 0.9),
    ("random_forest", {"n_estimators": 20}, 0.9),
    ("hist_gradient_boosting", {"max_iter": 20}, 0.9),
    ("svm", {"C": 1.0}, 0.9),
    ("knn", {"n_neighbors": 5}, 0.9),
    ("mlp", {"hidden_layer_sizes": 16, "learning_rate_init": 0.01}, 0.85),
]
REGRESSORS = [
    ("ridge", {}, 0.3),
    ("elastic_net", {"alpha": 0.01}, 0.3),
    ("random_forest", {"n_estimators": 20}, 0.3),
    ("hist_gradient_boosting", {"max_iter": 20}, 0.3),
    ("svm", {}, 0.3),
    ("knn", {"n_neighbors": 10}, 0.3),
    ("mlp", {"hidden_layer_sizes": 16, "learning_rate_init": 0.01}, 0.3),
]


@pytest.mark.parametrize("estimator, params, floor", CLASSIFIERS, ids=[c[0] for c in CLASSIFIERS])
def test_classifier_on_iris_scores_plausible_accuracy(estimator, params, floor):
    assert floor < evaluate(sk(estimator, "iris"), params) <= 1.0


@pytest.mark.parametrize("estimator, params, floor", REGRESSORS, ids=[r[0] for r in REGRESSORS])
def test_regressor_on_diabetes_scores_plausible_r2(estimator, params, floor):
    assert floor < evaluate(sk(estimator, "diabetes"), params) < 1.0


@pytest.mark.parametrize("metric", ["rmse", "mae"])
def test_regression_errors_are_positive(metric):
    assert 30 < evaluate(sk("ridge", "diabetes", metric=metric), {}) < 80


def test_log_loss_is_positive():
    assert 0 < evaluate(sk("logistic_regression", "iris", metric="log_loss"), {}) < 0.5


@pytest.mark.parametrize("metric", ["roc_auc", "log_loss"])
def test_svm_gives_probabilities_for_metrics_that_need_them(metric):
    value = evaluate(sk("svm", "iris", metric=metric), {})

    assert 0 < value <= 1


def test_f1_on_a_binary_task_scores_the_positive_class():
    assert evaluate(sk("logistic_regression", "breast_cancer", metric="f1"), {}) > 0.9


def test_report_is_called_once_per_fold_with_the_running_mean():
    calls = []

    value = evaluate(sk("ridge", "diabetes"), {}, report=lambda step, v: calls.append((step, v)))

    assert [step for step, _ in calls] == [0, 1, 2]
    assert calls[-1][1] == pytest.approx(value)
    assert all(isinstance(v, float) for _, v in calls)


def test_exception_raised_by_report_propagates_and_stops_the_folds():
    class Prune(Exception):
        pass

    steps = []

    def report(step, value):
        steps.append(step)
        raise Prune

    with pytest.raises(Prune):
        evaluate(sk("ridge", "diabetes"), {}, report=report)
    assert steps == [0]


def test_should_stop_raises_evaluation_stopped_with_folds_done():
    answers = iter([False, True])

    with pytest.raises(EvaluationStopped) as info:
        evaluate(sk("ridge", "diabetes"), {}, should_stop=lambda: next(answers))
    assert info.value.step == 1


def test_same_params_give_the_same_score():
    spec, params = sk("random_forest", "wine"), {"n_estimators": 10}

    assert evaluate(spec, params) == evaluate(spec, params)


@pytest.mark.parametrize("estimator, params, field", [
    ("svm", {"depth": 3}, "params.depth"),  # unknown to the estimator
    ("svm", {"kernel": "cubic"}, "params.kernel"),  # a value it refuses
    ("random_forest", {"n_jobs": 8}, "params.n_jobs"),  # the worker decides threads, not the space
    ("knn", {"n_neighbors": 120}, "params.n_neighbors"),  # more neighbours than training rows
])
def test_a_bad_param_raises_on_its_field(estimator, params, field):
    with pytest.raises(ObjectiveError) as info:
        evaluate(sk(estimator, "iris"), params)
    assert info.value.field == field


def test_external_objective_is_not_evaluated_by_a_worker():
    with pytest.raises(ObjectiveError) as info:
        evaluate({"kind": "external"}, {})
    assert info.value.field == "objective.kind"


def test_invalid_spec_is_rejected_before_any_work():
    with pytest.raises(ObjectiveError) as info:
        evaluate(sk("ridge", "iris"), {})
    assert info.value.field == "objective.estimator"


def test_csv_dataset_without_a_path_is_a_caller_error():
    spec = {"kind": "sklearn", "estimator": "ridge", "dataset": "csv:7", "target": "y"}

    with pytest.raises(ValueError, match="dataset_path"):
        evaluate(spec, {})
