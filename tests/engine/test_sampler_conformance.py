"""The conformance suite every sampler passes: bounds, step grid, native types,
conditions, reproducibility from the seed alone, and a history with a trial left out."""

import math

import pytest

from studies.engine import (
    SAMPLERS, CategoricalParam, FloatParam, IntParam, SearchSpace, TrialRecord, make_sampler, rng_for,
)

from .helpers import MIXED_SPACE, SMALL_GRID_SIZE, run_asks

# The grid runs on the 585-point space until exhausted; the others take 1,000 asks on the mixed space.
CASES = {
    "random": ("random", "mixed_space", 1000),
    "grid": ({"name": "grid", "grid_points": 3}, "small_grid_space", SMALL_GRID_SIZE + 10),
    "qmc": ("qmc", "mixed_space", 1000),
    # TPE re-reads the history at each ask too; 400 asks cover its start-up and model phases.
    "tpe": ("tpe", "mixed_space", 400),
    # Separable scoring (what auto picks past six numbers) on the same space: fewer asks
    # cover its model phase, conditions and categoricals included.
    "tpe-separable": ({"name": "tpe", "separable": True}, "mixed_space", 100),
    # Hybrid scoring (what auto picks past six numbers since issue 15's second round).
    "tpe-hybrid": ({"name": "tpe", "hybrid": True}, "mixed_space", 100),
    # Optuna's kernels for ints and choices (what auto picks on categorical spaces past six params).
    "tpe-optuna-kernels": ({"name": "tpe", "optuna_kernels": True}, "mixed_space", 100),
    "auto": ({"name": "auto", "n_trials": 1000}, "mixed_space", 300),
    # Model-based samplers re-read the whole history at each ask, so they run fewer asks;
    # cmaes refuses categoricals and runs on the numeric space.
    "gp": ("gp", "mixed_space", 60),
    "cmaes": ("cmaes", "numeric_space", 300),
    "evolution": ("evolution", "mixed_space", 1000),
    "nsga2": ("nsga2", "mixed_space", 300),
}

# Every kind of float and int, for samplers that take no categoricals.
NUMERIC_SPACE = {name: spec for name, spec in MIXED_SPACE.items() if spec["type"] != "categorical" and "condition" not in spec}


@pytest.fixture(scope="module")
def numeric_space():
    return SearchSpace.from_json(NUMERIC_SPACE)


@pytest.fixture(scope="module", params=sorted(CASES))
def run(request):
    spec, space_fixture, n_asks = CASES[request.param]
    space = request.getfixturevalue(space_fixture)
    return request.param, space, run_asks(make_sampler(spec, seed=0), space, n_asks)


def test_every_registered_sampler_runs_the_suite():
    assert set(SAMPLERS) == {name for name in CASES if name not in ("tpe-separable", "tpe-hybrid", "tpe-optuna-kernels")}


def test_sampler_answers_every_ask(run):
    name, _, asks = run

    assert len(asks) == (SMALL_GRID_SIZE if name == "grid" else CASES[name][2])


def test_values_stay_within_bounds(run):
    _, space, asks = run

    for params in asks:
        for name, value in params.items():
            param = space[name]
            if isinstance(param, CategoricalParam):
                assert value in param.choices
            else:
                assert param.low <= value <= param.high


def test_values_stay_on_the_step_grid(run):
    _, space, asks = run

    for params in asks:
        for name, value in params.items():
            param = space[name]
            if isinstance(param, IntParam):
                assert (value - param.low) % param.step == 0
            elif isinstance(param, FloatParam) and param.step is not None:
                k = (value - param.low) / param.step
                assert math.isclose(k, round(k), abs_tol=1e-9)


def test_values_have_native_python_types(run):
    _, space, asks = run

    for params in asks:
        for name, value in params.items():
            param = space[name]
            if isinstance(param, CategoricalParam):
                assert any(type(value) is type(c) and value == c for c in param.choices)
            else:
                assert type(value) is (int if isinstance(param, IntParam) else float)


def test_exactly_the_active_params_are_present(run):
    _, space, asks = run

    for params in asks:
        for param in space.params:
            condition = param.condition
            active = condition is None or (
                condition.parent in params and any(params[condition.parent] == v for v in condition.values)
            )
            assert (param.name in params) == active
        assert set(params) <= set(space.names)


@pytest.mark.parametrize("run", sorted(name for name, case in CASES.items() if case[1] != "numeric_space"), indirect=True)
def test_every_branch_is_visited(run):
    _, space, asks = run

    assert {p["kernel"] for p in asks} == {"rbf", "linear", "poly"}
    assert any("tol_scale" in p or "boost" in p for p in asks)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_seed_gives_the_same_sequence(name, request):
    spec, space_fixture, _ = CASES[name]
    space = request.getfixturevalue(space_fixture)

    first = run_asks(make_sampler(spec, seed=7), space, 30, seed=7)
    second = run_asks(make_sampler(spec, seed=7), space, 30, seed=7)

    assert first == second


@pytest.mark.parametrize("name", ["random", "qmc", "tpe", "auto", "gp", "cmaes", "evolution", "nsga2"])
def test_different_seeds_give_different_sequences(name, request):
    spec, space_fixture, _ = CASES[name]
    space = request.getfixturevalue(space_fixture)

    first = run_asks(make_sampler(spec, seed=1), space, 30, seed=1)
    second = run_asks(make_sampler(spec, seed=2), space, 30, seed=2)

    assert first != second


@pytest.mark.parametrize("name", sorted(CASES))
def test_sampler_keeps_no_state_between_asks(name, request):
    spec, space_fixture, _ = CASES[name]
    space = request.getfixturevalue(space_fixture)
    sampler = make_sampler(spec, seed=3)

    run_asks(sampler, space, 10, seed=3)

    assert run_asks(sampler, space, 10, seed=3) == run_asks(make_sampler(spec, seed=3), space, 10, seed=3)


def _history_with_a_left_out_trial(spec, space, n_trials=24, left_out=11):
    """A history as the service hands it once a person excluded trial `left_out`: the others
    keep their numbers, and the excluded one, an outlier far better than the rest, is gone."""
    trials = []
    for number in range(n_trials):
        params = make_sampler(spec, seed=5).sample(space, trials, rng_for(5, number), ("minimize",))
        value = -1e6 if number == left_out else float(number % 7)
        trials.append(TrialRecord(number=number, params=params, state="complete", value=value))
    return [trial for trial in trials if trial.number != left_out]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_history_with_an_excluded_trial_gives_a_valid_new_point(name, request):
    spec, space_fixture, _ = CASES[name]
    space = request.getfixturevalue(space_fixture)
    history = _history_with_a_left_out_trial(spec, space)

    params = make_sampler(spec, seed=5).sample(space, history, rng_for(5, 24), ("minimize",))

    assert space.validate_params(params) == params
    # The gap the excluded trial leaves must not send the sampler back to a point already taken.
    assert params not in [trial.params for trial in history]
