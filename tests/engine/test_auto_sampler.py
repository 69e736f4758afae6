"""The auto sampler: which sampler it picks, why, and that it samples with it."""

import pytest

from studies.engine import AutoSampler, SamplerError, SearchSpace, TrialRecord, make_sampler, rng_for
from studies.engine.samplers import registry

NUMERIC = SearchSpace.from_json({f"x{i}": {"type": "float", "low": 0.0, "high": 1.0} for i in range(4)})
CATEGORICAL = SearchSpace.from_json({
    "x": {"type": "float", "low": 0.0, "high": 1.0},
    "kernel": {"type": "categorical", "choices": ["rbf", "linear"]},
})
CONDITIONAL = SearchSpace.from_json({
    "kernel": {"type": "categorical", "choices": ["rbf", "linear"]},
    "gamma": {"type": "float", "low": 1e-3, "high": 1.0, "log": True, "condition": {"kernel": ["rbf"]}},
})


def chosen(space, directions=("minimize",), n_trials=100):
    return AutoSampler.choose(space, list(directions), n_trials)[0]


def test_conditional_spaces_get_tpe():
    assert chosen(CONDITIONAL) == "tpe"


def test_categorical_spaces_get_tpe():
    assert chosen(CATEGORICAL) == "tpe"


def test_small_numeric_budgets_get_gp():
    assert chosen(NUMERIC, n_trials=100) == "gp"


EIGHT_NUMBERS = SearchSpace.from_json({f"x{i}": {"type": "float", "low": 0.0, "high": 1.0} for i in range(8)})


MANY_NUMBERS_GP = {"name": "gp", "additive": True, "warp": "evidence"}


def test_many_numeric_params_on_a_small_budget_get_the_additive_gp_with_the_evidences_scale():
    name, reason = AutoSampler.choose(EIGHT_NUMBERS, ["minimize"], 100)

    assert name == "gp" and "8 numeric parameters" in reason and "one-parameter effects" in reason
    assert AutoSampler.chosen_spec(EIGHT_NUMBERS, ["minimize"], 100) == MANY_NUMBERS_GP


def test_seven_numeric_params_are_past_the_gp_line_and_six_are_not():
    seven = SearchSpace.from_json({f"x{i}": {"type": "float", "low": 0.0, "high": 1.0} for i in range(7)})
    six = SearchSpace.from_json({f"x{i}": {"type": "float", "low": 0.0, "high": 1.0} for i in range(6)})

    assert AutoSampler.chosen_spec(seven, ["minimize"], 100) == MANY_NUMBERS_GP
    assert AutoSampler.chosen_spec(six, ["minimize"], 100) == {"name": "gp"}


def test_categorical_and_conditional_spaces_keep_joint_tpe():
    # Trial 1: on a small categorical space trial 0 is a GP turn.
    for space in (CATEGORICAL, CONDITIONAL):
        assert AutoSampler.chosen_spec(space, ["minimize"], 100, number=1) == {"name": "tpe"}


def turns(space, n_trials=100, numbers=range(12)):
    return [AutoSampler.chosen_spec(space, ["minimize"], n_trials, number=n)["name"] for n in numbers]


def test_small_categorical_spaces_give_every_fifth_trial_to_gp():
    assert turns(CATEGORICAL) == ["gp", "tpe", "tpe", "tpe", "tpe"] * 2 + ["gp", "tpe"]


def test_small_categorical_spaces_with_an_unknown_budget_take_turns_too():
    assert turns(CATEGORICAL, n_trials=None, numbers=(10, 11)) == ["gp", "tpe"]


def test_categorical_spaces_with_a_large_budget_keep_tpe_on_every_trial():
    assert set(turns(CATEGORICAL, n_trials=300)) == {"tpe"}


SEVEN_WITH_CHOICES = SearchSpace.from_json({
    **{f"x{i}": {"type": "float", "low": 0.0, "high": 1.0} for i in range(5)},
    "n": {"type": "int", "low": 2, "high": 64, "log": True},
    "kernel": {"type": "categorical", "choices": ["rbf", "linear"]},
})
OPTUNA_KERNELS_TPE = {"name": "tpe", "optuna_kernels": True}


def test_categorical_spaces_past_six_params_keep_tpe_on_every_trial():
    assert set(turns(SEVEN_WITH_CHOICES)) == {"tpe"}


def test_categorical_spaces_past_six_params_get_optunas_kernels_on_a_small_budget():
    for budget in (100, None):
        assert all(AutoSampler.chosen_spec(SEVEN_WITH_CHOICES, ["minimize"], budget, number=n) == OPTUNA_KERNELS_TPE
                   for n in range(12))


def test_categorical_spaces_past_six_params_keep_tpes_own_kernels_from_300_trials():
    assert AutoSampler.chosen_spec(SEVEN_WITH_CHOICES, ["minimize"], 300) == {"name": "tpe"}


def test_the_reason_names_optunas_kernels_past_six_params():
    name, reason = AutoSampler.choose(SEVEN_WITH_CHOICES, ["minimize"], 100)

    assert name == "tpe" and "Optuna's kernels" in reason and "7 parameters" in reason


def test_conditional_spaces_keep_tpe_on_every_trial():
    assert set(turns(CONDITIONAL)) == {"tpe"}


