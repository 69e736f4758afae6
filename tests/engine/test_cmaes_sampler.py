"""The cmaes sampler: stateless replay of CMA-ES with IPOP restarts."""

import numpy as np
import pytest

from studies.engine import CMAESSampler, SamplerError, SearchSpace, TrialRecord, rng_for

SMALL = {
    "x": {"type": "float", "low": -2.0, "high": 2.0},
    "n": {"type": "int", "low": 1, "high": 100, "log": True},
    "lr": {"type": "float", "low": 1e-4, "high": 1.0, "log": True},
}


def _run(sampler, space, n_trials, objective, seed=0):
    trials = []
    for number in range(n_trials):
        params = sampler.sample(space, trials, rng_for(seed, number), ["minimize"])
        trials.append(TrialRecord(number=number, params=params, state="complete", value=objective(params)))
    return trials


def test_categorical_parameters_are_refused(mixed_space):
    with pytest.raises(SamplerError, match="cmaes handles float and int parameters; use tpe or evolution"):
        CMAESSampler().check(mixed_space)


def test_replay_tells_one_generation_per_population():
    space = SearchSpace.from_json(SMALL)
    sampler = CMAESSampler()
    trials = _run(sampler, space, 23, lambda p: p["x"] ** 2)

    strategy = sampler.replay(space, trials, 1.0)

    # 3 dimensions: population 4 + floor(3 ln 3) = 7, so 23 trials hold 3 full generations.
    assert (strategy.population_size, strategy.generation) == (7, 3)


def test_a_generation_with_a_running_trial_is_not_told_yet():
    space = SearchSpace.from_json(SMALL)
    sampler = CMAESSampler()
    trials = _run(sampler, space, 14, lambda p: p["x"] ** 2)
    trials[9] = TrialRecord(number=9, params=trials[9].params, state="running")

    assert sampler.replay(space, trials, 1.0).generation == 1


def test_convergence_restarts_with_a_doubled_population():
    space = SearchSpace.from_json(SMALL)
    rng = np.random.default_rng(0)
    # A flat objective meets the function-value tolerance, which ends the first run.
    trials = [
        TrialRecord(number=n, params={p.name: p.from_unit(rng.random()) for p in space.params}, state="complete", value=1.0)
        for n in range(300)
    ]

    strategy = CMAESSampler().replay(space, trials, 1.0)

    assert strategy.population_size in (14, 28)


def test_failed_and_pruned_trials_do_not_break_it():
    space = SearchSpace.from_json(SMALL)
    sampler = CMAESSampler()
    trials = _run(sampler, space, 21, lambda p: p["x"] ** 2)
    trials[2] = TrialRecord(number=2, params=trials[2].params, state="failed")
    trials[8] = TrialRecord(number=8, params=trials[8].params, state="pruned", intermediate={3: 0.5})
    trials[14:] = [TrialRecord(number=t.number, params=t.params, state="failed") for t in trials[14:]]

    params = sampler.sample(space, trials, rng_for(0, 21), ["minimize"])

    assert space.validate_params(params) == params
    assert sampler.replay(space, trials, 1.0).generation == 2  # the all-failed generation is skipped


def test_multi_objective_studies_are_refused():
    space = SearchSpace.from_json(SMALL)

    with pytest.raises(SamplerError, match="nsga2"):
        CMAESSampler().sample(space, [], rng_for(0, 0), ["minimize", "minimize"])
