"""A child study's space must lie inside its parent's; each way out is named by its field."""

import pytest

from studies.engine import SearchSpace, SearchSpaceError, narrowed_space, narrowing_faults

PARENT = SearchSpace.from_json({
    "lr": {"type": "float", "low": 1e-4, "high": 1.0, "log": True},
    "depth": {"type": "int", "low": 2, "high": 12, "step": 2},
    "frac": {"type": "float", "low": 0.0, "high": 1.0, "step": 0.1},
    "kernel": {"type": "categorical", "choices": ["rbf", "linear", "poly"]},
    "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly", "rbf"]}},
})


def _faults(changes):
    with pytest.raises(SearchSpaceError) as caught:
        narrowed_space(PARENT, changes)
    return caught.value.errors


def test_parameters_left_out_stay_as_in_the_parent():
    child = narrowed_space(PARENT, {"lr": {"type": "float", "low": 0.001, "high": 0.01, "log": True}})

    assert child["lr"].low == 0.001 and child["lr"].high == 0.01
    assert child["depth"] == PARENT["depth"] and child["kernel"] == PARENT["kernel"]


def test_the_same_space_is_inside_itself():
    assert narrowing_faults(PARENT, PARENT) == []


def test_bounds_moved_inwards_on_the_step_grid_and_fewer_choices_are_inside():
    child = narrowed_space(PARENT, {
        "depth": {"type": "int", "low": 4, "high": 8, "step": 2},
        "frac": {"type": "float", "low": 0.3, "high": 0.6, "step": 0.1},
        "kernel": {"type": "categorical", "choices": ["poly"]},
        "degree": {"type": "int", "low": 2, "high": 3, "condition": {"kernel": ["poly"]}},
    })

    assert child["depth"].low == 4 and child["kernel"].choices == ("poly",) and child["degree"].condition.values == ("poly",)


def test_a_high_above_the_parents_is_named_on_high():
    assert _faults({"lr": {"type": "float", "low": 0.01, "high": 2.0, "log": True}}) == [
        ("lr.high", "high 2.0 is above the parent study's high (1.0)")]


def test_a_low_below_the_parents_is_named_on_low():
    assert [path for path, _ in _faults({"depth": {"type": "int", "low": 0, "high": 8, "step": 2}})] == ["depth.low"]


def test_a_new_choice_is_named_on_choices():
    faults = _faults({"kernel": {"type": "categorical", "choices": ["rbf", "sigmoid"]},
                      "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["rbf"]}}})

    assert faults == [("kernel.choices", '"sigmoid" is not a choice of the parent study')]


def test_a_changed_type_log_or_step_is_named():
    faults = _faults({
        "lr": {"type": "float", "low": 0.01, "high": 0.1},
        "depth": {"type": "int", "low": 2, "high": 12},
        "frac": {"type": "categorical", "choices": [0.1, 0.2]},
    })

    assert [path for path, _ in faults] == ["lr.log", "depth.step", "frac.type"]


def test_a_low_off_the_parents_step_grid_is_named_on_low():
    assert [path for path, _ in _faults({"depth": {"type": "int", "low": 3, "high": 11, "step": 2}})] == ["depth.low"]


def test_a_condition_active_for_more_values_than_in_the_parent_is_named():
    faults = _faults({"degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly", "linear"]}}})

    assert [path for path, _ in faults] == ["degree.condition"]


def test_a_dropped_condition_is_named():
    assert [path for path, _ in _faults({"degree": {"type": "int", "low": 2, "high": 5}})] == ["degree.condition"]


def test_an_unknown_parameter_is_named():
    assert _faults({"gamma": {"type": "float", "low": 0, "high": 1}})[0][0] == "gamma"


def test_a_spec_that_does_not_parse_is_named_on_its_key():
    assert [path for path, _ in _faults({"lr": {"type": "float", "low": 0.1, "high": 0.01, "log": True}})] == ["lr.low"]


def test_a_space_that_is_not_an_object_is_refused():
    assert _faults(["lr"])[0][0] == ""


def test_a_condition_left_out_follows_the_choices_its_parent_keeps():
    child = narrowed_space(PARENT, {"kernel": {"type": "categorical", "choices": ["rbf", "linear"]}})

    assert child["degree"].condition.values == ("rbf",)


def test_a_parameter_left_out_that_can_no_longer_be_active_is_dropped():
    child = narrowed_space(PARENT, {"kernel": {"type": "categorical", "choices": ["linear"]}})

    assert "degree" not in child and narrowing_faults(PARENT, child) == []


def test_a_parameter_that_could_still_be_active_may_not_be_dropped():
    child = SearchSpace.from_json({name: spec for name, spec in PARENT.to_json().items() if name != "degree"})

    assert narrowing_faults(PARENT, child) == [("degree", "the narrower space must keep every parameter of the parent study")]
