"""A study of one objective may name its value (objective_names with one name), so its pages say
"best validation loss" rather than "best value"; a study of a built-in model is named after its
metric unless told otherwise, and a benchmark function's stays "value"."""

import pytest

from studies.models import Study
from tests.api.helpers import external_spec

pytestmark = pytest.mark.django_db

RIDGE = {"kind": "sklearn", "estimator": "ridge", "dataset": "diabetes", "metric": "rmse", "cv": 3}
BRANIN = {"kind": "function", "name": "branin"}
BRANIN_SPACE = {"x": {"type": "float", "low": -5, "high": 10}, "y": {"type": "float", "low": 0, "high": 15}}
BUDGET = {"n_trials": 5}


def test_the_api_keeps_the_name_of_a_single_objective(api):
    response = api.post("/api/studies/", external_spec(objective_names=["validation loss"]), format="json")

    assert response.status_code == 201, response.data
    assert response.data["objective_names"] == ["validation loss"]
    assert Study.objects.get(pk=response.data["id"]).objective_labels == ["validation loss"]


@pytest.mark.parametrize("names, field, fault", [
    ("loss", "objective_names", 'a list of 1 name, what the value measures, such as ["accuracy"]'),
    (["loss", "time"], "objective_names", "a list of 1 name"),
    ([""], "objective_names[0]", "objective_names[0] is not text"),
    ([7], "objective_names[0]", "objective_names[0] is not text"),
    (["x" * 61], "objective_names[0]", "objective_names[0] is 61 characters long; at most 60"),
    (["lo\nss"], "objective_names[0]", "control character"),
])
def test_a_bad_name_of_a_single_objective_answers_400_naming_the_field(api, names, field, fault):
    response = api.post("/api/studies/", external_spec(objective_names=names), format="json")

    assert response.status_code == 400
    assert fault in " ".join(response.data[field]), response.data
    assert Study.objects.count() == 0


def test_a_built_in_model_study_is_named_after_its_metric_in_words(api):
    response = api.post("/api/studies/", {"name": "ridge", "objective": RIDGE, "budget": BUDGET}, format="json")

    assert response.status_code == 201, response.data
    assert response.data["objective_names"] == ["root mean squared error"]


def test_a_name_given_to_a_built_in_model_study_wins_over_its_metric(api):
    body = {"name": "ridge", "objective": RIDGE, "budget": BUDGET, "objective_names": ["typical miss in dollars"]}

    response = api.post("/api/studies/", body, format="json")

    assert response.data["objective_names"] == ["typical miss in dollars"]


def test_a_benchmark_function_study_without_a_name_calls_its_result_the_value(api):
    body = {"name": "branin", "objective": BRANIN, "search_space": BRANIN_SPACE, "budget": BUDGET}

    response = api.post("/api/studies/", body, format="json")

    assert response.data["objective_names"] == []
    assert Study.objects.get(pk=response.data["id"]).objective_labels == ["value"]


def test_an_empty_list_of_names_is_an_unnamed_study_as_the_api_shows_it(api):
    response = api.post("/api/studies/", external_spec(objective_names=[]), format="json")

    assert response.status_code == 201, response.data
    assert response.data["objective_names"] == []
