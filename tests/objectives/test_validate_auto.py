import pytest

from studies.objectives import ObjectiveError, objective_direction, validate_objective


def sk(estimator, **overrides):
    return {"kind": "sklearn", "estimator": estimator, "dataset": "iris"} | overrides


@pytest.mark.parametrize("estimator", ["auto", ["svm", "knn"], ["mlp"]])
def test_auto_and_lists_validate_and_stay_as_given(estimator):
    spec = validate_objective(sk(estimator))

    assert spec["estimator"] == estimator
    assert validate_objective(spec) == spec


def test_auto_takes_the_tasks_default_metric_and_direction():
    spec = sk("auto", dataset="diabetes")

    assert validate_objective(spec)["metric"] == "r2"
    assert objective_direction(spec) == "maximize"


def test_auto_with_unknown_task_of_a_csv_validates():
    spec = validate_objective({"kind": "sklearn", "estimator": "auto", "dataset": "csv:3", "target": "y"})

    assert spec["task"] is None and spec["estimator"] == "auto"


@pytest.mark.parametrize(
    "estimator, fault",
    [
        ([], "empty"),
        (["svm", "svm"], "more than once"),
        (["svm", "lightgbm"], "unknown estimator 'lightgbm'"),
        (["svm", 3], "unknown estimator 3"),
        (["ridge", "knn"], "ridge cannot do classification"),
        (7, "required"),
        ("", "required"),
        ("Auto", "unknown estimator 'Auto'"),
    ],
)
def test_bad_estimator_lists_name_the_estimator_field(estimator, fault):
    with pytest.raises(ObjectiveError) as info:
        validate_objective(sk(estimator))

    assert info.value.field == "objective.estimator"
    assert fault in info.value.message


def test_a_listed_family_that_cannot_serve_the_metric_names_the_metric_field():
    spec = {"kind": "sklearn", "estimator": ["ridge", "svm"], "dataset": "csv:3", "target": "y", "metric": "accuracy"}

    with pytest.raises(ObjectiveError) as info:
        validate_objective(spec)

    assert info.value.field == "objective.metric"
    assert "ridge" in info.value.message
