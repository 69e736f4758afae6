"""The TPE sampler: start-up, learning, groups, pending, pruned and failed trials, several objectives."""

import numpy as np
import pytest
from scipy.stats import truncnorm

from studies.engine import (
    Optimizer,
    SearchSpace,
    TPESampler,
    TrialRecord,
    make_sampler,
    rng_for,
)
from studies.engine.samplers.tpe.groups import groups_of
from studies.engine.samplers.tpe.parzen import Observations, ParzenEstimator
from studies.engine.samplers.tpe.sampler import _MAX_KERNELS, _thinned
from studies.engine.samplers.tpe.split import nondomination_ranks, split_trials

from .helpers import run_asks

SPHERE_10D = {f"x{i}": {"type": "float", "low": -5.0, "high": 5.0} for i in range(10)}
LINE = {"x": {"type": "float", "low": 0.0, "high": 1.0}}


def best_on_sphere(sampler, seed, n_trials=40):
    opt = Optimizer(SPHERE_10D, sampler=sampler, seed=seed)
    for _ in range(n_trials):
        trial = opt.ask()
        opt.tell(trial, sum(v * v for v in trial.params.values()))
    return opt.best_value


def complete(number, params, value):
    return TrialRecord(number, params, "complete", value=value)


def test_tpe_beats_random_on_a_10d_sphere_across_10_seeds():
    wins = sum(best_on_sphere("tpe", seed) < best_on_sphere("random", seed) for seed in range(10))

    # TPE wins all ten on these seeds; 8 leaves room for harmless numerical changes.
    assert wins >= 8


def test_start_up_trials_are_the_qmc_points():
    space = SearchSpace.from_json(LINE)

    assert run_asks(make_sampler("tpe", seed=4), space, 10, seed=4) == run_asks(make_sampler("qmc", seed=4), space, 10, seed=4)


def test_same_seed_and_history_give_the_same_params_after_start_up():
    space = SearchSpace.from_json(SPHERE_10D)
    history = [complete(i, {f"x{j}": float(i % 5 - j % 3) for j in range(10)}, float(i)) for i in range(30)]

    first = TPESampler().sample(space, history, rng_for(0, 30), ["minimize"])
    second = TPESampler().sample(space, history, rng_for(0, 30), ["minimize"])

    assert first == second


def test_samples_concentrate_near_the_good_trials():
    space = SearchSpace.from_json(LINE)
    history = [complete(i, {"x": x}, (x - 0.8) ** 2) for i, x in enumerate(np.linspace(0, 1, 41))]

    xs = [TPESampler().sample(space, history, rng_for(0, n), ["minimize"])["x"] for n in range(50)]

    assert abs(np.median(xs) - 0.8) < 0.1


def test_maximize_concentrates_near_the_largest_values():
    space = SearchSpace.from_json(LINE)
    history = [complete(i, {"x": x}, -((x - 0.2) ** 2)) for i, x in enumerate(np.linspace(0, 1, 41))]

    xs = [TPESampler().sample(space, history, rng_for(0, n), ["maximize"])["x"] for n in range(50)]

    assert abs(np.median(xs) - 0.2) < 0.1


def test_parallel_asks_with_running_trials_give_distinct_points():
    space = SearchSpace.from_json({"n": {"type": "int", "low": 0, "high": 20}})
    trials = [complete(i, {"n": i}, abs(i - 10)) for i in range(21)]

    asked = []
    for number in range(21, 27):
        params = TPESampler().sample(space, trials, rng_for(0, number), ["minimize"])
        trials.append(TrialRecord(number, params, "running"))
        asked.append(params["n"])

    assert len(set(asked)) == len(asked)


def test_without_the_constant_liar_parallel_asks_pile_up():
    space = SearchSpace.from_json({"n": {"type": "int", "low": 0, "high": 20}})
    trials = [complete(i, {"n": i}, abs(i - 10)) for i in range(21)]

    asked = []
    for number in range(21, 27):
        params = TPESampler(constant_liar=False).sample(space, trials, rng_for(0, number), ["minimize"])
        trials.append(TrialRecord(number, params, "running"))
        asked.append(params["n"])

    assert len(set(asked)) < len(asked)


