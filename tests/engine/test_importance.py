"""Parameter importance: a forest's main-effect variances, normalised."""

import numpy as np

from studies.engine import SearchSpace, TrialRecord, importance, rng_for
from studies.engine.samplers import RandomSampler

SPACE = SearchSpace.from_json({
    "x1": {"type": "float", "low": 0.0, "high": 1.0},
    "x2": {"type": "float", "low": 0.0, "high": 1.0},
    "lr": {"type": "float", "low": 1e-4, "high": 1.0, "log": True},
    "kind": {"type": "categorical", "choices": ["a", "b", "c"]},
    "depth": {"type": "int", "low": 1, "high": 8, "condition": {"kind": ["a"]}},
})


def history(fn, n=300, seed=0):
    trials = []
    for number in range(n):
        params = RandomSampler().sample(SPACE, trials, rng_for(seed, number), ["minimize"])
        trials.append(TrialRecord(number, params, "complete", value=fn(params)))
    return trials


def test_a_dominant_linear_term_gets_over_90_percent():
    shares = importance(SPACE, history(lambda p: 10 * p["x1"] + 0.1 * p["x2"]), "minimize")

    assert next(iter(shares)) == "x1"
    assert shares["x1"] > 0.9


def test_shares_sum_to_one_and_cover_every_parameter():
    shares = importance(SPACE, history(lambda p: p["x1"] + p["x2"]), "minimize")

    assert set(shares) == set(SPACE.names)
    assert abs(sum(shares.values()) - 1.0) < 1e-9


def test_a_log_parameter_is_judged_in_its_warped_space():
    shares = importance(SPACE, history(lambda p: np.log10(p["lr"])), "minimize")

    assert next(iter(shares)) == "lr"


def test_a_categorical_that_matters_ranks_first():
    shares = importance(SPACE, history(lambda p: {"a": 0.0, "b": 5.0, "c": 10.0}[p["kind"]] + p["x1"]), "maximize")

    assert next(iter(shares)) == "kind"


def test_a_conditional_parameter_counts_where_it_is_active():
    shares = importance(SPACE, history(lambda p: 3.0 * p.get("depth", 4) + 0.01 * p["x2"]), "minimize")

    assert shares["depth"] > shares["x2"]


def test_only_complete_trials_count_and_constant_values_give_equal_shares():
    trials = history(lambda p: 1.0, n=20) + [TrialRecord(20, {"x1": 0.5}, "failed")]

    assert set(importance(SPACE, trials, "minimize").values()) == {0.2}


def test_same_seed_gives_the_same_shares():
    trials = history(lambda p: p["x1"] * p["x2"])

    assert importance(SPACE, trials, "minimize", seed=1) == importance(SPACE, trials, "minimize", seed=1)
