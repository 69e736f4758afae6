"""Counting and decoding grid points arithmetically, following the condition tree."""

import pytest

from studies.engine import SearchSpace
from studies.engine.grid_tree import GridTree

from .helpers import SMALL_GRID_SIZE

KERNEL_SPACE = {
    "kernel": {"type": "categorical", "choices": ["rbf", "linear", "poly"]},
    "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly"]}},
    "gamma": {"type": "float", "low": 1e-3, "high": 1.0, "log": True, "condition": {"kernel": ["rbf", "poly"]}},
}


def test_conditional_params_multiply_only_within_their_branch():
    space = SearchSpace.from_json(KERNEL_SPACE)

    # rbf: 3 gammas; linear: 1; poly: 4 degrees * 3 gammas
    assert space.grid_size(grid_points=3) == 3 + 1 + 12


def test_unconditional_params_multiply():
    space = SearchSpace.from_json({
        "x": {"type": "float", "low": 0, "high": 1},
        "n": {"type": "int", "low": 0, "high": 10, "step": 5},
        "c": {"type": "categorical", "choices": ["a", "b"]},
    })

    assert space.grid_size() == 10 * 3 * 2


def test_small_grid_space_has_its_documented_size(small_grid_space):
    assert small_grid_space.grid_size(grid_points=3) == SMALL_GRID_SIZE


def test_huge_grid_is_counted_exactly_without_enumeration():
    space = SearchSpace.from_json({f"p{i}": {"type": "int", "low": 0, "high": 999} for i in range(10)})

    assert space.grid_size() == 10**30


def test_huge_grid_point_decodes_without_enumeration():
    space = SearchSpace.from_json({f"p{i}": {"type": "int", "low": 0, "high": 999} for i in range(10)})

    point = space.grid_point(10**30 - 1)

    assert point == {f"p{i}": 999 for i in range(10)}


def test_stepped_float_counts_every_step():
    space = SearchSpace.from_json({"x": {"type": "float", "low": 0, "high": 1, "step": 0.1}})

    assert space.grid_size(grid_points=3) == 11


def test_every_index_decodes_to_a_distinct_valid_point(small_grid_space):
    points = [small_grid_space.grid_point(i, grid_points=3) for i in range(SMALL_GRID_SIZE)]

    assert len({tuple(sorted(p.items())) for p in points}) == SMALL_GRID_SIZE
    assert all(small_grid_space.validate_params(p) == p for p in points)


def test_points_encode_back_to_their_index(small_grid_space):
    tree = GridTree(small_grid_space, 3)

    assert all(tree.index(tree.point(i)) == i for i in range(SMALL_GRID_SIZE))


def test_off_grid_params_have_no_index(small_grid_space):
    tree = GridTree(small_grid_space, 3)
    point = tree.point(0)

    assert tree.index({**point, "x": 0.3}) is None


def test_float_grid_includes_both_ends_and_is_log_spaced_when_log():
    space = SearchSpace.from_json({"lr": {"type": "float", "low": 1e-4, "high": 1.0, "log": True}})

    values = [space.grid_point(i, grid_points=5)["lr"] for i in range(5)]

    assert values == [1e-4, 1e-3, 1e-2, 1e-1, 1.0]


def test_float_grid_is_evenly_spaced_without_log():
    space = SearchSpace.from_json({"x": {"type": "float", "low": 0, "high": 1}})

    assert [space.grid_point(i, grid_points=11)["x"] for i in range(11)] == [k / 10 for k in range(11)]


def test_grid_point_outside_the_grid_is_an_index_error():
    space = SearchSpace.from_json(KERNEL_SPACE)

    with pytest.raises(IndexError, match="grid index 16 is outside 0..15"):
        space.grid_point(16, grid_points=3)


@pytest.mark.parametrize("grid_points", [1, 0, True, 2.5, "10"])
def test_grid_points_below_two_or_not_an_int_are_refused(grid_points):
    space = SearchSpace.from_json(KERNEL_SPACE)

    with pytest.raises(ValueError, match="grid_points must be an integer of at least 2"):
        space.grid_size(grid_points=grid_points)


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "float", "low": 1e6, "high": 1e6 + 10, "step": 0.01},
        {"type": "float", "low": -3, "high": 7.7, "step": 0.1},
        {"type": "float", "low": 1e6, "high": 1e6 + 1},
        {"type": "float", "low": 1e-8, "high": 1e8, "log": True},
    ],
    ids=["step-far-from-zero", "step-0.1", "narrow-range-far-from-zero", "log-over-16-decades"],
)
def test_grid_values_encode_back_despite_float_error(spec):
    tree = GridTree(SearchSpace.from_json({"x": spec}), 1000)

    assert all(tree.index(tree.point(i)) == i for i in range(tree.size))
