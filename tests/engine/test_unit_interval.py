"""Mapping parameter values to and from [0, 1], the coordinates samplers share."""

import math

import pytest

from studies.engine import CategoricalParam, FloatParam, IntParam

PARAMS = [
    FloatParam("x", -2.0, 6.0),
    FloatParam("x", 1e-4, 1.0, log=True),
    FloatParam("x", 0.0, 1.0, step=0.1),
    IntParam("x", 2, 12),
    IntParam("x", 50, 500, step=50),
    IntParam("x", 1, 1024, log=True),
]
IDS = ["float", "float-log", "float-step", "int", "int-step", "int-log"]


@pytest.mark.parametrize("param", PARAMS, ids=IDS)
def test_from_unit_reaches_both_bounds(param):
    assert param.from_unit(0.0) == param.low
    assert param.from_unit(1.0) == param.high


@pytest.mark.parametrize("param", PARAMS, ids=IDS)
def test_from_unit_clips_outside_the_unit_interval(param):
    assert param.from_unit(-0.5) == param.low
    assert param.from_unit(1.5) == param.high


@pytest.mark.parametrize("param", PARAMS, ids=IDS)
def test_to_unit_stays_in_the_unit_interval(param):
    for value in (param.low, param.high, (param.low + param.high) / 2):
        assert 0.0 <= param.to_unit(value) <= 1.0


@pytest.mark.parametrize("param", PARAMS[2:], ids=IDS[2:])
def test_discrete_values_survive_the_round_trip(param):
    for k in range(param.n_grid(10)):
        value = param.grid_value(k, 10)
        assert param.from_unit(param.to_unit(value)) == value


def test_log_float_maps_the_geometric_midpoint_to_one_half():
    assert FloatParam("x", 1e-4, 1.0, log=True).to_unit(1e-2) == pytest.approx(0.5)


def test_stepped_float_gives_tidy_values():
    param = FloatParam("x", 0.0, 1.0, step=0.1)

    assert [param.from_unit((k + 0.5) / 11) for k in range(11)] == [k / 10 for k in range(11)]


def test_int_cells_have_equal_width():
    param = IntParam("x", 1, 3)

    assert [param.from_unit(u) for u in (0.0, 0.33, 0.34, 0.66, 0.67, 0.999)] == [1, 1, 2, 2, 3, 3]


def test_int_log_cells_follow_log_widths():
    param = IntParam("x", 1, 3, log=True)
    # cells are [0.5, 1.5), [1.5, 2.5), [2.5, 3.5) in log space
    boundary = math.log(3) / math.log(7)

    assert param.from_unit(boundary - 1e-9) == 1
    assert param.from_unit(boundary + 1e-9) == 2


def test_categorical_maps_unit_to_floor_of_u_times_k():
    param = CategoricalParam("c", ["a", "b", "c", "d"])

    assert [param.from_unit(u) for u in (0.0, 0.24, 0.25, 0.5, 0.99, 1.0)] == ["a", "a", "b", "c", "d", "d"]
    assert param.to_unit("c") == 0.625


def test_from_unit_returns_native_python_types():
    assert type(FloatParam("x", 0, 1).from_unit(0.3)) is float
    assert type(IntParam("x", 0, 10).from_unit(0.3)) is int
