"""The search space as a value object: JSON round trip, order, lookup and activity."""

import json

from studies.engine import CategoricalParam, Condition, FloatParam, IntParam, SearchSpace

from .helpers import CONTRACT_EXAMPLE, MIXED_SPACE


def test_to_json_gives_back_the_contract_example_exactly():
    space = SearchSpace.from_json(CONTRACT_EXAMPLE)

    assert space.to_json() == CONTRACT_EXAMPLE


def test_to_json_keeps_the_declared_key_order():
    space = SearchSpace.from_json(MIXED_SPACE)

    assert list(space.to_json()) == list(MIXED_SPACE)


def test_from_json_of_to_json_is_an_equal_space(mixed_space):
    again = SearchSpace.from_json(json.loads(json.dumps(mixed_space.to_json())))

    assert again == mixed_space


def test_explicit_defaults_parse_to_the_same_space_as_omitted_ones():
    explicit = {"x": {"type": "int", "low": 0, "high": 4, "log": False, "step": 1, "condition": None}}

    assert SearchSpace.from_json(explicit) == SearchSpace.from_json({"x": {"type": "int", "low": 0, "high": 4}})


def test_params_are_value_objects_with_native_types():
    space = SearchSpace.from_json({
        "x": {"type": "float", "low": 0, "high": 2},
        "n": {"type": "int", "low": 1.0, "high": 3},
    })

    assert space["x"] == FloatParam("x", 0.0, 2.0)
    assert type(space["x"].low) is float
    assert type(space["n"].low) is int


def test_params_can_be_built_directly_and_assembled():
    kernel = CategoricalParam("kernel", ["rbf", "poly"])
    degree = IntParam("degree", 2, 5, condition=Condition("kernel", ["poly"]))

    space = SearchSpace([degree, kernel])

    assert space.to_json() == {
        "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly"]}},
        "kernel": {"type": "categorical", "choices": ["rbf", "poly"]},
    }


def test_parents_precede_their_children_in_params(mixed_space):
    position = {name: i for i, name in enumerate(mixed_space.names)}

    for param in mixed_space.params:
        if param.condition is not None:
            assert position[param.condition.parent] < position[param.name]


def test_params_otherwise_keep_the_declared_order(mixed_space):
    assert mixed_space.names[:4] == ("lr", "dropout", "momentum", "depth")


def test_lookup_by_name_and_length(mixed_space):
    assert mixed_space["depth"].high == 12
    assert "depth" in mixed_space
    assert "nope" not in mixed_space
    assert len(mixed_space) == len(MIXED_SPACE)
    assert [p.name for p in mixed_space] == list(mixed_space.names)


def test_unconditional_param_is_always_active(mixed_space):
    assert mixed_space.is_active("lr", {})


def test_conditional_param_is_active_when_its_parent_matches(mixed_space):
    assert mixed_space.is_active("degree", {"kernel": "poly"})
    assert not mixed_space.is_active("degree", {"kernel": "rbf"})


def test_conditional_param_is_inactive_when_its_parent_has_no_value(mixed_space):
    assert not mixed_space.is_active(mixed_space["degree"], {})


def test_grandchild_needs_its_whole_chain(mixed_space):
    assert mixed_space.is_active("tol_scale", {"kernel": "rbf", "shrinking": True})
    assert not mixed_space.is_active("tol_scale", {"kernel": "poly", "shrinking": True})


def test_true_does_not_activate_a_condition_on_1():
    space = SearchSpace.from_json({
        "c": {"type": "categorical", "choices": [1, 2]},
        "y": {"type": "int", "low": 0, "high": 1, "condition": {"c": [1]}},
    })

    assert space.is_active("y", {"c": 1.0})
    assert not space.is_active("y", {"c": True})


def test_children_declared_before_their_parent_follow_it(mixed_space):
    assert mixed_space.names == (
        "lr", "dropout", "momentum", "depth", "trees", "width",
        "kernel", "degree", "gamma", "shrinking", "tol_scale", "mixed",
    )
