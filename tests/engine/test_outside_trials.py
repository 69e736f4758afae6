"""Trials from outside a study are checked against its search space and directions before it takes them."""

import pytest

from studies.engine import OutsideTrial, OutsideTrialError, SearchSpace, check_outside_trials, fitting_trials

SPACE = SearchSpace.from_json({
    "kind": {"type": "categorical", "choices": ["a", "b"]},
    "x": {"type": "float", "low": 0, "high": 1},
    "n": {"type": "int", "low": 1, "high": 5, "condition": {"kind": ["a"]}},
})


def test_trials_that_fit_come_back_normalised():
    trials = [OutsideTrial({"kind": "a", "x": 1, "n": 2.0}, value=3), OutsideTrial({"kind": "b", "x": 0.5}, "failed")]

    clean = check_outside_trials(SPACE, ["minimize"], trials)

    assert clean[0].params == {"kind": "a", "x": 1.0, "n": 2} and clean[0].value == 3.0
    assert (clean[1].state, clean[1].value, clean[1].error) == ("failed", None, "failed")


def test_every_fault_of_every_trial_is_named_by_its_position():
    trials = [OutsideTrial({"kind": "a", "x": 0.5, "n": 1}, value=1.0),
              OutsideTrial({"kind": "b", "x": 2.0}, value=1.0),
              OutsideTrial({"kind": "b", "x": 0.5}, "complete"),
              OutsideTrial({"kind": "b", "x": 0.5}, "running", value=1.0)]

    with pytest.raises(OutsideTrialError) as caught:
        check_outside_trials(SPACE, ["minimize"], trials)

    assert [(i, field) for i, field, _ in caught.value.errors] == [(1, "params.x"), (2, "value"), (3, "state")]


def test_a_multi_objective_study_needs_one_value_per_direction():
    trials = [OutsideTrial({"kind": "b", "x": 0.5}, values=[1.0]), OutsideTrial({"kind": "b", "x": 0.5}, values=[1, 2])]

    with pytest.raises(OutsideTrialError) as caught:
        check_outside_trials(SPACE, ["minimize", "maximize"], trials)

    assert [(i, field) for i, field, _ in caught.value.errors] == [(0, "values")]


def test_a_value_that_is_not_a_finite_number_is_refused():
    with pytest.raises(OutsideTrialError, match="finite number"):
        check_outside_trials(SPACE, ["minimize"], [OutsideTrial({"kind": "b", "x": 0.5}, value=float("inf"))])


def test_intermediate_values_need_whole_steps_and_finite_numbers():
    trial = OutsideTrial({"kind": "b", "x": 0.5}, value=1.0, intermediate={0: 1.0, -1: 2.0, 3: float("nan")})

    with pytest.raises(OutsideTrialError) as caught:
        check_outside_trials(SPACE, ["minimize"], [trial])

    assert [field for _, field, _ in caught.value.errors] == ["intermediate", "intermediate"]


def test_fitting_trials_leaves_out_those_that_do_not_fit():
    trials = [OutsideTrial({"kind": "b", "x": 2.0}, value=1.0), OutsideTrial({"kind": "b", "x": 0.5}, value=2.0)]

    kept = fitting_trials(SPACE, ["minimize"], trials)

    assert [trial.value for trial in kept] == [2.0]
