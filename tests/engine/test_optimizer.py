"""The in-process ask/tell Optimizer."""

import math

import pytest

from studies.engine import (
    GridExhausted,
    Optimizer,
    PrunerError,
    RandomSampler,
    SamplerError,
    SearchSpace,
    rng_for,
)

SPACE = {
    "x": {"type": "float", "low": -5.0, "high": 5.0},
    "kernel": {"type": "categorical", "choices": ["rbf", "poly"]},
    "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly"]}},
}


def run(opt, values):
    trials = []
    for value in values:
        trial = opt.ask()
        trials.append(opt.tell(trial, value))
    return trials


def test_best_trial_minimises_by_default():
    opt = Optimizer(SPACE, seed=0)
    run(opt, [3.0, 1.0, 2.0])

    assert opt.best_trial.number == 1
    assert opt.best_value == 1.0
    assert opt.best_params == opt.trials[1].params


def test_best_trial_maximises_when_asked():
    opt = Optimizer(SPACE, direction="maximize", seed=0)
    run(opt, [3.0, 1.0, 2.0])

    assert opt.best_value == 3.0
    assert opt.best_trial.number == 0


def test_ties_go_to_the_earliest_trial():
    opt = Optimizer(SPACE, seed=0)
    run(opt, [2.0, 1.0, 1.0])

    assert opt.best_trial.number == 1


def test_failed_and_pruned_trials_are_never_best():
    opt = Optimizer(SPACE, seed=0)
    opt.tell(opt.ask(), state="failed")
    opt.tell(opt.ask(), -100.0, state="pruned")
    run(opt, [4.0])

    assert opt.best_value == 4.0


def test_best_without_a_complete_trial_is_an_error():
    opt = Optimizer(SPACE, seed=0)
    opt.tell(opt.ask(), state="failed")

    with pytest.raises(ValueError, match="no trial is complete yet"):
        opt.best_value


def test_nan_value_records_the_trial_as_failed():
    opt = Optimizer(SPACE, seed=0)

    trial = opt.tell(opt.ask(), float("nan"))

    assert trial.state == "failed" and trial.value is None


def test_infinite_value_is_recorded():
    opt = Optimizer(SPACE, seed=0)
    run(opt, [math.inf, 2.0])

    assert opt.best_value == 2.0


def test_same_seed_asks_the_same_params():
    first, second = Optimizer(SPACE, seed=4), Optimizer(SPACE, seed=4)

    assert [first.ask().params for _ in range(5)] == [second.ask().params for _ in range(5)]


def test_different_seeds_ask_different_params():
    first, second = Optimizer(SPACE, seed=4), Optimizer(SPACE, seed=5)

    assert [first.ask().params for _ in range(5)] != [second.ask().params for _ in range(5)]


def test_ask_n_is_what_any_worker_gets_from_rng_for_seed_and_n():
    opt = Optimizer(SPACE, seed=9)
    run(opt, [1.0, 2.0])

    trial = opt.ask()

    expected = RandomSampler().sample(SearchSpace.from_json(SPACE), opt.trials[:2], rng_for(9, 2), ["minimize"])
    assert trial.number == 2 and trial.params == expected


def test_the_seed_reaches_the_qmc_scramble():
    first, second = Optimizer(SPACE, sampler="qmc", seed=1), Optimizer(SPACE, sampler="qmc", seed=2)

    assert first.ask().params != second.ask().params


def test_grid_optimizer_raises_exhausted_after_the_last_point():
    opt = Optimizer({"c": {"type": "categorical", "choices": ["a", "b"]}}, sampler="grid")
    run(opt, [1.0, 2.0])

    with pytest.raises(GridExhausted):
        opt.ask()


def test_pending_trials_are_not_asked_twice_on_a_grid():
    opt = Optimizer({"c": {"type": "categorical", "choices": ["a", "b"]}}, sampler="grid")

    assert {opt.ask().params["c"], opt.ask().params["c"]} == {"a", "b"}


def test_report_returns_the_pruner_decision():
    opt = Optimizer(SPACE, seed=0, pruner={"name": "median", "n_startup_trials": 2})
    for value in (1.0, 1.2):
        trial = opt.ask()
        opt.report(trial, 0, value)
        opt.tell(trial, value)
    bad, good = opt.ask(), opt.ask()

    assert opt.report(bad, 0, 9.0) is True
    assert opt.report(good, 0, 0.5) is False


