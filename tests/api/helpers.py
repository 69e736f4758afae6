"""Small builders for API tests."""

SPACE = {
    "x": {"type": "float", "low": -5.0, "high": 5.0},
    "n": {"type": "int", "low": 1, "high": 4},
    "kind": {"type": "categorical", "choices": ["a", "b"]},
}


def external_spec(**overrides):
    body = {
        "name": "ask/tell study",
        "direction": "minimize",
        "search_space": SPACE,
        "sampler": {"name": "random", "seed": 1},
        "objective": {"kind": "external"},
        "budget": {"n_trials": 10},
    }
    body.update(overrides)
    return body


def create(api, **overrides):
    response = api.post("/api/studies/", external_spec(**overrides), format="json")
    assert response.status_code == 201, response.data
    return response.data["id"]


def ask(api, study_id):
    response = api.post(f"/api/studies/{study_id}/ask/")
    assert response.status_code == 201, response.data
    return response.data


def tell(api, trial_id, **body):
    return api.post(f"/api/trials/{trial_id}/tell/", body, format="json")
