"""Asynchronous successive halving: rungs at min_resource * eta**k, the best 1/eta go on."""

import pytest

from studies.engine import ASHAPruner, Optimizer, PrunerError, TrialRecord, make_pruner


def reached(number, values_by_step, state="complete"):
    return TrialRecord(number, {}, state, value=0.0, intermediate=values_by_step)


def test_rungs_are_powers_of_eta_times_the_min_resource():
    assert ASHAPruner(min_resource=2, reduction_factor=3).rungs(60) == [2, 6, 18, 54]


def test_min_early_stopping_rate_skips_the_bottom_rungs():
    assert ASHAPruner(min_early_stopping_rate=2).rungs(100) == [9, 27, 81]


def test_only_the_best_third_is_promoted_at_a_rung():
    history = [reached(i, {1: float(i)}) for i in range(8)]  # with the new one: 9 values, top 3 go on
    pruner = ASHAPruner()

    assert not pruner.should_prune(TrialRecord(8, {}, "running", intermediate={1: 1.5}), history, ["minimize"])
    assert pruner.should_prune(TrialRecord(8, {}, "running", intermediate={1: 2.5}), history, ["minimize"])


def test_no_decision_between_rungs():
    history = [reached(i, {1: 0.0, 2: 0.0}) for i in range(8)]

    assert not ASHAPruner().should_prune(TrialRecord(8, {}, "running", intermediate={1: 0.0, 2: 9.0}), history, ["minimize"])


def test_a_report_that_jumps_past_a_rung_is_judged_at_it():
    history = [reached(i, {3: float(i)}) for i in range(8)]

    assert ASHAPruner().should_prune(TrialRecord(8, {}, "running", intermediate={0: 0.0, 5: 7.0}), history, ["minimize"])


def test_early_on_only_a_new_best_goes_on():
    history = [reached(0, {1: 1.0})]
    pruner = ASHAPruner()

    assert not pruner.should_prune(TrialRecord(1, {}, "running", intermediate={1: 0.5}), history, ["minimize"])
    assert pruner.should_prune(TrialRecord(1, {}, "running", intermediate={1: 2.0}), history, ["minimize"])


def test_failed_trials_do_not_compete():
    history = [reached(i, {1: 0.0}, state="failed") for i in range(8)]

    assert not ASHAPruner().should_prune(TrialRecord(8, {}, "running", intermediate={1: 5.0}), history, ["minimize"])


def test_maximize_promotes_the_largest():
    history = [reached(i, {1: float(i)}) for i in range(8)]

    assert not ASHAPruner().should_prune(TrialRecord(8, {}, "running", intermediate={1: 6.5}), history, ["maximize"])


def test_asha_prunes_most_trials_in_a_study():
    opt = Optimizer({"x": {"type": "float", "low": 0, "high": 1}}, sampler="random", pruner="asha", seed=0)
    pruned = 0
    for _ in range(30):
        trial = opt.ask()
        for step in range(1, 28):
            if opt.report(trial, step, trial.params["x"] + 1.0 / step):
                opt.tell(trial, state="pruned")
                pruned += 1
                break
        else:
            opt.tell(trial, trial.params["x"])

    assert pruned >= 20


@pytest.mark.parametrize("option", ["min_resource", "reduction_factor"])
def test_bad_options_are_refused(option):
    with pytest.raises(PrunerError, match=f"{option} must be an integer"):
        make_pruner({"name": "asha", option: 0})
