"""Non-dominated trials across objectives and directions."""

import numpy as np
import pytest

from studies.engine import TrialRecord, pareto_front, pareto_ranks


def complete(number, *values):
    return TrialRecord(number, {}, "complete", values=values)


def numbers(trials):
    return [t.number for t in trials]


def test_dominated_trials_are_left_out_when_minimising_both():
    trials = [complete(0, 1.0, 5.0), complete(1, 2.0, 2.0), complete(2, 3.0, 1.0), complete(3, 3.0, 3.0)]

    assert numbers(pareto_front(trials, ["minimize", "minimize"])) == [0, 1, 2]


def test_maximize_flips_an_objective():
    trials = [complete(0, 1.0, 5.0), complete(1, 2.0, 2.0), complete(2, 3.0, 1.0), complete(3, 3.0, 3.0)]

    assert numbers(pareto_front(trials, ["minimize", "maximize"])) == [0]


def test_equal_trials_both_stay():
    trials = [complete(0, 1.0, 1.0), complete(1, 1.0, 1.0)]

    assert numbers(pareto_front(trials, ["minimize", "minimize"])) == [0, 1]


def test_only_complete_trials_count():
    trials = [complete(0, 2.0, 2.0), TrialRecord(1, {}, "running"), TrialRecord(2, {}, "failed"),
              TrialRecord(3, {}, "pruned", value=0.0)]

    assert numbers(pareto_front(trials, ["minimize", "minimize"])) == [0]


def test_nan_and_missing_values_are_left_out():
    trials = [complete(0, float("nan"), 0.0), complete(1, 1.0, 1.0), complete(2, None, 0.0)]

    assert numbers(pareto_front(trials, ["minimize", "minimize"])) == [1]


def test_single_objective_front_is_the_best_trial():
    trials = [TrialRecord(0, {}, "complete", value=3.0), TrialRecord(1, {}, "complete", value=1.0)]

    assert numbers(pareto_front(trials, ["minimize"])) == [1]


def test_empty_history_has_an_empty_front():
    assert pareto_front([], ["minimize", "maximize"]) == ()


def test_a_trial_with_the_wrong_number_of_values_is_an_error():
    with pytest.raises(ValueError, match="trial 0 has 1 value"):
        pareto_front([complete(0, 1.0)], ["minimize", "minimize"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_front_matches_a_brute_force_check_on_random_values(seed):
    values = np.random.default_rng(seed).integers(0, 20, size=(300, 3)).astype(float)
    trials = [complete(i, *row) for i, row in enumerate(values)]
    losses = values * np.array([1.0, -1.0, 1.0])
    expected = [
        i for i, row in enumerate(losses)
        if not np.any(np.all(losses <= row, axis=1) & np.any(losses < row, axis=1))
    ]

    assert numbers(pareto_front(trials, ["minimize", "maximize", "minimize"])) == expected


def test_pareto_ranks_peel_fronts_in_order():
    assert pareto_ranks([[1, 2], [2, 1], [2, 2], [3, 3]], ["minimize", "minimize"]) == (1, 1, 2, 3)


def test_pareto_ranks_respect_maximize():
    assert pareto_ranks([[1, 2], [2, 1], [3, 3]], ["maximize", "maximize"]) == (2, 2, 1)


def test_pareto_ranks_of_nothing_are_empty():
    assert pareto_ranks([], ["minimize", "minimize"]) == ()
