"""The grid sampler: exact coverage, skipping used points, a fixed visiting order, and a size cap."""

import pytest

from studies.engine import (
    GridExhausted,
    GridSampler,
    SamplerError,
    SearchSpace,
    TrialRecord,
    make_sampler,
    rng_for,
)

from .helpers import run_asks

SPACE = SearchSpace.from_json({
    "a": {"type": "int", "low": 1, "high": 3},
    "kernel": {"type": "categorical", "choices": ["rbf", "poly"]},
    "degree": {"type": "int", "low": 2, "high": 4, "condition": {"kernel": ["poly"]}},
    "x": {"type": "float", "low": 0, "high": 1},
})  # 3 * (1 + 3) * 4 = 48 points at grid_points=4
SIZE = 48


def ask(sampler, trials, space=SPACE):
    return sampler.sample(space, trials, rng_for(0, len(trials)), ["minimize"])


def key(params):
    return tuple(sorted(params.items()))


def test_grid_covers_its_space_exactly_once():
    asks = run_asks(GridSampler(grid_points=4), SPACE, SIZE)

    assert {key(p) for p in asks} == {key(SPACE.grid_point(i, grid_points=4)) for i in range(SIZE)}
    assert len(asks) == SIZE


def test_grid_raises_exhausted_once_every_point_is_used():
    trials = [TrialRecord(i, SPACE.grid_point(i, grid_points=4), "complete", value=0.0) for i in range(SIZE)]

    with pytest.raises(GridExhausted, match="all 48 grid points have been tried"):
        ask(GridSampler(grid_points=4), trials)


@pytest.mark.parametrize("state", ["waiting", "running", "failed", "pruned"])
def test_points_of_trials_in_any_state_count_as_used(state):
    sampler = GridSampler(grid_points=4)
    first = ask(sampler, [])

    second = ask(sampler, [TrialRecord(0, first, state)])

    assert second != first


def test_manual_trials_off_the_grid_do_not_use_a_point():
    sampler = GridSampler(grid_points=4)
    manual = TrialRecord(0, {"a": 1, "kernel": "rbf", "x": 0.123}, "complete", value=1.0)

    assert ask(sampler, [manual]) == ask(sampler, [])


def test_visiting_order_is_a_fixed_stride_through_the_grid():
    space = SearchSpace.from_json({"n": {"type": "int", "low": 0, "high": 9}})

    order = [p["n"] for p in run_asks(GridSampler(), space, 10)]

    # N = 10: the stride is the first integer from round(0.618 * 10) coprime with 10, i.e. 7
    assert order == [0, 7, 4, 1, 8, 5, 2, 9, 6, 3]


def test_the_rng_does_not_change_the_grid_order():
    sampler = GridSampler(grid_points=4)

    first = sampler.sample(SPACE, [], rng_for(1, 0), ["minimize"])
    second = sampler.sample(SPACE, [], rng_for(2, 0), ["minimize"])

    assert first == second


def test_sampling_with_a_long_history_returns_the_first_free_point():
    space = SearchSpace.from_json({"n": {"type": "int", "low": 0, "high": 19999}})
    stride = 12361  # first integer from round(0.618 * 20000) coprime with 20000
    trials = [TrialRecord(r, {"n": r * stride % 20000}, "complete", value=0.0) for r in range(10000)]

    params = GridSampler().sample(space, trials, rng_for(0, 10000), ["minimize"])

    assert params == {"n": 10000 * stride % 20000}


def test_check_refuses_a_grid_over_a_million_points_giving_the_count():
    space = SearchSpace.from_json({f"p{i}": {"type": "int", "low": 0, "high": 100} for i in range(3)})

    with pytest.raises(SamplerError) as info:
        GridSampler().check(space)

    assert str(info.value) == (
        "the grid has 1,030,301 points, more than the limit of 1,000,000; "
        "add steps, narrow the int ranges or lower grid_points"
    )


def test_check_accepts_a_grid_of_exactly_a_million_points():
    space = SearchSpace.from_json({f"p{i}": {"type": "int", "low": 0, "high": 99} for i in range(3)})

    assert GridSampler().check(space) is None


def test_check_refuses_a_grid_of_10_to_the_30_quickly():
    space = SearchSpace.from_json({f"p{i}": {"type": "int", "low": 0, "high": 999} for i in range(10)})

    with pytest.raises(SamplerError, match="the grid has 1,000,000,000,000,000,000,000,000,000,000 points"):
        GridSampler().check(space)


def test_sample_refuses_an_oversized_grid_too():
    space = SearchSpace.from_json({"x": {"type": "float", "low": 0, "high": 1}})

    with pytest.raises(SamplerError, match="the grid has 2,000,000 points"):
        ask(make_sampler({"name": "grid", "grid_points": 2_000_000}), [], space)
