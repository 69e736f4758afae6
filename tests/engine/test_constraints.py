"""Constraints in the engine: feasible trials rank first in tpe, gp and nsga2, and best_trial is feasible."""

import math

import numpy as np
import pytest

from studies.engine import Optimizer, TrialRecord, rng_for
from studies.engine.samplers._encoding import Encoder
from studies.engine.samplers.gp import _suggest
from studies.engine.samplers.nsga2 import non_dominated_fronts
from studies.engine.samplers.tpe.split import split_trials
from studies.engine.space import SearchSpace

SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}}


def _trial(number, value, constraints=None, state="complete"):
    return TrialRecord(number, {"x": number / 100}, state, value, constraints=constraints)


def test_violation_sums_the_positive_constraint_values():
    assert _trial(0, 1.0, (0.5, -2.0, 0.25)).violation == 0.75
    assert _trial(0, 1.0, (0.0, -1.0)).violation == 0.0
    assert _trial(0, 1.0).violation == 0.0


def test_tpe_ranks_every_feasible_trial_above_an_infeasible_better_one():
    # The infeasible trials have the best values; ten trials make one good one.
    trials = [_trial(i, -100.0 - i, constraints=(1.0 + i,)) for i in range(3)]
    trials += [_trial(10 + i, float(i), constraints=(-1.0,)) for i in range(7)]

    below, above = split_trials(trials, ["minimize"], constant_liar=False)

    assert [t.number for t in below] == [10]
    assert [t.number for t in above[-3:]] == [0, 1, 2]


def test_tpe_orders_infeasible_trials_by_their_violation():
    trials = [_trial(i, float(i), constraints=(3.0 - i,)) for i in range(3)]

    below, above = split_trials(trials, ["minimize"], constant_liar=False)

    assert [t.number for t in below + above] == [2, 1, 0]


def test_tpe_without_constraints_splits_as_before():
    trials = [_trial(i, float(10 - i)) for i in range(10)]

    below, _ = split_trials(trials, ["minimize"], constant_liar=False)

    assert [t.number for t in below] == [9]


def test_nsga2_feasible_points_dominate_infeasible_ones_and_smaller_violation_wins():
    losses = np.array([[0.0, 0.0], [5.0, 5.0], [1.0, 1.0], [2.0, 2.0]])
    violations = np.array([2.0, 0.0, 1.0, 0.0])

    fronts = non_dominated_fronts(losses, enough=4, violations=violations)

    assert [f.tolist() for f in fronts] == [[3], [1], [2], [0]]


def _gp_history(n=16):
    """Values fall towards x = 1, but only x < 0.5 is feasible: the best feasible is near 0.5."""
    xs = np.linspace(0.0, 1.0, n)
    return xs, 1.0 - xs, xs - 0.5


def test_gp_proposes_a_feasible_point_when_the_best_values_are_infeasible():
    xs, values, constraints = _gp_history()
    encoder = Encoder(SearchSpace.from_json(SPACE))
    raws = np.array([encoder.raw({"x": float(x)}) for x in xs])

    params = _suggest(encoder, raws, values, [], rng_for(0, 20), constraints[:, None])

    assert params["x"] < 0.6


def test_gp_without_constraints_follows_the_values_to_the_edge():
    xs, values, _ = _gp_history()
    encoder = Encoder(SearchSpace.from_json(SPACE))
    raws = np.array([encoder.raw({"x": float(x)}) for x in xs])

    params = _suggest(encoder, raws, values, [], rng_for(0, 20))

    assert params["x"] > 0.9


@pytest.mark.parametrize("sampler", ["tpe", "gp", "nsga2"])
def test_samplers_find_a_feasible_best_on_a_constrained_problem(sampler):
    # Minimise -x with x <= 0.3: the unconstrained optimum at 1 breaks the constraint.
    opt = Optimizer(SPACE, sampler={"name": sampler, "n_startup_trials": 5}, seed=3)
    for _ in range(20):
        trial = opt.ask()
        opt.tell(trial, -trial.params["x"], constraints=[trial.params["x"] - 0.3])

    late = np.median([t.params["x"] for t in opt.trials[10:]])

    assert opt.best_trial.violation == 0 and opt.best_value >= -0.3
    assert 0.15 <= late <= 0.4  # searching along the boundary, not at the unconstrained optimum


def test_optimizer_best_trial_leaves_out_infeasible_trials():
    opt = Optimizer(SPACE, seed=0)
    for value, constraint in ((1.0, -1.0), (0.0, 2.0)):
        opt.tell(opt.ask(), value, constraints=[constraint])

    assert opt.best_value == 1.0
    assert math.isclose(opt.trials[1].violation, 2.0)
