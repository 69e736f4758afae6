"""Hyperband: brackets as in Li et al. (2018), trials spread over them by a stable hash."""

import collections

import pytest

from studies.engine import (
    HyperbandPruner,
    PrunerError,
    TrialRecord,
    hyperband_brackets,
    make_pruner,
)

# Li et al., Table 1: R = 81, eta = 3; (n_i, r_i) per rung of each bracket s = 4..0.
PUBLISHED = {
    4: [(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)],
    3: [(34, 3), (11, 9), (3, 27), (1, 81)],
    2: [(15, 9), (5, 27), (1, 81)],
    1: [(8, 27), (2, 81)],
    0: [(5, 81)],
}


def test_brackets_match_the_published_table_for_r81_eta3():
    brackets = hyperband_brackets(1, 81, 3)

    assert {b.s: list(zip(b.n_trials, b.resources)) for b in brackets} == PUBLISHED


def test_brackets_run_from_most_to_least_aggressive():
    assert [b.s for b in hyperband_brackets(1, 81, 3)] == [4, 3, 2, 1, 0]


def test_a_range_below_one_eta_step_has_one_bracket():
    assert [b.s for b in hyperband_brackets(1, 2, 3)] == [0]


def test_bracket_assignment_is_stable_and_follows_bracket_sizes():
    pruner = HyperbandPruner()

    counts = collections.Counter(pruner.bracket_of(n).s for n in range(14300))

    assert [pruner.bracket_of(n).s for n in range(50)] == [HyperbandPruner().bracket_of(n).s for n in range(50)]
    for s, expected_share in ((4, 81 / 143), (3, 34 / 143), (0, 5 / 143)):
        assert abs(counts[s] / 14300 - expected_share) < 0.03


def test_bracket_zero_never_prunes():
    pruner = HyperbandPruner()
    number = next(n for n in range(1000) if pruner.bracket_of(n).s == 0)
    history = [TrialRecord(i, {}, "complete", value=0.0, intermediate={s: 0.0 for s in range(82)}) for i in range(1000, 1010)]

    assert not pruner.should_prune(TrialRecord(number, {}, "running", intermediate={81: 99.0}), history, ["minimize"])


def test_trials_compete_only_within_their_bracket():
    pruner = HyperbandPruner()
    numbers = [n for n in range(200) if pruner.bracket_of(n).s == 4]
    others = [n for n in range(200, 400) if pruner.bracket_of(n).s == 3]
    # Excellent curves in another bracket do not count against this trial.
    history = [TrialRecord(n, {}, "complete", value=0.0, intermediate={1: 0.0, 3: 0.0}) for n in others]
    history += [TrialRecord(numbers[0], {}, "complete", value=9.0, intermediate={1: 9.0})]

    assert not pruner.should_prune(TrialRecord(numbers[1], {}, "running", intermediate={1: 5.0}), history, ["minimize"])
    assert pruner.should_prune(TrialRecord(numbers[2], {}, "running", intermediate={1: 10.0}), history, ["minimize"])


def test_max_resource_below_min_resource_is_refused():
    with pytest.raises(PrunerError, match="max_resource must be at least min_resource"):
        make_pruner({"name": "hyperband", "min_resource": 10, "max_resource": 5})
