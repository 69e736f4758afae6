"""The percentile pruner keeps trials within the best share of their peers at the same step."""

import pytest

from studies.engine import PercentilePruner, PrunerError, TrialRecord, make_pruner


def peers(values, step=0):
    return [TrialRecord(i, {}, "complete", value=v, intermediate={step: v}) for i, v in enumerate(values)]


def running(value, step=0):
    return TrialRecord(100, {}, "running", intermediate={step: value})


VALUES = [float(v) for v in range(1, 9)]  # 25th percentile 2.75, 75th 6.25


def test_a_trial_outside_the_best_quarter_is_pruned():
    assert PercentilePruner(percentile=25.0).should_prune(running(3.0), peers(VALUES), ["minimize"])


def test_a_trial_inside_the_best_quarter_is_kept():
    assert not PercentilePruner(percentile=25.0).should_prune(running(2.5), peers(VALUES), ["minimize"])


def test_maximize_counts_the_percentile_from_the_top():
    pruner = PercentilePruner(percentile=25.0)

    assert not pruner.should_prune(running(6.5), peers(VALUES), ["maximize"])
    assert pruner.should_prune(running(6.0), peers(VALUES), ["maximize"])


def test_percentile_50_is_the_median_rule():
    pruner = make_pruner({"name": "percentile", "percentile": 50})

    assert pruner.should_prune(running(4.6), peers(VALUES), ["minimize"])
    assert not pruner.should_prune(running(4.5), peers(VALUES), ["minimize"])


def test_no_decision_before_enough_trials_finished():
    assert not PercentilePruner(n_startup_trials=9).should_prune(running(100.0), peers(VALUES), ["minimize"])


@pytest.mark.parametrize("bad", [0, 101, True, "25"])
def test_percentile_must_be_in_range(bad):
    with pytest.raises(PrunerError, match="percentile must be a number above 0 and at most 100"):
        make_pruner({"name": "percentile", "percentile": bad})


def test_multi_objective_studies_are_refused():
    with pytest.raises(PrunerError, match="the percentile pruner needs a single objective"):
        PercentilePruner().check(["minimize", "minimize"])
