"""Stop rules through the API: the budget keys are validated (400 naming the key), shown back, and a
study a rule stopped says so in stop_reason."""

import pytest

from studies.models import Study
from tests.api.helpers import ask, create, external_spec, tell

pytestmark = pytest.mark.django_db


def _post(api, **budget):
    return api.post("/api/studies/", external_spec(direction="maximize", budget={"n_trials": 50, **budget}),
                    format="json")


@pytest.mark.parametrize("budget, field", [
    ({"patience": -3}, "budget.patience"),
    ({"patience": "ten"}, "budget.patience"),
    ({"patience": 1.5}, "budget.patience"),
    ({"target": "high"}, "budget.target"),
    ({"target": [0.9]}, "budget.target"),
    ({"patience": 10, "min_delta": -0.01}, "budget.min_delta"),
    ({"min_delta": 0.01}, "budget.min_delta"),
    ({"regret_bound": "on"}, "budget.regret_bound"),
    ({"regret_bound": {"min_trials": -1}}, "budget.regret_bound.min_trials"),
    ({"regret_bound": {"check_every": 0}}, "budget.regret_bound.check_every"),
    ({"regret_bound": {"every": 2}}, "budget.regret_bound.every"),
])
def test_a_bad_stop_rule_answers_400_naming_it_and_stores_nothing(api, budget, field):
    response = _post(api, **budget)

    assert response.status_code == 400, response.data
    assert field in response.data, response.data
    assert Study.objects.count() == 0


def test_stop_rules_refuse_a_study_of_several_objectives(api):
    body = external_spec(directions=["minimize", "maximize"], budget={"n_trials": 10, "target": 0.5})
    del body["direction"]

    response = api.post("/api/studies/", body, format="json")

    assert response.status_code == 400
    assert "budget.target" in response.data


def test_the_budget_shows_the_stop_rules_back(api):
    response = _post(api, target=0.95, patience=20, min_delta=0.001, regret_bound=True)

    assert response.status_code == 201, response.data
    assert response.data["budget"] == {
        "n_trials": 50, "timeout_s": None, "parallelism": 1, "target": 0.95, "patience": 20, "min_delta": 0.001,
        "regret_bound": {"min_trials": 20, "check_every": 1},
    }
    assert response.data["stop_reason"] is None


def test_a_budget_without_stop_rules_shows_them_null(api):
    response = _post(api)

    budget = response.data["budget"]
    assert [budget[key] for key in ("target", "patience", "min_delta", "regret_bound")] == [None] * 4


def test_an_ask_tell_study_stops_itself_at_its_target_and_says_why(api):
    study_id = create(api, direction="maximize", budget={"n_trials": 50, "target": 0.9})

    told = tell(api, ask(api, study_id)["id"], value=0.93)
    refused = api.post(f"/api/studies/{study_id}/ask/")

    study = api.get(f"/api/studies/{study_id}/").data
    assert told.status_code == 200
    assert study["state"] == "stopped" and study["stop_reason"] == "target"
    assert refused.status_code == 409 and "reached your target of 0.9 after 1 trial" in refused.data["detail"]