def test_failed_and_pruned_trials_do_not_break_it():
    space = SearchSpace.from_json(LINE)
    history = [TrialRecord(i, {"x": i / 20}, "failed") for i in range(10)]
    history += [TrialRecord(10 + i, {"x": i / 20}, "pruned", value=float(i), intermediate={i % 3: float(i)}) for i in range(10)]
    history += [TrialRecord(20, {"x": 0.5}, "pruned")]

    params = TPESampler().sample(space, history, rng_for(0, 21), ["minimize"])

    assert 0.0 <= params["x"] <= 1.0


def test_pruned_trials_rank_after_complete_ones_deepest_first():
    trials = [TrialRecord(0, {}, "pruned", value=0.0, intermediate={1: 0.0})]
    trials += [TrialRecord(1, {}, "pruned", value=9.0, intermediate={5: 9.0})]
    trials += [complete(2 + i, {}, 100.0 + i) for i in range(18)]

    below, above = split_trials(trials, ["minimize"], constant_liar=True)

    assert [t.number for t in below] == [2, 3]
    assert [t.number for t in above][-2:] == [1, 0]


def test_pending_trials_join_the_bad_side_only_with_the_liar():
    trials = [complete(i, {}, float(i)) for i in range(10)] + [TrialRecord(10, {}, "running")]

    assert split_trials(trials, ["minimize"], True)[1][-1].number == 10
    assert all(t.number != 10 for t in split_trials(trials, ["minimize"], False)[1])


def test_conditional_params_form_one_group_per_condition(mixed_space):
    groups = [sorted(g.names) for g in groups_of(mixed_space)]

    assert groups[0] == sorted(["lr", "dropout", "momentum", "depth", "trees", "width", "kernel", "mixed"])
    assert sorted(groups[1:]) == [["degree"], ["gamma"], ["shrinking"], ["tol_scale"]]


def test_a_conditional_group_is_learnt_from_the_trials_that_have_it():
    space = SearchSpace.from_json({
        "kind": {"type": "categorical", "choices": ["a", "b"]},
        "y": {"type": "float", "low": 0.0, "high": 1.0, "condition": {"kind": ["a"]}},
    })
    history = [complete(i, {"kind": "a", "y": i / 40}, abs(i / 40 - 0.3)) for i in range(41)]
    history += [complete(41 + i, {"kind": "b"}, 5.0) for i in range(20)]

    asked = [TPESampler().sample(space, history, rng_for(1, n), ["minimize"]) for n in range(40)]

    assert sum(p["kind"] == "a" for p in asked) >= 30
    assert abs(np.median([p["y"] for p in asked if "y" in p]) - 0.3) < 0.1


def test_multi_objective_studies_are_served():
    opt = Optimizer({"x": {"type": "float", "low": 0, "high": 1}}, sampler="tpe", directions=["minimize", "minimize"])
    for _ in range(25):
        trial = opt.ask()
        opt.tell(trial, values=[trial.params["x"], 1 - trial.params["x"] ** 2])

    assert len(opt.pareto_front()) >= 2


def test_nondomination_ranks_peel_fronts():
    losses = np.array([[1.0, 4.0], [2.0, 2.0], [4.0, 1.0], [3.0, 3.0], [5.0, 5.0], [2.0, 2.0]])

    assert nondomination_ranks(losses).tolist() == [0, 0, 0, 1, 2, 0]


def test_multi_objective_split_keeps_the_pareto_front_first():
    values = [(1.0, 4.0), (2.0, 2.0), (4.0, 1.0), (3.0, 3.0), (5.0, 5.0)] + [(6.0 + i, 6.0 + i) for i in range(15)]
    trials = [TrialRecord(i, {}, "complete", values=v) for i, v in enumerate(values)]

    below, _ = split_trials(trials, ["minimize", "minimize"], constant_liar=True)

    # Two of the three points of the Pareto front, chosen by hypervolume contribution.
    assert len(below) == 2 and {t.number for t in below} <= {0, 1, 2}