def test_report_without_a_pruner_never_prunes():
    opt = Optimizer(SPACE, seed=0)

    assert opt.report(opt.ask(), 0, 1e9) is False


def test_report_stores_intermediate_values():
    opt = Optimizer(SPACE, seed=0)
    trial = opt.ask()

    opt.report(trial, 0, 3.0)
    opt.report(trial, 1, 2.0)

    assert opt.trials[0].intermediate == {0: 3.0, 1: 2.0}


def test_a_step_cannot_be_reported_twice():
    opt = Optimizer(SPACE, seed=0)
    trial = opt.ask()
    opt.report(trial, 0, 3.0)

    with pytest.raises(ValueError, match="step 0 was already reported for trial 0"):
        opt.report(trial, 0, 2.0)


def test_pruned_trial_keeps_its_latest_intermediate_value():
    opt = Optimizer(SPACE, seed=0)
    trial = opt.ask()
    opt.report(trial, 0, 3.0)
    opt.report(trial, 1, 2.5)

    assert opt.tell(trial, state="pruned").value == 2.5


def test_a_finished_trial_cannot_be_told_again():
    opt = Optimizer(SPACE, seed=0)
    trial = opt.ask()
    opt.tell(trial, 1.0)

    with pytest.raises(ValueError, match="trial 0 is already complete"):
        opt.tell(trial, 2.0)


def test_a_trial_never_asked_cannot_be_told():
    with pytest.raises(ValueError, match="trial 3 was never asked"):
        Optimizer(SPACE, seed=0).tell(3, 1.0)


def test_a_complete_trial_needs_a_value():
    opt = Optimizer(SPACE, seed=0)

    with pytest.raises(ValueError, match=r"a complete trial needs 1 value\(s\)"):
        opt.tell(opt.ask())


def test_a_failed_trial_takes_no_value():
    opt = Optimizer(SPACE, seed=0)

    with pytest.raises(ValueError, match="a failed trial takes no value"):
        opt.tell(opt.ask(), 1.0, state="failed")


def test_multi_objective_trials_are_told_with_values():
    opt = Optimizer(SPACE, directions=["minimize", "maximize"], seed=0)

    trial = opt.tell(opt.ask(), values=[1.0, 2.0])

    assert trial.values == (1.0, 2.0) and trial.value is None


def test_multi_objective_needs_one_value_per_direction():
    opt = Optimizer(SPACE, directions=["minimize", "maximize"], seed=0)

    with pytest.raises(ValueError, match=r"a complete trial needs 2 value\(s\)"):
        opt.tell(opt.ask(), values=[1.0])


def test_multi_objective_best_is_undefined():
    opt = Optimizer(SPACE, directions=["minimize", "maximize"], seed=0)
    opt.tell(opt.ask(), values=[1.0, 2.0])

    with pytest.raises(RuntimeError, match="use pareto_front"):
        opt.best_trial


def test_multi_objective_pareto_front_keeps_non_dominated_trials():
    opt = Optimizer(SPACE, directions=["minimize", "maximize"], seed=0)
    for values in ([1.0, 1.0], [2.0, 3.0], [3.0, 2.0], [0.5, 0.5]):
        opt.tell(opt.ask(), values=values)

    assert [t.number for t in opt.pareto_front()] == [0, 1, 3]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"direction": "up"}, ValueError, "unknown direction 'up'"),
        ({"direction": "minimize", "directions": ["minimize"]}, ValueError, "give direction or directions, not both"),
        ({"directions": []}, ValueError, "directions must be a non-empty list"),
        ({"seed": -1}, ValueError, "seed must be a non-negative integer"),
        ({"sampler": "nope"}, SamplerError, 'unknown sampler "nope"'),
        ({"directions": ["minimize", "minimize"], "pruner": "median"}, PrunerError, "needs a single objective"),
        ({"sampler": {"name": "grid", "grid_points": 2_000_000}}, SamplerError, "the grid has 2,000,000 points"),
    ],
    ids=["bad-direction", "both-directions", "no-directions", "negative-seed", "bad-sampler", "pruner-multi",
         "grid-too-big"],
)
def test_bad_settings_are_refused_at_construction(kwargs, error, message):
    with pytest.raises(error, match=message):
        Optimizer({"x": SPACE["x"]}, **kwargs)