def test_the_reason_says_gp_takes_one_trial_in_five():
    name, reason = AutoSampler.choose(CATEGORICAL, ["minimize"], 100)

    assert name == "tpe" and "Gaussian process taking one trial in 5" in reason


def categorical_history(n):
    return [TrialRecord(i, {"x": ((i + 1) * 0.377) % 1.0, "kernel": ("rbf", "linear")[i % 2]}, "complete",
                        value=float((i * 7) % 5)) for i in range(n)]


def test_it_samples_with_gp_on_a_gp_turn():
    history = categorical_history(10)
    auto = make_sampler({"name": "auto", "n_trials": 100}, seed=3)
    gp, tpe = make_sampler("gp", seed=3), make_sampler("tpe", seed=3)

    proposed = auto.sample(CATEGORICAL, history, rng_for(3, 10), ["minimize"])

    assert proposed == gp.sample(CATEGORICAL, history, rng_for(3, 10), ["minimize"])
    assert proposed != tpe.sample(CATEGORICAL, history, rng_for(3, 10), ["minimize"])


def test_it_samples_with_tpe_between_gp_turns():
    history = categorical_history(11)
    auto = make_sampler({"name": "auto", "n_trials": 100}, seed=3)
    tpe = make_sampler("tpe", seed=3)

    proposed = auto.sample(CATEGORICAL, history, rng_for(3, 11), ["minimize"])

    assert proposed == tpe.sample(CATEGORICAL, history, rng_for(3, 11), ["minimize"])


def test_it_samples_with_optunas_kernels_on_categorical_spaces_past_six_params():
    history = [TrialRecord(i, {**{f"x{j}": ((i + 1) * (j + 2) * 0.137) % 1.0 for j in range(5)},
                               "n": 2 + (i * 13) % 63, "kernel": ("rbf", "linear")[i % 2]}, "complete",
                           value=float((i * 7) % 5)) for i in range(20)]
    auto = make_sampler({"name": "auto", "n_trials": 100}, seed=3)
    direct, plain = make_sampler(OPTUNA_KERNELS_TPE, seed=3), make_sampler("tpe", seed=3)

    proposed = auto.sample(SEVEN_WITH_CHOICES, history, rng_for(3, 20), ["minimize"])

    assert proposed == direct.sample(SEVEN_WITH_CHOICES, history, rng_for(3, 20), ["minimize"])
    assert proposed != plain.sample(SEVEN_WITH_CHOICES, history, rng_for(3, 20), ["minimize"])


def test_it_samples_with_the_additive_gp_on_many_numeric_params():
    history = [TrialRecord(i, {f"x{j}": ((i + 1) * (j + 2) * 0.137) % 1.0 for j in range(8)}, "complete", value=float(i % 7))
               for i in range(20)]
    auto = make_sampler({"name": "auto", "n_trials": 100}, seed=3)
    direct = make_sampler(MANY_NUMBERS_GP, seed=3)
    separable = make_sampler({"name": "tpe", "separable": True}, seed=3)

    proposed = auto.sample(EIGHT_NUMBERS, history, rng_for(3, 20), ["minimize"])

    assert proposed == direct.sample(EIGHT_NUMBERS, history, rng_for(3, 20), ["minimize"])
    assert proposed != separable.sample(EIGHT_NUMBERS, history, rng_for(3, 20), ["minimize"])


def test_large_numeric_budgets_get_cmaes():
    assert chosen(NUMERIC, n_trials=1000) == "cmaes"


def test_numeric_budgets_below_the_cmaes_line_get_gp():
    assert (chosen(NUMERIC, n_trials=250), chosen(NUMERIC, n_trials=299), chosen(NUMERIC, n_trials=300)) == (
        "gp", "gp", "cmaes")


def test_several_objectives_with_a_small_budget_get_tpe():
    assert chosen(NUMERIC, ["minimize", "maximize"], 100) == "tpe"


def test_several_objectives_with_a_large_budget_get_nsga2():
    assert chosen(NUMERIC, ["minimize", "maximize"], 1000) == "nsga2"


def test_every_choice_is_a_registered_sampler():
    choices = {chosen(space, directions, n) for space in (NUMERIC, CATEGORICAL, CONDITIONAL)
               for directions in (["minimize"], ["minimize", "maximize"]) for n in (None, 10, 100, 1000, 100000)}

    assert choices <= set(registry.SAMPLERS)


def test_the_reason_is_one_plain_sentence():
    _, reason = AutoSampler.choose(CONDITIONAL, ["minimize"], 50)

    assert reason.startswith("TPE") and reason.endswith(".") and "\n" not in reason


def test_it_samples_with_the_chosen_sampler():
    trials = []
    auto = make_sampler({"name": "auto", "n_trials": 50}, seed=3)
    direct = make_sampler(chosen(CONDITIONAL, n_trials=50), seed=3)

    assert auto.sample(CONDITIONAL, trials, rng_for(3, 0), ["minimize"]) == direct.sample(
        CONDITIONAL, trials, rng_for(3, 0), ["minimize"]
    )


def test_n_trials_must_be_a_positive_integer():
    with pytest.raises(SamplerError, match="n_trials must be an integer of at least 1, not 0"):
        make_sampler({"name": "auto", "n_trials": 0})


def test_an_unknown_budget_is_allowed():
    assert make_sampler("auto").n_trials is None
