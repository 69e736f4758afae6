"""POST /api/studies/: valid specs are stored; every fault answers 400 naming the field, storing nothing."""

import pytest

from studies.models import Study
from tests.api.helpers import external_spec
from tests.engine.helpers import CONTRACT_EXAMPLE

pytestmark = pytest.mark.django_db

SPACE = CONTRACT_EXAMPLE


def spec(**overrides):
    return external_spec(**{"name": "external study", "search_space": SPACE, "sampler": {"name": "random", "seed": 0},
                            "budget": {"n_trials": 20}, **overrides})


def test_create_answers_201_with_id_and_state(api, owner):
    response = api.post("/api/studies/", spec(), format="json")

    assert response.status_code == 201, response.data
    assert response.data["state"] == "created"
    study = Study.objects.get(pk=response.data["id"])
    assert study.owner == owner
    assert study.search_space == SPACE
    assert study.seed == 0


def test_create_without_seed_draws_one_and_shows_it(api):
    response = api.post("/api/studies/", spec(sampler={"name": "random"}), format="json")

    assert response.status_code == 201
    assert isinstance(response.data["sampler"]["seed"], int)


def test_sklearn_study_without_space_gets_the_estimators_default_space(api):
    body = spec(
        search_space=None,
        direction=None,
        objective={"kind": "sklearn", "estimator": "random_forest", "dataset": "iris", "metric": "accuracy", "cv": 3},
    )
    del body["search_space"], body["direction"]

    response = api.post("/api/studies/", body, format="json")

    assert response.status_code == 201, response.data
    assert response.data["search_space"], "a default space was filled in"
    assert response.data["direction"] == "maximize"


def test_sklearn_study_with_the_wrong_direction_for_its_metric_is_refused(api):
    body = spec(direction="minimize", objective={"kind": "sklearn", "estimator": "knn", "dataset": "iris", "metric": "accuracy"})
    del body["search_space"]

    response = api.post("/api/studies/", body, format="json")

    assert response.status_code == 400
    assert "maximize" in response.data["direction"][0]


BAD_SPACES = [
    ("low_not_below_high", {"x": {"type": "float", "low": 1, "high": 1}}, "low"),
    ("log_with_nonpositive_low", {"x": {"type": "float", "low": 0, "high": 1, "log": True}}, "log"),
    ("step_not_dividing_range", {"x": {"type": "int", "low": 0, "high": 10, "step": 3}}, "step"),
    ("empty_choices", {"x": {"type": "categorical", "choices": []}}, "choices"),
    ("duplicate_choices", {"x": {"type": "categorical", "choices": ["a", "a"]}}, "duplicate"),
    ("unknown_type", {"x": {"type": "complex", "low": 0, "high": 1}}, "type"),
    ("unknown_key", {"x": {"type": "float", "low": 0, "high": 1, "colour": "red"}}, "colour"),
    ("condition_on_missing_parameter", {"x": {"type": "float", "low": 0, "high": 1, "condition": {"k": ["a"]}}}, "k"),
    (
        "condition_on_non_categorical",
        {"y": {"type": "float", "low": 0, "high": 1}, "x": {"type": "float", "low": 0, "high": 1, "condition": {"y": [1]}}},
        "categorical",
    ),
    (
        "condition_cycle",
        {
            "a": {"type": "categorical", "choices": ["u", "v"], "condition": {"b": ["u"]}},
            "b": {"type": "categorical", "choices": ["u", "v"], "condition": {"a": ["u"]}},
        },
        "cycle",
    ),
    ("name_not_identifier", {"not a name": {"type": "float", "low": 0, "high": 1}}, "identifier"),
    ("too_many_parameters", {f"p{i}": {"type": "float", "low": 0, "high": 1} for i in range(101)}, "100"),
]


@pytest.mark.parametrize("space,fragment", [case[1:] for case in BAD_SPACES], ids=[case[0] for case in BAD_SPACES])
def test_bad_search_space_answers_400_naming_the_fault(api, space, fragment):
    response = api.post("/api/studies/", spec(search_space=space), format="json")

    assert response.status_code == 400
    messages = " ".join(response.data["search_space"])
    assert fragment.lower() in messages.lower(), messages
    assert Study.objects.count() == 0


BAD_SETTINGS = [
    ("unknown_direction", {"direction": "up"}, "direction"),
    ("zero_trials", {"budget": {"n_trials": 0}}, "budget.n_trials"),
    ("bool_parallelism", {"budget": {"n_trials": 5, "parallelism": True}}, "budget.parallelism"),
    ("unknown_budget_field", {"budget": {"n_trials": 5, "trials": 3}}, "budget.trials"),
    ("unknown_field", {"colour": "blue"}, "colour"),
    ("unknown_sampler", {"sampler": {"name": "magic"}}, "sampler"),
    ("bad_seed", {"sampler": {"name": "random", "seed": -1}}, "sampler.seed"),
    ("missing_name", {"name": ""}, "name"),
    ("missing_objective", {"objective": None}, "objective"),
    ("unknown_objective_kind", {"objective": {"kind": "magic"}}, "objective"),
    ("unknown_pruner", {"pruner": {"name": "magic"}}, "pruner"),
]


@pytest.mark.parametrize("overrides,field", [case[1:] for case in BAD_SETTINGS], ids=[case[0] for case in BAD_SETTINGS])
def test_bad_study_settings_answer_400_on_their_field(api, overrides, field):
    response = api.post("/api/studies/", spec(**overrides), format="json")

    assert response.status_code == 400, response.data
    assert any(key == field or key.startswith(field) for key in response.data), response.data
    assert Study.objects.count() == 0


def test_grid_over_a_million_points_is_refused(api):
    space = {f"x{i}": {"type": "int", "low": 0, "high": 99} for i in range(4)}

    response = api.post("/api/studies/", spec(search_space=space, sampler={"name": "grid"}), format="json")

    assert response.status_code == 400
    assert "1,000,000" in " ".join(response.data["sampler"]) or "1000000" in " ".join(response.data["sampler"])


def test_body_that_is_not_an_object_answers_400(api):
    response = api.post("/api/studies/", [1, 2], format="json")

    assert response.status_code == 400


def test_malformed_json_answers_400(api):
    response = api.post("/api/studies/", "{not json", content_type="application/json")

    assert response.status_code == 400
