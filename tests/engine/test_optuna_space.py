"""Optuna's distributions mapped to a Tuner search space and back (plain JSON, no Optuna needed)."""

import pytest

from studies.engine import CategoricalParam, FloatParam, IntParam, SearchSpaceError, optuna_distribution
from studies.engine import space_from_optuna


def floats(low, high, log=False, step=None):
    return {"name": "FloatDistribution", "attributes": {"low": low, "high": high, "log": log, "step": step}}


def ints(low, high, log=False, step=1):
    return {"name": "IntDistribution", "attributes": {"low": low, "high": high, "log": log, "step": step}}


def choices(*values):
    return {"name": "CategoricalDistribution", "attributes": {"choices": list(values)}}


def test_each_kind_of_distribution_maps_to_its_parameter():
    trial = ({"lr": 0.01, "depth": 3, "kind": "a"},
             {"lr": floats(1e-4, 1.0, log=True), "depth": ints(2, 10, step=2), "kind": choices("a", "b")})

    space = space_from_optuna([trial]).to_json()

    assert space == {"lr": {"type": "float", "low": 1e-4, "high": 1.0, "log": True},
                     "depth": {"type": "int", "low": 2, "high": 10, "step": 2},
                     "kind": {"type": "categorical", "choices": ["a", "b"]}}


def test_ranges_that_differ_between_trials_are_merged():
    trials = [({"x": 0.5}, {"x": floats(0, 1)}), ({"x": 2.0}, {"x": floats(1, 3)}),
              ({"k": "c"}, {"k": choices("c")}), ({"k": "a"}, {"k": choices("a", "b")})]

    space = space_from_optuna(trials[:2]).to_json()
    kinds = space_from_optuna(trials[2:]).to_json()

    assert space["x"] == {"type": "float", "low": 0.0, "high": 3.0}
    assert kinds["k"]["choices"] == ["c", "a", "b"]


def test_a_range_of_one_value_becomes_a_categorical_of_that_value():
    space = space_from_optuna([({"x": 2.0}, {"x": floats(2.0, 2.0)})]).to_json()

    assert space["x"] == {"type": "categorical", "choices": [2.0]}


def test_a_parameter_set_only_for_some_choices_is_conditioned_on_that_categorical():
    trials = [({"kind": "svm", "c": 1.0}, {"kind": choices("svm", "tree"), "c": floats(0.1, 10)}),
              ({"kind": "tree"}, {"kind": choices("svm", "tree")})]

    space = space_from_optuna(trials).to_json()

    assert space["c"]["condition"] == {"kind": ["svm"]}


def test_a_parameter_set_only_sometimes_with_no_categorical_to_tell_when_cannot_be_mapped():
    trials = [({"x": 0.1, "y": 1.0}, {"x": floats(0, 1), "y": floats(0, 2)}), ({"x": 0.9}, {"x": floats(0, 1)})]

    with pytest.raises(SearchSpaceError) as caught:
        space_from_optuna(trials)

    assert caught.value.errors == [("y", 'parameter "y" is set in only some trials and no categorical parameter '
                                         "tells when; Tuner's search space cannot say when it applies")]


def test_a_parameter_that_changes_type_between_trials_cannot_be_mapped():
    trials = [({"x": 1}, {"x": ints(0, 3)}), ({"x": 0.5}, {"x": floats(0, 1)})]

    with pytest.raises(SearchSpaceError, match="changes type between trials"):
        space_from_optuna(trials)


def test_a_parameter_whose_step_changes_between_trials_cannot_be_mapped():
    trials = [({"x": 1}, {"x": ints(0, 4, step=2)}), ({"x": 1}, {"x": ints(0, 4)})]

    with pytest.raises(SearchSpaceError, match="changes its log or step"):
        space_from_optuna(trials)


def test_what_the_space_itself_refuses_is_named():
    trials = [({"my-lr": 0.5, "k": None}, {"my-lr": floats(0, 1), "k": choices(None, "a")})]

    with pytest.raises(SearchSpaceError) as caught:
        space_from_optuna(trials)

    paths = [path for path, _ in caught.value.errors]
    assert "" in paths and "k.choices" in paths  # the name's fault has no path, the choice's names its key


def test_an_unknown_distribution_is_named():
    with pytest.raises(SearchSpaceError, match="distribution Tuner does not know"):
        space_from_optuna([({"x": 1}, {"x": {"name": "WeirdDistribution", "attributes": {}}})])


@pytest.mark.parametrize("param, expected", [
    (FloatParam("x", 0.001, 1.0, log=True),
     {"name": "FloatDistribution", "attributes": {"low": 0.001, "high": 1.0, "log": True, "step": None}}),
    (FloatParam("x", 0.0, 1.0, step=0.25),
     {"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 1.0, "log": False, "step": 0.25}}),
    (IntParam("n", 1, 100, log=True),
     {"name": "IntDistribution", "attributes": {"low": 1, "high": 100, "log": True, "step": 1}}),
    (IntParam("n", 0, 10, step=5),
     {"name": "IntDistribution", "attributes": {"low": 0, "high": 10, "log": False, "step": 5}}),
    (CategoricalParam("k", ("a", 2, True)),
     {"name": "CategoricalDistribution", "attributes": {"choices": ["a", 2, True]}}),
])
def test_each_parameter_exports_as_the_optuna_distribution_that_samples_like_it(param, expected):
    assert optuna_distribution(param) == expected


def test_a_space_exported_and_imported_again_is_the_same_space():
    params = {"lr": FloatParam("lr", 1e-4, 1.0, log=True), "n": IntParam("n", 0, 10, step=5)}
    trial = ({"lr": 0.01, "n": 5}, {name: optuna_distribution(p) for name, p in params.items()})

    space = space_from_optuna([trial])

    assert [space[name] for name in params] == list(params.values())
