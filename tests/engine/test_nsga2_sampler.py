"""The nsga2 sampler: non-dominated sorting, crowding distance, and multi-objective studies."""

import math

import numpy as np
import pytest

from studies.engine import NSGA2Sampler, Optimizer, SearchSpace, TrialRecord, make_sampler, rng_for
from studies.engine.samplers.nsga2 import crowding_distance, non_dominated_fronts, select_population

ZDT1_SPACE = {f"x{i}": {"type": "float", "low": 0.0, "high": 1.0} for i in range(3)}
REFERENCE = (1.1, 11.0)


def _zdt1(params):
    x = [params[f"x{i}"] for i in range(3)]
    g = 1 + 9 * sum(x[1:]) / 2
    return x[0], g * (1 - math.sqrt(x[0] / g))


def _hypervolume(points, reference=REFERENCE):
    """Area dominated by 2-D points (both minimised) up to the reference point."""
    front = sorted(p for p in points if p[0] < reference[0] and p[1] < reference[1])
    area, ceiling = 0.0, reference[1]
    for f1, f2 in front:
        if f2 < ceiling:
            area += (reference[0] - f1) * (ceiling - f2)
            ceiling = f2
    return area


def test_fronts_peel_in_order_of_domination():
    losses = np.array([[1, 4], [2, 2], [4, 1], [3, 3], [5, 5], [2, 5]], dtype=float)

    fronts = non_dominated_fronts(losses, enough=6)

    assert [sorted(f.tolist()) for f in fronts] == [[0, 1, 2], [3, 5], [4]]


def test_crowding_distance_is_infinite_at_the_extremes_and_normalised_inside():
    losses = np.array([[0.0, 4.0], [1.0, 2.0], [4.0, 0.0]])

    distance = crowding_distance(losses)

    assert math.isinf(distance[0]) and math.isinf(distance[2])
    assert distance[1] == pytest.approx((4 - 0) / 4 + (4 - 0) / 4)


def test_population_cuts_the_last_front_by_crowding():
    # One front of five (the sixth point is dominated); point 2 sits closest to its neighbours.
    losses = np.array([[0, 10], [10, 0], [1, 9], [1.1, 8.9], [5, 5], [20, 20]], dtype=float)

    chosen, order = select_population(losses, 4)

    ranked = [int(i) for _, i in sorted(zip(order, chosen))]
    assert ranked == [0, 1, 4, 3]


def test_optimizer_runs_a_two_objective_study_and_reports_its_front():
    opt = Optimizer(ZDT1_SPACE, directions=["minimize", "minimize"], sampler="nsga2", seed=0)

    for _ in range(30):
        trial = opt.ask()
        opt.tell(trial, values=list(_zdt1(trial.params)))

    front = opt.pareto_front()
    assert front and all(t.state == "complete" and len(t.values) == 2 for t in front)


def test_random_serves_multi_objective_studies_too():
    opt = Optimizer(ZDT1_SPACE, directions=["minimize", "maximize"], sampler="random", seed=0)

    for _ in range(5):
        trial = opt.ask()
        opt.tell(trial, values=[1.0, 2.0])

    assert len(opt.pareto_front()) == 5


def test_failed_trials_and_three_objectives_are_handled():
    space = SearchSpace.from_json(ZDT1_SPACE)
    sampler, trials = NSGA2Sampler(), []
    for number in range(40):
        params = sampler.sample(space, trials, rng_for(0, number), ["minimize", "maximize", "minimize"])
        failed = number % 4 == 0
        values = None if failed else (*_zdt1(params), params["x2"])
        trials.append(TrialRecord(number=number, params=params, state="failed" if failed else "complete", values=values))

    assert all(space.validate_params(t.params) == t.params for t in trials)


def test_front_dominates_randoms_in_hypervolume_on_zdt1():
    space = SearchSpace.from_json(ZDT1_SPACE)

    def hypervolume(spec, seed):
        sampler, trials = make_sampler(spec, seed=seed), []
        for number in range(100):
            params = sampler.sample(space, trials, rng_for(seed, number), ["minimize", "minimize"])
            trials.append(TrialRecord(number=number, params=params, state="complete", values=_zdt1(params)))
        return _hypervolume([t.values for t in trials])

    nsga2 = [hypervolume("nsga2", seed) for seed in range(5)]
    random = [hypervolume("random", seed) for seed in range(5)]

    assert all(n > r for n, r in zip(nsga2, random))
