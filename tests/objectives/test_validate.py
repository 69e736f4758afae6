import pytest

from studies.objectives import ObjectiveError, objective_direction, validate_objective


def sk(**overrides):
    return {"kind": "sklearn", "estimator": "logistic_regression", "dataset": "iris"} | overrides


def csv(**overrides):
    return {"kind": "sklearn", "estimator": "random_forest", "dataset": "csv:42", "target": "y"} | overrides


def test_sklearn_spec_is_filled_with_defaults():
    assert validate_objective(sk()) == {
        "kind": "sklearn", "estimator": "logistic_regression", "dataset": "iris",
        "target": None, "metric": "accuracy", "cv": 5, "task": "classification", "exclude": [],
    }


def test_regression_dataset_defaults_to_r2():
    assert validate_objective(sk(estimator="ridge", dataset="diabetes"))["metric"] == "r2"


def test_validating_a_normalised_spec_returns_it_unchanged():
    once = validate_objective(csv(), task="regression")

    assert validate_objective(once) == once


def test_csv_task_passed_by_the_caller_picks_the_default_metric():
    spec = validate_objective(csv(), task="regression")

    assert (spec["task"], spec["metric"]) == ("regression", "r2")


def test_csv_without_task_leaves_task_and_metric_unknown():
    spec = validate_objective(csv())

    assert (spec["task"], spec["metric"]) == (None, None)


def test_function_and_external_specs_are_kept():
    assert validate_objective({"kind": "function", "name": "branin"}) == {"kind": "function", "name": "branin"}
    assert validate_objective({"kind": "external"}) == {"kind": "external"}


REJECTIONS = [
    ("not-a-dict", ["kind"], None, "objective"),
    ("unknown-kind", {"kind": "bash"}, None, "objective.kind"),
    ("missing-kind", {"estimator": "svm"}, None, "objective.kind"),
    ("unknown-key", sk(seed=3), None, "objective.seed"),
    ("unknown-estimator", sk(estimator="xgboost"), None, "objective.estimator"),
    ("estimator-not-string", sk(estimator=5), None, "objective.estimator"),
    ("missing-estimator", {"kind": "sklearn", "dataset": "iris"}, None, "objective.estimator"),
    ("regressor-on-classification", sk(estimator="ridge"), None, "objective.estimator"),
    ("elastic-net-on-classification", sk(estimator="elastic_net"), None, "objective.estimator"),
    ("classifier-on-regression", sk(dataset="diabetes"), None, "objective.estimator"),
    ("regressor-on-csv-classification", csv(estimator="ridge"), "classification", "objective.estimator"),
    ("regression-metric-on-classification", sk(metric="r2"), None, "objective.metric"),
    ("classification-metric-on-regression", sk(estimator="ridge", dataset="diabetes", metric="f1"), None,
     "objective.metric"),
    ("metric-the-estimator-cannot-serve", csv(estimator="ridge", metric="accuracy"), None, "objective.metric"),
    ("unknown-metric", sk(metric="auc_pr"), None, "objective.metric"),
    ("metric-not-string", sk(metric=1), None, "objective.metric"),
    ("cv-too-small", sk(cv=1), None, "objective.cv"),
    ("cv-too-large", sk(cv=21), None, "objective.cv"),
    ("cv-string", sk(cv="5"), None, "objective.cv"),
    ("cv-float", sk(cv=5.0), None, "objective.cv"),
    ("cv-bool", sk(cv=True), None, "objective.cv"),
    ("unknown-dataset", sk(dataset="mnist"), None, "objective.dataset"),
    ("csv-without-id", sk(dataset="csv:"), None, "objective.dataset"),
    ("csv-id-with-path", sk(dataset="csv:../etc/passwd"), None, "objective.dataset"),
    ("csv-without-target", csv(target=None), None, "objective.target"),
    ("target-not-string", csv(target=3), None, "objective.target"),
    ("bundled-with-target", sk(target="species"), None, "objective.target"),
    ("unknown-task", csv(task="clustering"), None, "objective.task"),
    ("unknown-task-argument", csv(), "ranking", "objective.task"),
    ("spec-task-contradicts-argument", csv(task="regression"), "classification", "objective.task"),
    ("task-contradicts-bundled", sk(task="regression"), None, "objective.task"),
    ("unknown-function", {"kind": "function", "name": "himmelblau"}, None, "objective.name"),
    ("function-with-estimator", {"kind": "function", "name": "branin", "estimator": "svm"}, None,
     "objective.estimator"),
    ("external-with-extra", {"kind": "external", "name": "x"}, None, "objective.name"),
]


@pytest.mark.parametrize("spec, task, field", [r[1:] for r in REJECTIONS], ids=[r[0] for r in REJECTIONS])
def test_invalid_spec_is_rejected_on_its_field(spec, task, field):
    with pytest.raises(ObjectiveError) as info:
        validate_objective(spec, task=task)
    assert info.value.field == field


def test_objective_error_is_a_value_error_naming_field_and_fault():
    with pytest.raises(ValueError, match=r"^objective\.cv: must be between 2 and 20; got 30$"):
        validate_objective(sk(cv=30))


def test_incompatible_estimator_message_lists_estimators_that_can():
    with pytest.raises(ObjectiveError) as info:
        validate_objective(sk(estimator="ridge"))
    assert "logistic_regression" in info.value.message


def test_objective_direction_follows_the_metric():
    assert objective_direction(sk(estimator="ridge", dataset="diabetes", metric="rmse")) == "minimize"
    assert objective_direction(sk()) == "maximize"


def test_functions_are_minimised():
    assert objective_direction({"kind": "function", "name": "ackley"}) == "minimize"


def test_external_objective_has_no_natural_direction():
    assert objective_direction({"kind": "external"}) is None


def test_csv_objective_without_task_or_metric_has_no_direction_yet():
    assert objective_direction(csv()) is None