def test_one_numeric_kernel_matches_scipys_truncated_normal():
    obs = Observations(np.array([[0.3]]), np.zeros((1, 0), int), np.zeros(0, int), np.ones(1))
    pe = ParzenEstimator(obs, prior_weight=1e-12)
    x = np.linspace(0.01, 0.99, 7)

    mu, sigma = pe.mus[0, 0], pe.sigmas[0, 0]
    expected = truncnorm.logpdf(x, (0 - mu) / sigma, (1 - mu) / sigma, loc=mu, scale=sigma)

    np.testing.assert_allclose(pe.log_pdf(x[:, None], np.zeros((7, 0), int)), expected, atol=1e-9)


# ----- Optuna's kernels for ints and choices (optuna_kernels) ------------------------------------

def test_optunas_categorical_kernel_shares_the_prior_weight_over_n_plus_one_observations():
    # 99 trials took choice 0 of 3: each kernel holds 1 + 1/100 there and 1/100 on the
    # others (normalised), and the prior component is uniform.
    obs = Observations(np.zeros((99, 0)), np.zeros((99, 1), int), np.array([3]), np.ones(99))
    pe = ParzenEstimator(obs, prior_weight=1.0, shared_prior_choices=True)

    density = np.exp(pe.log_pdf(np.zeros((3, 0)), np.array([[0], [1], [2]])))

    kernel = np.array([1.01, 0.01, 0.01]) / 1.03
    np.testing.assert_allclose(density, (99 * kernel + 1 / 3) / 100)


def test_a_discrete_dimension_keeps_optunas_whole_magic_clip_and_a_continuous_one_a_third():
    # Ten identical points: Scott's rule gives zero width, so the floor is the bandwidth.
    obs = Observations(np.full((10, 2), 0.5), np.zeros((10, 0), int), np.zeros(0, int), np.ones(10),
                       discrete=np.array([True, False]))

    np.testing.assert_allclose(ParzenEstimator(obs, 1.0).bandwidth, [1 / 12, 1 / 33])


DISCRETE_AND_CONTINUOUS = {
    "k": {"type": "int", "low": 1, "high": 64, "log": True},
    "step": {"type": "float", "low": 0.0, "high": 1.0, "step": 0.1},
    "x": {"type": "float", "low": 0.0, "high": 1.0},
}


def good_estimator_on_twenty_identical_trials(**options):
    space = SearchSpace.from_json(DISCRETE_AND_CONTINUOUS)
    history = [complete(i, {"k": 8, "step": 0.5, "x": 0.5}, float(i)) for i in range(20)]
    return TPESampler(**options)._estimator(groups_of(space)[0], history)


def test_with_optunas_kernels_ints_and_stepped_floats_keep_the_whole_magic_clip():
    good = good_estimator_on_twenty_identical_trials(optuna_kernels=True)

    np.testing.assert_allclose(good.bandwidth, [1 / 22, 1 / 22, 1 / 63])


def test_by_default_every_numeric_kernel_keeps_a_third_of_the_magic_clip():
    good = good_estimator_on_twenty_identical_trials()

    np.testing.assert_allclose(good.bandwidth, [1 / 63, 1 / 63, 1 / 63])


def test_mixture_samples_stay_in_the_unit_interval_and_choice_range():
    obs = Observations(np.array([[0.0], [1.0]]), np.array([[0], [2]]), np.array([3]), np.ones(2))
    numeric, categorical = ParzenEstimator(obs, 1.0).sample(np.random.default_rng(0), 500)

    assert numeric.min() >= 0.0 and numeric.max() <= 1.0
    assert set(categorical[:, 0].tolist()) <= {0, 1, 2}


# ----- separable scoring: each parameter's density ratio apart ---------------------------------

