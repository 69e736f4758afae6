"""The evolution sampler and the genetic operators it shares with nsga2."""

import numpy as np
import pytest

from studies.engine import EvolutionSampler, TrialRecord, rng_for
from studies.engine.samplers._genetic import make_child, mutate

POLY = {"lr": 0.01, "dropout": 0.1, "momentum": 0.9, "depth": 3, "trees": 100, "width": 8,
        "kernel": "poly", "degree": 4, "gamma": 0.5, "mixed": 1}
LINEAR = {"lr": 0.001, "dropout": 0.4, "momentum": 0.85, "depth": 9, "trees": 450, "width": 512,
          "kernel": "linear", "mixed": "three"}


def test_a_child_takes_a_conditional_param_from_the_parent_that_has_it(mixed_space):
    for seed in range(50):
        child = make_child(mixed_space, POLY, LINEAR, np.random.default_rng(seed), 1.0, 0.0, 0.1)

        assert mixed_space.validate_params(child) == child
        if child["kernel"] == "poly":
            assert (child["degree"], child["gamma"]) == (4, 0.5)


def test_without_crossover_or_mutation_a_child_copies_the_first_parent(mixed_space):
    child = make_child(mixed_space, POLY, LINEAR, np.random.default_rng(0), 0.0, 0.0, 0.1)

    assert child == POLY


def test_a_param_neither_parent_has_is_drawn_fresh(mixed_space):
    rbf_children = []
    for seed in range(200):
        child = make_child(mixed_space, POLY, LINEAR, np.random.default_rng(seed), 1.0, 0.5, 0.1)
        assert mixed_space.validate_params(child) == child
        if child["kernel"] == "rbf":
            rbf_children.append(child)

    assert rbf_children and all("shrinking" in c for c in rbf_children)


def test_a_categorical_mutation_changes_the_choice(mixed_space):
    values = {mutate(mixed_space["kernel"], "poly", np.random.default_rng(s), 0.1) for s in range(30)}

    assert values == {"rbf", "linear"}


@pytest.mark.parametrize("name, value", [("depth", 7), ("trees", 250), ("dropout", 0.25), ("width", 64)])
def test_a_discrete_mutation_moves_to_another_value_on_the_grid(mixed_space, name, value):
    param = mixed_space[name]

    for seed in range(30):
        new = mutate(param, value, np.random.default_rng(seed), 0.01)

        assert new != value
        assert param.validate_value(new) == new and type(new) is type(value)


def test_failed_and_pruned_trials_do_not_break_it(mixed_space):
    sampler, trials = EvolutionSampler(), []
    for number in range(30):
        params = sampler.sample(mixed_space, trials, rng_for(0, number), ["minimize"])
        state = ("complete", "failed", "pruned")[number % 3]
        value = float(number) if state == "complete" else None
        trials.append(TrialRecord(number=number, params=params, state=state, value=value,
                                  intermediate={1: 0.5} if state == "pruned" else {}))

    assert all(mixed_space.validate_params(t.params) == t.params for t in trials)
