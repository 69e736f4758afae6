"""Stop rules: parsing the budget keys, target, patience, the CV noise and the GP regret bound."""

import math

import numpy as np
import pytest

from studies.engine import SearchSpace, TrialRecord
from studies.engine.stopping import (
    RegretBoundRule,
    StopRuleError,
    StopRules,
    cv_noise,
    regret_bound,
    stop_reason,
    target_reached,
    trials_without_improvement,
)

SPACE = SearchSpace.from_json({"x": {"type": "float", "low": 0.0, "high": 1.0},
                               "y": {"type": "float", "low": 0.0, "high": 1.0}})


def _records(fn, n, seed=0):
    points = np.random.default_rng(seed).random((n, 2))
    return [TrialRecord(i, {"x": float(x), "y": float(y)}, "complete", fn(x, y)) for i, (x, y) in enumerate(points)]


def _bowl(x, y):
    return (x - 0.3) ** 2 + (y - 0.6) ** 2


# ----- parsing ------------------------------------------------------------------------

def test_rules_read_from_a_budget_round_trip():
    rules = StopRules.from_json({"n_trials": 50, "target": 0.95, "patience": 20, "min_delta": 0.001,
                                 "regret_bound": {"min_trials": 30, "check_every": 5}})

    assert StopRules.from_json(rules.to_json()) == rules
    assert rules.regret_bound == RegretBoundRule(30, 5)


def test_regret_bound_true_takes_the_defaults():
    assert StopRules.from_json({"regret_bound": True}).regret_bound == RegretBoundRule(20, 1)


def test_a_budget_without_rules_has_none():
    assert not StopRules.from_json({"n_trials": 10, "regret_bound": False}).any


@pytest.mark.parametrize("budget, key", [
    ({"target": "high"}, "target"),
    ({"target": float("nan")}, "target"),
    ({"patience": 0}, "patience"),
    ({"patience": 2.5}, "patience"),
    ({"patience": True}, "patience"),
    ({"patience": 5, "min_delta": -0.1}, "min_delta"),
    ({"min_delta": 0.1}, "min_delta"),
    ({"regret_bound": "yes"}, "regret_bound"),
    ({"regret_bound": {"min_trials": 2}}, "regret_bound.min_trials"),
    ({"regret_bound": {"check_every": 0}}, "regret_bound.check_every"),
    ({"regret_bound": {"often": 1}}, "regret_bound.often"),
])
def test_a_bad_rule_is_refused_naming_its_key(budget, key):
    with pytest.raises(StopRuleError) as caught:
        StopRules.from_json(budget)

    assert [k for k, _ in caught.value.errors] == [key]


# ----- target and patience ------------------------------------------------------------

@pytest.mark.parametrize("best, direction, reached", [
    (0.95, "maximize", True), (0.94, "maximize", False), (0.95, "minimize", True), (0.96, "minimize", False),
    (None, "maximize", False),
])
def test_target_is_reached_in_the_studys_direction(best, direction, reached):
    assert target_reached(best, 0.95, direction) is reached


def test_equal_values_do_not_improve():
    assert trials_without_improvement([1.0, 1.0, 1.0], "minimize") == 2


def test_an_improvement_smaller_than_min_delta_does_not_count():
    assert trials_without_improvement([0.90, 0.905, 0.909], "maximize", min_delta=0.01) == 2


def test_small_improvements_count_once_they_add_up_to_min_delta():
    assert trials_without_improvement([0.90, 0.905, 0.911], "maximize", min_delta=0.01) == 0


def test_stop_reason_names_the_target_first():
    trials = [TrialRecord(i, {"x": 0.5, "y": 0.5}, "complete", v) for i, v in enumerate([0.5, 0.97, 0.2])]

    assert stop_reason(StopRules(target=0.95, patience=1), SPACE, trials, "maximize", np.random.default_rng(0)) \
        == "target"


