"""What every model-based sampler promises: bad options are refused in words, and it beats random search."""

import numpy as np
import pytest

from studies.engine import SamplerError, SearchSpace, TrialRecord, make_sampler, rng_for

SPHERE_10D = SearchSpace.from_json({f"x{i}": {"type": "float", "low": -5.0, "high": 5.0} for i in range(10)})


@pytest.mark.parametrize("spec, message", [
    ({"name": "cmaes", "sigma": 0.3}, 'unknown option "sigma" for the cmaes sampler'),
    ({"name": "cmaes", "sigma0": 0}, "sigma0 must be above 0 and at most 1"),
    ({"name": "cmaes", "popsize": 2}, "popsize must be an integer of at least 4"),
    ({"name": "cmaes", "inc_popsize": 1}, "inc_popsize must be an integer of at least 2"),
    ({"name": "evolution", "elite": 2}, 'unknown option "elite" for the evolution sampler'),
    ({"name": "evolution", "population_size": 1}, "population_size must be an integer of at least 2"),
    ({"name": "evolution", "crossover_prob": 1.5}, "crossover_prob must be above 0 and at most 1"),
    ({"name": "evolution", "mutation_scale": 0}, "mutation_scale must be above 0 and at most 1"),
    ({"name": "gp", "n_restarts": 3}, 'unknown option "n_restarts" for the gp sampler'),
    ({"name": "gp", "n_startup_trials": 1}, "n_startup_trials must be an integer of at least 2"),
    ({"name": "tpe", "n_ei_candidates": 0}, "n_ei_candidates must be an integer of at least 1, not 0"),
    ({"name": "tpe", "prior_weight": 0}, "prior_weight must be a positive number, not 0"),
    ({"name": "tpe", "constant_liar": 1}, "constant_liar must be true or false, not 1"),
    ({"name": "tpe", "separable": "yes"}, 'separable must be true or false, not "yes"'),
    ({"name": "tpe", "hybrid": 1}, "hybrid must be true or false, not 1"),
    ({"name": "tpe", "optuna_kernels": "yes"}, "optuna_kernels must be true or false, not"),
    ({"name": "tpe", "separable": True, "hybrid": True}, "separable and hybrid exclude each other"),
])
def test_bad_options_are_refused_in_words(spec, message):
    with pytest.raises(SamplerError) as info:
        make_sampler(spec)

    assert message in str(info.value)


def _best_on_sphere(spec, seed, n_trials):
    sampler, trials = make_sampler(spec, seed=seed), []
    for number in range(n_trials):
        params = sampler.sample(SPHERE_10D, trials, rng_for(seed, number), ["minimize"])
        value = sum((v - 1.5) ** 2 for v in params.values())
        trials.append(TrialRecord(number=number, params=params, state="complete", value=value))
    return min(t.value for t in trials)


# (sampler, trials per run, the most its median best may be as a share of random's)
@pytest.mark.parametrize("sampler, n_trials, share", [("cmaes", 60, 0.5), ("evolution", 100, 0.6), ("gp", 40, 0.5)])
def test_beats_random_on_a_10d_sphere_across_10_seeds(sampler, n_trials, share):
    ours = [_best_on_sphere(sampler, seed, n_trials) for seed in range(10)]
    random = [_best_on_sphere("random", seed, n_trials) for seed in range(10)]

    assert np.median(ours) < share * np.median(random)
    assert sum(o < r for o, r in zip(ours, random)) >= 8
