"""Checking user-given params (manual trials) against the space."""

import pytest

from studies.engine import SearchSpaceError

GOOD = {
    "lr": 0.001, "dropout": 0.1, "momentum": 0.9, "depth": 3, "trees": 100, "width": 64,
    "kernel": "rbf", "gamma": 0.1, "shrinking": True, "tol_scale": 0.5, "mixed": "three",
}


def errors_for(space, params):
    with pytest.raises(SearchSpaceError) as info:
        space.validate_params(params)
    return info.value.errors


def test_good_params_come_back_unchanged(mixed_space):
    assert mixed_space.validate_params(GOOD) == GOOD


def test_params_come_back_in_space_order(mixed_space):
    assert list(mixed_space.validate_params(GOOD)) == [n for n in mixed_space.names if n in GOOD]


def test_numbers_are_normalised_to_the_param_type(mixed_space):
    clean = mixed_space.validate_params({**GOOD, "depth": 3.0, "dropout": 0})

    assert type(clean["depth"]) is int and clean["depth"] == 3
    assert type(clean["dropout"]) is float and clean["dropout"] == 0.0


def test_stepped_floats_are_snapped_onto_the_grid(mixed_space):
    clean = mixed_space.validate_params({**GOOD, "dropout": 0.1 + 0.2})

    assert clean["dropout"] == 0.3


def test_choices_come_back_as_stored(mixed_space):
    clean = mixed_space.validate_params({**GOOD, "mixed": 1.0})

    assert clean["mixed"] == 1 and type(clean["mixed"]) is int


def test_inactive_children_are_not_required(mixed_space):
    params = {k: v for k, v in GOOD.items() if k not in ("gamma", "shrinking", "tol_scale")}

    assert mixed_space.validate_params({**params, "kernel": "linear"}) == {**params, "kernel": "linear"}


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"depth": None}, ("depth", "value must be an integer, not null")),
        ({"depth": 13}, ("depth", "value 13 is above high (12)")),
        ({"depth": 1}, ("depth", "value 1 is below low (2)")),
        ({"depth": 2.5}, ("depth", "value must be an integer, not 2.5")),
        ({"depth": True}, ("depth", "value must be an integer, not true (booleans are not numbers here)")),
        ({"trees": 120}, ("trees", "value 120 is not on the step grid (low 50, step 50)")),
        ({"lr": 0.5}, ("lr", "value 0.5 is above high (0.1)")),
        ({"lr": "0.01"}, ("lr", 'value must be a number, not "0.01"')),
        ({"lr": float("nan")}, ("lr", "value must be a finite number, not NaN")),
        ({"dropout": 0.12}, ("dropout", "value 0.12 is not on the step grid (low 0.0, step 0.05)")),
        ({"kernel": "sigmoid"}, ("kernel", 'value "sigmoid" is not one of the choices ("rbf", "linear", "poly")')),
        ({"shrinking": 1}, ("shrinking", "value 1 is not one of the choices (true, false)")),
        ({"mixed": [1]}, ("mixed", 'value [1] is not one of the choices (1, 2.5, "three")')),
    ],
    ids=["null", "above-high", "below-low", "fraction-for-int", "bool-for-int", "off-int-step", "float-above-high",
         "string-for-float", "nan", "off-float-step", "not-a-choice", "1-for-true", "list-for-choice"],
)
def test_bad_value_is_rejected_at_its_param(mixed_space, change, expected):
    assert errors_for(mixed_space, {**GOOD, **change}) == [expected]


def test_missing_active_param_is_rejected(mixed_space):
    params = {k: v for k, v in GOOD.items() if k != "gamma"}

    assert errors_for(mixed_space, params) == [("gamma", "a value is required: the parameter is active")]


def test_inactive_param_given_is_rejected(mixed_space):
    params = {**GOOD, "kernel": "linear", "degree": 3}
    del params["gamma"], params["shrinking"], params["tol_scale"]

    assert errors_for(mixed_space, params) == [
        ("degree", 'the parameter does not apply here: it is used only when kernel is "poly"'),
    ]


def test_unknown_param_is_rejected_by_name(mixed_space):
    assert errors_for(mixed_space, {**GOOD, "colour": "red"}) == [("colour", 'unknown parameter "colour"')]


def test_children_of_a_wrong_parent_value_are_not_judged(mixed_space):
    assert errors_for(mixed_space, {**GOOD, "kernel": "sigmoid"}) == [
        ("kernel", 'value "sigmoid" is not one of the choices ("rbf", "linear", "poly")'),
    ]


def test_every_fault_is_reported(mixed_space):
    errors = errors_for(mixed_space, {**GOOD, "depth": 99, "lr": -1.0, "colour": 1})

    assert [path for path, _ in errors] == ["lr", "depth", "colour"]


def test_params_that_are_not_an_object_are_rejected(mixed_space):
    assert errors_for(mixed_space, [1, 2]) == [("", "params must be an object mapping names to values, not [1, 2]")]
