"""objective.exclude: columns left out of the features, checked against the dataset's columns."""

import pytest

from studies.objectives import ObjectiveError, validate_objective

COLUMNS = ["customer_id", "age", "plan", "churn"]


def csv(**overrides):
    return {"kind": "sklearn", "estimator": "random_forest", "dataset": "csv:42", "target": "churn"} | overrides


def _fault(spec, **kwargs):
    with pytest.raises(ObjectiveError) as info:
        validate_objective(spec, **kwargs)
    return info.value.field, info.value.message


def test_excluded_columns_are_kept_in_the_normalised_spec():
    spec = validate_objective(csv(exclude=["customer_id"]), columns=COLUMNS)

    assert spec["exclude"] == ["customer_id"]
    assert validate_objective(spec, columns=COLUMNS) == spec


def test_an_unknown_column_is_an_error_on_objective_exclude():
    assert _fault(csv(exclude=["age", "postcode"]), columns=COLUMNS) == (
        "objective.exclude", "'postcode' is not a column of the dataset")


def test_the_target_cannot_be_excluded():
    assert _fault(csv(exclude=["churn"]), columns=COLUMNS) == (
        "objective.exclude", "'churn' is the target; it cannot be excluded")


def test_excluding_every_feature_is_an_error():
    assert _fault(csv(exclude=["customer_id", "age", "plan"]), columns=COLUMNS)[0] == "objective.exclude"


@pytest.mark.parametrize("value", ["age", [1], [""], {"age": True}, None])
def test_exclude_must_be_a_list_of_names(value):
    assert _fault(csv(exclude=value)) == ("objective.exclude", "must be a list of column names")


def test_a_column_listed_twice_is_an_error():
    assert _fault(csv(exclude=["age", "age"])) == ("objective.exclude", "column 'age' is listed twice")


def test_bundled_dataset_columns_are_checked_by_their_scikit_learn_names():
    spec = {"kind": "sklearn", "estimator": "ridge", "dataset": "diabetes"}

    assert validate_objective(spec | {"exclude": ["bmi"]})["exclude"] == ["bmi"]
    assert _fault(spec | {"exclude": ["BMI"]}) == ("objective.exclude", "'BMI' is not a column of the dataset")