def two_corners(n_each=10):
    """Good trials at two opposite corners of the unit square: (0.1, 0.9) and (0.9, 0.1)."""
    corners = np.array([[0.1, 0.9], [0.9, 0.1]] * n_each)
    return Observations(corners, np.zeros((2 * n_each, 0), int), np.zeros(0, int), np.ones(2 * n_each))


def share_in_the_empty_corner(separable):
    numeric, _ = ParzenEstimator(two_corners(), 1.0).sample(np.random.default_rng(0), 2000, separable=separable)
    return float(np.mean((numeric < 0.5).all(axis=1)))


def test_separable_draws_mix_the_parameters_of_different_trials():
    # Joint draws stay near the two corners; separable ones take x from one trial and y
    # from another, so about a quarter land near (0.1, 0.1), where no trial is.
    assert share_in_the_empty_corner(separable=False) < 0.05
    assert share_in_the_empty_corner(separable=True) > 0.15


def test_marginals_sum_the_joint_density_over_the_other_parameters():
    obs = Observations(np.array([[0.2], [0.7]]), np.array([[0], [1]]), np.array([2]), np.ones(2))
    pe = ParzenEstimator(obs, 1.0)
    numeric = np.linspace(0.0, 1.0, 5)[:, None]
    choice = {c: np.full((5, 1), c) for c in (0, 1)}

    marginals = pe.marginal_log_pdf(numeric, choice[0])
    summed_over_the_choice = np.logaddexp(pe.log_pdf(numeric, choice[0]), pe.log_pdf(numeric, choice[1]))

    np.testing.assert_allclose(marginals[:, 0], summed_over_the_choice, atol=1e-12)
    # Choice 0: one trial of two has it, the other leans away from it as much, and the prior is even.
    np.testing.assert_allclose(np.exp(marginals[:, 1]), 0.5, atol=1e-12)


def test_separable_tpe_finds_the_better_basin_of_a_sum_more_often():
    # Styblinski-Tang 8-D is a sum of one term per parameter, each with a good and a
    # worse basin; scoring parameters apart finds more good basins (bench/README.md).
    space = {f"x{i}": {"type": "float", "low": -5.0, "high": 5.0} for i in range(8)}

    def best(spec, seed):
        opt = Optimizer(space, sampler=spec, seed=seed)
        for _ in range(60):
            trial = opt.ask()
            x = np.array(list(trial.params.values()))
            opt.tell(trial, float(0.5 * np.sum(x**4 - 16 * x**2 + 5 * x)))
        return opt.best_value

    wins = sum(best({"name": "tpe", "separable": True}, seed) < best("tpe", seed) for seed in range(6))

    assert wins >= 4


# ----- hybrid scoring: whole and mixed draws, ranked by joint + separable score --------------

def two_corner_history():
    """Ten good trials at two opposite corners of the square, (0.1, 0.9) and (0.9, 0.1), and
    ninety bad ones spread evenly: each parameter alone says 0.1 and 0.9 are equally good."""
    rng = np.random.default_rng(0)
    good = [complete(i, {"x": 0.1 if i % 2 else 0.9, "y": 0.9 if i % 2 else 0.1}, 0.0) for i in range(10)]
    bad = [complete(i, {"x": float(x), "y": float(y)}, 1.0) for i, (x, y) in enumerate(rng.random((90, 2)), start=10)]
    return good + bad


def share_of_asks_in_the_empty_corners(spec):
    space = SearchSpace.from_json({k: {"type": "float", "low": 0.0, "high": 1.0} for k in "xy"})
    history, sampler = two_corner_history(), make_sampler(spec, seed=0)
    asks = [sampler.sample(space, history, rng_for(0, 100 + k), ["minimize"]) for k in range(40)]
    return np.mean([(p["x"] < 0.5) == (p["y"] < 0.5) for p in asks])


def test_hybrid_tpe_adds_the_joint_score_to_the_separable_one():
    # Separable scoring cannot tell a good corner from the empty corners its mixed draws
    # reach; the hybrid's joint score can, so it stays with the corners where trials were.
    assert share_of_asks_in_the_empty_corners({"name": "tpe", "separable": True}) > 0.2
    assert share_of_asks_in_the_empty_corners({"name": "tpe", "hybrid": True}) < 0.05


