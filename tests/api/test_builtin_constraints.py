"""POST /api/studies/ with limits on a built-in objective: kept on the study's objective, and a bad
limit answers 400 naming its field (objective.constraints[i]...), storing nothing."""

import pytest

from studies.models import Study

pytestmark = pytest.mark.django_db


def body(constraints):
    return {"name": "limited", "objective": {"kind": "sklearn", "estimator": "logistic_regression",
                                             "dataset": "breast_cancer", "cv": 3, "constraints": constraints},
            "budget": {"n_trials": 5}}


def test_limits_are_stored_on_the_studys_objective(api):
    response = api.post("/api/studies/", body([{"metric": "fit_time_s", "max": 2}, {"metric": "recall", "min": 0.8}]),
                        format="json")

    assert response.status_code == 201, response.data
    stored = Study.objects.get(pk=response.data["id"]).objective["constraints"]
    assert stored == [{"metric": "fit_time_s", "max": 2.0}, {"metric": "recall", "min": 0.8}]


@pytest.mark.parametrize("constraints, field", [
    ([{"metric": "fit_time_s", "max": 2}, {"metric": "latency", "max": 1}], "objective.constraints[1].metric"),
    ([{"metric": "recall", "min": 0.8, "max": 0.9}], "objective.constraints[0]"),
    ([{"metric": "recall"}], "objective.constraints[0]"),
    ([{"metric": "model_size_bytes", "max": "big"}], "objective.constraints[0].max"),
    ([{"metric": "r2", "min": 0.5}], "objective.constraints[0].metric"),
    ({"metric": "recall", "min": 0.8}, "objective.constraints"),
])
def test_a_bad_limit_is_400_naming_the_field_and_nothing_is_stored(api, constraints, field):
    response = api.post("/api/studies/", body(constraints), format="json")

    assert response.status_code == 400
    assert field in response.data, response.data
    assert not Study.objects.exists()


def test_a_non_finite_limit_is_400_and_nothing_is_stored(api):
    # The JSON parser refuses it before the spec is read; validate_objective refuses it for Python callers.
    response = api.generic("POST", "/api/studies/", '{"name": "x", "objective": {"kind": "sklearn", '
                           '"estimator": "ridge", "dataset": "diabetes", "constraints": '
                           '[{"metric": "fit_time_s", "max": 1e400}]}}', content_type="application/json")

    assert response.status_code == 400
    assert "1e400" in str(response.data)
    assert not Study.objects.exists()