def test_patience_counts_in_completion_order():
    trials = [TrialRecord(i, {"x": 0.5, "y": 0.5}, "complete", v) for i, v in enumerate([3.0, 2.0, 1.0])]
    rules = StopRules(patience=2)

    # By number the values improve every time; as completed, 1.0 came first.
    assert stop_reason(rules, SPACE, trials, "minimize", np.random.default_rng(0), completed_order=[1.0, 3.0, 2.0]) \
        == "patience"
    assert stop_reason(rules, SPACE, trials, "minimize", np.random.default_rng(0)) is None


# ----- noise and the regret bound -------------------------------------------------------

def test_cv_noise_is_the_corrected_spread_of_the_folds():
    scores = [0.80, 0.84, 0.88, 0.82, 0.86]

    assert cv_noise(scores) == pytest.approx(math.sqrt((1 / 5 + 1 / 4) * np.var(scores)))
    assert cv_noise([0.9]) is None


def test_regret_bound_needs_three_complete_trials():
    assert regret_bound(SPACE, _records(_bowl, 2), "minimize", np.random.default_rng(0)) is None


def test_regret_bound_shrinks_as_a_smooth_function_is_explored():
    early = regret_bound(SPACE, _records(_bowl, 10), "minimize", np.random.default_rng(0))
    late = regret_bound(SPACE, _records(_bowl, 150), "minimize", np.random.default_rng(0))

    assert late.bound < early.bound


def test_regret_bound_covers_the_true_regret_of_a_smooth_function():
    trials = _records(_bowl, 30)
    best = min(t.value for t in trials)

    estimate = regret_bound(SPACE, trials, "minimize", np.random.default_rng(0))

    assert estimate.bound >= best  # the regret itself: the optimum is 0


def test_regret_bound_is_the_same_for_a_maximised_mirror_image():
    trials = _records(_bowl, 30)
    mirrored = [TrialRecord(t.number, t.params, "complete", -t.value) for t in trials]

    down = regret_bound(SPACE, trials, "minimize", np.random.default_rng(0))
    up = regret_bound(SPACE, mirrored, "maximize", np.random.default_rng(0))

    assert up.bound == pytest.approx(down.bound)


def test_regret_bound_ignores_trials_that_did_not_complete():
    trials = _records(_bowl, 30)
    noisy = trials + [TrialRecord(30, {"x": 0.3, "y": 0.6}, "failed"), TrialRecord(31, {"x": 0.3, "y": 0.6}, "running")]

    assert regret_bound(SPACE, noisy, "minimize", np.random.default_rng(0)) == \
        regret_bound(SPACE, trials, "minimize", np.random.default_rng(0))


def test_the_regret_rule_stops_a_flat_noisy_study_but_not_a_steep_one():
    rng = np.random.default_rng(1)
    flat = _records(lambda x, y: 0.9 + rng.normal(0, 0.01), 40)
    steep = _records(lambda x, y: 100 * _bowl(x, y), 40)
    rules = StopRules(regret_bound=RegretBoundRule(min_trials=20))

    assert stop_reason(rules, SPACE, flat, "maximize", np.random.default_rng(0), noise=0.02) == "regret_bound"
    assert stop_reason(rules, SPACE, steep, "minimize", np.random.default_rng(0), noise=0.02) is None


def test_the_regret_rule_waits_for_min_trials():
    rng = np.random.default_rng(1)
    flat = _records(lambda x, y: 0.9 + rng.normal(0, 0.01), 19)
    rules = StopRules(regret_bound=RegretBoundRule(min_trials=20))

    assert stop_reason(rules, SPACE, flat, "maximize", np.random.default_rng(0), noise=1.0) is None


def test_the_regret_rule_is_checked_every_k_trials():
    rule = RegretBoundRule(min_trials=20, check_every=5)

    assert [n for n in range(18, 32) if rule.due(n)] == [20, 25, 30]