def test_hybrid_tpe_proposes_the_same_params_from_the_same_history():
    space = SearchSpace.from_json({f"x{i}": {"type": "float", "low": 0.0, "high": 1.0} for i in range(8)})
    history = [complete(i, {f"x{j}": ((i + 1) * (j + 2) * 0.137) % 1.0 for j in range(8)}, float(i % 7))
               for i in range(20)]
    first, again = (make_sampler({"name": "tpe", "hybrid": True}, seed=3) for _ in range(2))

    proposed = first.sample(space, history, rng_for(3, 20), ["minimize"])

    assert proposed == again.sample(space, history, rng_for(3, 20), ["minimize"])
    assert proposed != make_sampler({"name": "tpe", "separable": True}, seed=3).sample(
        space, history, rng_for(3, 20), ["minimize"])


def test_the_study_seed_fills_the_scramble_seed():
    assert make_sampler("tpe", seed=9).scramble_seed == 9


# ----- long histories: g(x) keeps a bounded number of kernels ---------------------------------

def long_line_history(n_trials):
    return [complete(i, {"x": (i * 0.618034) % 1.0}, float(i % 97)) for i in range(n_trials)]


def numbers_of(trials):
    return np.array([t.number for t in trials], dtype=float)


def test_histories_up_to_the_kernel_bound_are_not_thinned():
    trials = long_line_history(_MAX_KERNELS)
    weights = np.arange(1.0, _MAX_KERNELS + 1)

    kept, kept_weights = _thinned(trials, numbers_of(trials), weights, len(trials))

    assert kept is trials and kept_weights is weights


def test_a_long_history_is_thinned_to_the_bound_keeping_its_total_weight():
    trials = long_line_history(5 * _MAX_KERNELS)
    weights = np.linspace(0.1, 1.0, len(trials))

    kept, kept_weights = _thinned(trials, numbers_of(trials), weights, len(trials))

    assert len(kept) <= _MAX_KERNELS
    assert kept_weights.sum() == pytest.approx(weights.sum())


def test_thinning_keeps_the_most_recent_half_whole_and_every_pending_trial():
    trials = long_line_history(3 * _MAX_KERNELS)
    pending = [TrialRecord(len(trials) + i, {"x": 0.5}, "running") for i in range(3)]

    kept, _ = _thinned(trials + pending, numbers_of(trials + pending), np.ones(len(trials) + 3), len(trials))

    numbers = {t.number for t in kept}
    assert set(range(len(trials) - _MAX_KERNELS // 2, len(trials) + 3)) <= numbers


def test_thinning_depends_on_the_trial_numbers_not_the_history_order():
    trials = long_line_history(3 * _MAX_KERNELS)
    shuffled = list(trials)
    np.random.default_rng(0).shuffle(shuffled)
    by_number = {t.number: w for t, w in zip(trials, np.linspace(0.1, 1.0, len(trials)))}

    kept, _ = _thinned(trials, numbers_of(trials), np.array([by_number[t.number] for t in trials]), len(trials))
    kept_shuffled, _ = _thinned(
        shuffled, numbers_of(shuffled), np.array([by_number[t.number] for t in shuffled]), len(shuffled)
    )

    assert {t.number for t in kept} == {t.number for t in kept_shuffled}


def test_an_ask_after_a_thinned_history_is_reproducible_and_learns():
    space = SearchSpace.from_json(LINE)
    history = [complete(i, {"x": (i * 0.618034) % 1.0}, abs((i * 0.618034) % 1.0 - 0.3)) for i in range(3000)]

    first = TPESampler().sample(space, history, rng_for(0, 3000), ["minimize"])
    second = TPESampler().sample(space, history, rng_for(0, 3000), ["minimize"])

    assert first == second
    assert abs(first["x"] - 0.3) < 0.05
