import numpy as np
import pytest

from studies.objectives import (
    ObjectiveError,
    default_function_space,
    evaluate,
    function_constraints,
    function_optimum,
    value_range,
)
from studies.objectives.functions import BENCHMARKS

CASES = [("branin", 2), ("hartmann6", 6), ("rosenbrock", 2), ("rosenbrock", 5), ("ackley", 3),
         ("sphere", 4), ("styblinski_tang", 1), ("styblinski_tang", 5)]


def _params(point):
    width = len(str(len(point)))
    return {f"x{i + 1:0{width}d}": float(v) for i, v in enumerate(point)}


@pytest.mark.parametrize("name, dim", CASES)
def test_function_at_its_argmin_returns_the_known_minimum(name, dim):
    point = BENCHMARKS[name].argmin(dim)

    value = evaluate({"kind": "function", "name": name}, _params(point))

    assert value == pytest.approx(function_optimum(name, dim), abs=1e-4)


@pytest.mark.parametrize("point", [[-3.141592653589793, 12.275], [9.42478, 2.475]])
def test_branin_has_the_same_minimum_at_its_other_minimisers(point):
    assert evaluate({"kind": "function", "name": "branin"}, _params(point)) == pytest.approx(0.397887, abs=1e-4)


@pytest.mark.parametrize("name, dim", CASES)
def test_minimum_is_below_values_at_random_points_of_the_domain(name, dim):
    rng = np.random.default_rng(0)
    bounds = np.array([[s["low"], s["high"]] for s in default_function_space(name, dim).values()])
    points = rng.uniform(bounds[:, 0], bounds[:, 1], size=(50, dim))

    values = [evaluate({"kind": "function", "name": name}, _params(p)) for p in points]

    assert min(values) > function_optimum(name, dim)


def test_params_are_taken_in_sorted_name_order():
    spec = {"kind": "function", "name": "rosenbrock"}

    value = evaluate(spec, {"b": 1.0, "a": 0.0})

    assert value == pytest.approx(evaluate(spec, {"x1": 0.0, "x2": 1.0}))
    assert value != pytest.approx(evaluate(spec, {"x1": 1.0, "x2": 0.0}))


def test_branin_default_space_is_its_standard_domain():
    assert default_function_space("branin") == {
        "x1": {"type": "float", "low": -5.0, "high": 10.0},
        "x2": {"type": "float", "low": 0.0, "high": 15.0},
    }


def test_hartmann6_default_space_is_the_unit_cube():
    space = default_function_space("hartmann6")

    assert list(space) == ["x1", "x2", "x3", "x4", "x5", "x6"]
    assert all((s["low"], s["high"]) == (0.0, 1.0) for s in space.values())


def test_n_dimensional_default_space_has_five_dimensions():
    assert list(default_function_space("ackley")) == ["x1", "x2", "x3", "x4", "x5"]


def test_names_are_zero_padded_from_ten_dimensions_so_sorted_order_is_x1_to_xn():
    names = list(default_function_space("sphere", 12))

    assert names == sorted(names)
    assert names[0] == "x01" and names[-1] == "x12"


def test_wrong_number_of_params_for_fixed_dimension_raises_on_params():
    with pytest.raises(ObjectiveError) as info:
        evaluate({"kind": "function", "name": "branin"}, {"x1": 0.0, "x2": 1.0, "x3": 2.0})
    assert info.value.field == "params"
    assert "exactly 2" in info.value.message


def test_rosenbrock_needs_at_least_two_params():
    with pytest.raises(ObjectiveError) as info:
        evaluate({"kind": "function", "name": "rosenbrock"}, {"x1": 1.0})
    assert info.value.field == "params"


def test_non_numeric_param_raises_on_its_field():
    with pytest.raises(ObjectiveError) as info:
        evaluate({"kind": "function", "name": "sphere"}, {"x1": 1.0, "x2": "2"})
    assert info.value.field == "params.x2"


def test_function_optimum_rejects_a_dimension_a_fixed_function_lacks():
    with pytest.raises(ObjectiveError):
        function_optimum("hartmann6", 3)


def test_styblinski_tang_optimum_scales_with_dimension():
    assert function_optimum("styblinski_tang", 3) == pytest.approx(3 * -39.16616570377142)


CONSTRAINED = ["branin_disc", "gramacy", "gardner"]


@pytest.mark.parametrize("name", CONSTRAINED)
def test_a_constrained_function_at_its_argmin_is_feasible_and_gives_the_known_minimum(name):
    params = _params(BENCHMARKS[name].argmin(2))

    value = evaluate({"kind": "function", "name": name}, params)

    assert value == pytest.approx(function_optimum(name, 2), abs=1e-4)
    assert all(c <= 0 for c in function_constraints(name, params))


@pytest.mark.parametrize("name", CONSTRAINED)
def test_the_known_minimum_is_below_every_feasible_random_point_and_some_points_are_infeasible(name):
    rng = np.random.default_rng(0)
    bounds = np.array([[s["low"], s["high"]] for s in default_function_space(name).values()])
    points = [_params(p) for p in rng.uniform(bounds[:, 0], bounds[:, 1], size=(200, 2))]

    feasible = [p for p in points if all(c <= 0 for c in function_constraints(name, p))]

    assert 0 < len(feasible) < len(points)
    assert min(evaluate({"kind": "function", "name": name}, p) for p in feasible) > function_optimum(name, 2)


def test_an_unconstrained_function_has_no_constraints():
    assert function_constraints("branin", {"x1": 0.0, "x2": 0.0}) is None


def test_a_functions_values_start_at_its_known_minimum():
    assert value_range({"kind": "function", "name": "branin"}, 2) == (function_optimum("branin", 2), None)


def test_a_constrained_functions_values_may_go_below_its_best_feasible_value():
    assert value_range({"kind": "function", "name": "gramacy"}, 2) == (None, None)
