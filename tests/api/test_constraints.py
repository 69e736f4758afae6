"""Constraints: told with a trial's outcome, shown on the trial, and the best trial is feasible."""

import pytest

from studies.models import Trial

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db


def test_tell_stores_constraints_and_the_trial_shows_them_feasible_or_not(api):
    study_id = create(api)
    held, broken = ask(api, study_id), ask(api, study_id)

    tell(api, held["id"], value=1.0, constraints=[-0.5, 0])
    response = tell(api, broken["id"], value=2.0, constraints=[0.3, -1])

    assert response.status_code == 200
    assert (response.data["constraints"], response.data["feasible"]) == ([0.3, -1.0], False)
    shown = api.get(f"/api/trials/{held['id']}/").data
    assert (shown["constraints"], shown["feasible"]) == ([-0.5, 0.0], True)


def test_a_trial_without_constraints_shows_null_for_both(api):
    trial = ask(api, create(api))

    response = tell(api, trial["id"], value=1.0)

    assert (response.data["constraints"], response.data["feasible"]) == (None, None)


def test_report_stores_constraints_too(api):
    trial = ask(api, create(api))

    api.post(f"/api/trials/{trial['id']}/report/", {"step": 0, "value": 0.5, "constraints": [2]}, format="json")

    assert Trial.objects.get(pk=trial["id"]).feasible is False


def test_the_best_trial_is_the_best_feasible_one(api):
    study_id = create(api)
    trials = [ask(api, study_id) for _ in range(3)]

    tell(api, trials[0]["id"], value=5.0, constraints=[-1.0])
    tell(api, trials[1]["id"], value=1.0, constraints=[0.5])  # the lowest value breaks its constraint
    tell(api, trials[2]["id"], value=3.0, constraints=[0.0])

    best = api.get(f"/api/studies/{study_id}/").data["best_trial"]
    assert (best["number"], best["value"]) == (2, 3.0)


def test_a_study_with_no_feasible_trial_has_no_best_trial(api):
    study_id = create(api)
    tell(api, ask(api, study_id)["id"], value=1.0, constraints=[1.0])

    assert api.get(f"/api/studies/{study_id}/").data["best_trial"] is None


@pytest.mark.parametrize("bad,field", [
    ("0.3", "constraints"),
    ([], "constraints"),
    ({"c": 1}, "constraints"),
    ([0.1] * 101, "constraints"),
    ([0.1, "NaN"], "constraints[1]"),
    ([0.1, 0.2, None], "constraints[2]"),
    ([True], "constraints[0]"),
    (["x"], "constraints[0]"),
])
def test_malformed_constraints_are_400_naming_the_field_and_nothing_is_stored(api, bad, field):
    trial = ask(api, create(api))

    response = tell(api, trial["id"], value=1.0, constraints=bad)

    assert response.status_code == 400
    assert field in response.data
    stored = Trial.objects.get(pk=trial["id"])
    assert (stored.state, stored.constraints) == ("running", None)


def test_a_different_number_of_constraints_than_the_study_gave_is_400(api):
    study_id = create(api)
    first, second = ask(api, study_id), ask(api, study_id)
    tell(api, first["id"], value=1.0, constraints=[0.1, -0.2])

    response = tell(api, second["id"], value=1.0, constraints=[0.1])

    assert response.status_code == 400
    assert "2 constraint" in str(response.data["constraints"])
    assert Trial.objects.get(pk=second["id"]).state == "running"


def test_the_tpe_sampler_reads_the_constraints_of_the_history(api):
    # Past its start-up trials tpe ranks feasible trials first: here every trial with x > 0
    # broke its constraint, so the next asks stay mostly at x <= 0.
    study_id = create(api, sampler={"name": "tpe", "seed": 0, "n_startup_trials": 10},
                      search_space={"x": {"type": "float", "low": -5.0, "high": 5.0}}, budget={"n_trials": 40})
    for _ in range(30):
        trial = ask(api, study_id)
        x = trial["params"]["x"]
        tell(api, trial["id"], value=-x, constraints=[x])
    late = Trial.objects.filter(study_id=study_id, number__gte=20).values_list("params__x", flat=True)

    assert sum(x <= 0.5 for x in late) >= 7
