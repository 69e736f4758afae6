"""The median pruner: compare the latest value with the median of finished trials at that step."""

import pytest

from studies.engine import PRUNERS, MedianPruner, PrunerError, TrialRecord, make_pruner

CURVE = {0: 1.0, 1: 0.5, 2: 0.3}


def history(n, state="complete", curve=CURVE):
    return [TrialRecord(i, {}, state, value=min(curve.values()), intermediate=curve) for i in range(n)]


def running(curve, number=100):
    return TrialRecord(number, {}, "running", intermediate=curve)


def test_clearly_bad_trial_is_pruned():
    assert MedianPruner().should_prune(running({0: 5.0}), history(5), ["minimize"])


def test_good_trial_is_kept():
    assert not MedianPruner().should_prune(running({0: 0.1}), history(5), ["minimize"])


def test_the_latest_step_is_judged():
    assert MedianPruner().should_prune(running({0: 0.1, 1: 0.9}), history(5), ["minimize"])


def test_direction_maximize_prunes_low_values():
    pruner = MedianPruner()

    assert pruner.should_prune(running({0: 0.1}), history(5), ["maximize"])
    assert not pruner.should_prune(running({0: 5.0}), history(5), ["maximize"])


def test_no_decision_during_warmup_steps():
    pruner = MedianPruner(n_warmup_steps=3)

    assert not pruner.should_prune(running({2: 5.0}), history(5, curve={2: 0.3}), ["minimize"])
    assert pruner.should_prune(running({3: 5.0}), history(5, curve={3: 0.3}), ["minimize"])


def test_no_decision_before_enough_trials_finished():
    pruner = MedianPruner(n_startup_trials=5)

    assert not pruner.should_prune(running({0: 5.0}), history(4), ["minimize"])


def test_pruned_trials_count_as_finished():
    trials = history(3) + history(2, state="pruned")

    assert MedianPruner(n_startup_trials=5).should_prune(running({0: 5.0}), trials, ["minimize"])


@pytest.mark.parametrize("state", ["waiting", "running", "failed"])
def test_unfinished_and_failed_trials_do_not_count(state):
    trials = history(4) + history(10, state=state)

    assert not MedianPruner(n_startup_trials=5).should_prune(running({0: 5.0}), trials, ["minimize"])


def test_the_trial_itself_is_not_its_own_peer():
    trials = history(4) + [TrialRecord(100, {}, "complete", value=5.0, intermediate={0: 5.0})]

    assert not MedianPruner(n_startup_trials=5).should_prune(running({0: 5.0}), trials, ["minimize"])


def test_no_decision_when_no_peer_reached_the_step():
    assert not MedianPruner().should_prune(running({7: 5.0}), history(5), ["minimize"])


def test_no_decision_without_intermediate_values():
    assert not MedianPruner().should_prune(running({}), history(5), ["minimize"])


def test_nan_is_always_pruned():
    assert MedianPruner().should_prune(running({0: float("nan")}), history(5), ["minimize"])


def test_value_equal_to_the_median_is_kept():
    assert not MedianPruner().should_prune(running({0: 1.0}), history(5), ["minimize"])


def test_multi_objective_studies_are_refused():
    with pytest.raises(PrunerError, match="the median pruner needs a single objective; this study has 2"):
        MedianPruner().check(["minimize", "maximize"])


def test_make_pruner_of_none_is_no_pruner():
    assert make_pruner(None) is None


def test_make_pruner_passes_options():
    pruner = make_pruner({"name": "median", "n_startup_trials": 2, "n_warmup_steps": 4})

    assert (pruner.n_startup_trials, pruner.n_warmup_steps) == (2, 4)


def test_make_pruner_from_a_name_uses_defaults():
    pruner = make_pruner("median")

    assert (pruner.n_startup_trials, pruner.n_warmup_steps) == (5, 0)
    assert PRUNERS["median"] is MedianPruner


@pytest.mark.parametrize(
    "spec, message",
    [
        ("bogus", 'unknown pruner "bogus"; use one of median, percentile, asha, hyperband'),
        ({"name": "median", "patience": 3},
         'unknown option "patience" for the median pruner; it takes n_startup_trials, n_warmup_steps'),
        ({"name": "median", "n_startup_trials": -1}, "n_startup_trials must be an integer of at least 0, not -1"),
        ({"name": "median", "n_warmup_steps": 1.5}, "n_warmup_steps must be an integer of at least 0, not 1.5"),
        ({"name": "median", "n_warmup_steps": False}, "n_warmup_steps must be an integer of at least 0, not false"),
    ],
    ids=["unknown-name", "unknown-option", "negative", "fraction", "bool"],
)
def test_bad_pruner_spec_is_refused_with_a_message_naming_it(spec, message):
    with pytest.raises(PrunerError) as info:
        make_pruner(spec)

    assert str(info.value) == message
