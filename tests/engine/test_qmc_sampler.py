"""The qmc sampler follows scipy's scrambled Sobol sequence, one dimension per parameter."""

from collections import Counter

import numpy as np
from scipy.stats import qmc

from studies.engine import QMCSampler, SearchSpace, make_sampler

from .helpers import run_asks

SPACE = SearchSpace.from_json({
    "kernel": {"type": "categorical", "choices": ["rbf", "poly"]},
    "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly"]}},
    "x": {"type": "float", "low": 0.0, "high": 1.0},
})


def scipy_points(n_dims, n_points, seed):
    return qmc.Sobol(n_dims, scramble=True, rng=np.random.default_rng(seed)).random(n_points)


def test_point_k_is_scipys_scrambled_sobol_point_k():
    asks = run_asks(QMCSampler(scramble_seed=5), SPACE, 16)

    assert [p["x"] for p in asks] == [float(u) for u in scipy_points(3, 16, 5)[:, 2]]


def test_conditional_params_own_a_dimension_whether_active_or_not():
    asks = run_asks(QMCSampler(scramble_seed=5), SPACE, 16)
    points = scipy_points(3, 16, 5)

    for params, point in zip(asks, points):
        assert params["kernel"] == ("rbf" if point[0] < 0.5 else "poly")
        if params["kernel"] == "poly":
            assert params["degree"] == SPACE["degree"].from_unit(point[1])


def test_point_index_is_the_number_of_trials_in_the_history():
    sampler = QMCSampler()
    history = run_asks(sampler, SPACE, 9)

    assert run_asks(sampler, SPACE, 10)[9] != history[0]
    assert run_asks(sampler, SPACE, 10)[:9] == history


def test_categorical_choices_are_balanced_over_a_power_of_two():
    space = SearchSpace.from_json({"c": {"type": "categorical", "choices": ["a", "b", "c", "d"]}})

    counts = Counter(p["c"] for p in run_asks(QMCSampler(scramble_seed=3), space, 16))

    assert counts == {"a": 4, "b": 4, "c": 4, "d": 4}


def test_study_seed_becomes_the_scramble_seed():
    assert make_sampler("qmc", seed=42).scramble_seed == 42


def test_scramble_seed_in_the_spec_wins_over_the_study_seed():
    assert make_sampler({"name": "qmc", "scramble_seed": 9}, seed=42).scramble_seed == 9


def test_scramble_seed_defaults_to_zero_without_a_study_seed():
    assert make_sampler("qmc").scramble_seed == 0


def test_different_scramble_seeds_give_different_points():
    first = run_asks(QMCSampler(scramble_seed=1), SPACE, 4)
    second = run_asks(QMCSampler(scramble_seed=2), SPACE, 4)

    assert first != second
