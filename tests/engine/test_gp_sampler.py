"""The gp sampler: its numerical helpers against scipy and scikit-learn, and its behaviour."""

import math

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from scipy.stats import norm
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

from studies.engine import GPSampler, QMCSampler, SamplerError, SearchSpace, TrialRecord, rng_for
from studies.engine.samplers import gp as gp_module
from studies.engine.samplers.gp import _MAX_POINTS, _checkpoint, _subset
from studies.engine.samplers._encoding import Encoder
from studies.engine.samplers._gp_model import (
    _JITTER,
    _KERNEL_BLOCK,
    Additive,
    Posterior,
    _additive_matern,
    fit_hyperparameters,
    log_prior,
    log_ei,
    log_ei_with_grad,
    log_h,
    negative_log_marginal_likelihood,
    negative_log_posterior_additive,
)

SPHERE_10D = {f"x{i}": {"type": "float", "low": -5.0, "high": 5.0} for i in range(10)}


def _sphere(params):
    return sum((v - 1.5) ** 2 for v in params.values())


def _history(space, n, objective, seed=0):
    rng = np.random.default_rng(seed)
    trials = []
    for number in range(n):
        params = {p.name: p.from_unit(rng.random()) for p in space.params}
        trials.append(TrialRecord(number=number, params=params, state="complete", value=objective(params)))
    return trials


def test_log_h_matches_scipy_where_direct_formula_is_accurate():
    z = np.linspace(-8.0, 6.0, 57)

    direct = np.log(z * norm.cdf(z) + norm.pdf(z))

    np.testing.assert_allclose(log_h(z), direct, rtol=1e-9, atol=1e-12)


def test_log_h_stays_finite_and_increasing_far_in_the_tail():
    z = -np.logspace(0.5, 8, 200)[::-1]

    values = log_h(z)

    assert np.all(np.isfinite(values))
    assert np.all(np.diff(values) > 0)
    # Beyond the direct formula's reach it follows the asymptote -z^2/2 - log(sqrt(2 pi)) - 2 log|z|.
    far = z < -1e3
    asymptote = -0.5 * z[far] ** 2 - 0.5 * math.log(2 * math.pi) - 2 * np.log(-z[far])
    np.testing.assert_allclose(values[far], asymptote, rtol=1e-6)


def test_negative_log_marginal_likelihood_matches_scikit_learn():
    rng = np.random.default_rng(0)
    X, y = rng.random((25, 4)), rng.standard_normal(25)
    kernel = ConstantKernel(1.3) * Matern(np.array([0.3, 0.7, 1.2, 2.0]), nu=2.5) + WhiteKernel(1e-2)
    model = GaussianProcessRegressor(kernel, optimizer=None, alpha=_JITTER).fit(X, y)
    theta = model.kernel_.theta + rng.normal(0.0, 0.3, len(model.kernel_.theta))

    expected, expected_grad = model.log_marginal_likelihood(theta, eval_gradient=True)
    value, grad = negative_log_marginal_likelihood(theta, X, y)

    assert -value == pytest.approx(expected, rel=1e-10)
    np.testing.assert_allclose(-grad, expected_grad, rtol=1e-8)


def test_posterior_matches_scikit_learn_prediction():
    rng = np.random.default_rng(1)
    X, y, Q = rng.random((30, 3)), rng.standard_normal(30), rng.random((7, 3))
    kernel = ConstantKernel(0.8) * Matern(np.array([0.4, 0.9, 0.6]), nu=2.5)
    model = GaussianProcessRegressor(kernel, optimizer=None, alpha=1e-4 + _JITTER).fit(X, y)

    mean, var = Posterior(X, y, 0.8, [0.4, 0.9, 0.6], 1e-4).predict(Q)
    expected_mean, expected_std = model.predict(Q, return_std=True)

    np.testing.assert_allclose(mean, expected_mean, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(var, expected_std**2, rtol=1e-6, atol=1e-9)


def _plain_kernel(posterior, A, B):
    # The kernel matrix as one expression, as it was written before it was built in blocks.
    r = np.sqrt(cdist(A / posterior.length_scales, B / posterior.length_scales, "sqeuclidean"))
    k = posterior.constant * (1 + math.sqrt(5) * r + 5.0 / 3.0 * r**2) * np.exp(-math.sqrt(5) * r)
    if posterior.additive is not None:
        k += posterior.additive.constant * _additive_matern(A, B, posterior.additive.length_scales)
    return k


@pytest.mark.parametrize("additive", [None, Additive(0.7, np.array([0.2, 0.4, 0.3]))], ids=["plain", "additive"])
def test_the_kernel_built_in_blocks_of_rows_is_the_plain_expression_bit_for_bit(additive):
    rng = np.random.default_rng(8)
    A, B = rng.random((3 * _KERNEL_BLOCK // 250 + 7, 3)), rng.random((250, 3))  # three blocks and a remainder
    posterior = Posterior(B, rng.standard_normal(250), 0.6, [0.3, 0.5, 0.8], 1e-3, additive)

    assert np.array_equal(posterior._kernel(A, B), _plain_kernel(posterior, A, B))


def test_log_ei_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    X, y = rng.random((20, 3)), rng.standard_normal(20)
    posterior = Posterior(X, y, 1.1, [0.3, 0.5, 0.8], 1e-3)
    q, best, h = rng.random(3), float(y.min()), 1e-6

    values, grads = log_ei_with_grad(*posterior.predict_with_grad(q[None, :]), best)
    value, grad = values[0], grads[0]
    numeric = [
        (log_ei(*posterior.predict((q + h * e)[None, :]), best)[0] - log_ei(*posterior.predict((q - h * e)[None, :]), best)[0])
        / (2 * h)
        for e in np.eye(3)
    ]

    assert value == pytest.approx(log_ei(*posterior.predict(q[None, :]), best)[0], rel=1e-9)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-6)


def test_startup_trials_follow_the_qmc_sequence(mixed_space):
    trials = _history(mixed_space, 0, lambda p: 0.0)

    params = GPSampler(scramble_seed=4).sample(mixed_space, trials, rng_for(0, 0), ["minimize"])

    assert params == QMCSampler(4).sample(mixed_space, trials, rng_for(0, 0), ["minimize"])


def test_parallel_asks_with_running_trials_give_distinct_points():
    space = SearchSpace.from_json(SPHERE_10D)
    trials = _history(space, 15, _sphere)
    sampler = GPSampler()

    for number in range(15, 19):
        params = sampler.sample(space, trials, rng_for(0, number), ["minimize"])
        trials.append(TrialRecord(number=number, params=params, state="running"))

    pending = np.array([[space[n].to_unit(v) for n, v in t.params.items()] for t in trials[15:]])
    gaps = [np.linalg.norm(a - b) for i, a in enumerate(pending) for b in pending[i + 1:]]
    assert min(gaps) > 0.05


def test_failed_and_pruned_trials_do_not_break_it(mixed_space):
    trials = _history(mixed_space, 12, lambda p: float(len(p)))
    trials[3] = TrialRecord(number=3, params=trials[3].params, state="failed")
    trials[5] = TrialRecord(number=5, params=trials[5].params, state="pruned", intermediate={0: 1.0, 4: 0.5})
    trials[7] = TrialRecord(number=7, params=trials[7].params, state="pruned")

    params = GPSampler().sample(mixed_space, trials, rng_for(0, 12), ["maximize"])

    assert mixed_space.validate_params(params) == params


def test_multi_objective_studies_are_refused(mixed_space):
    with pytest.raises(SamplerError, match="nsga2"):
        GPSampler().sample(mixed_space, [], rng_for(0, 0), ["minimize", "maximize"])


# ----- long histories: a subset of the trials, hyperparameters polished on a subset -------------

def test_a_long_history_is_cut_to_the_best_half_and_the_latest_rest():
    scored = [(TrialRecord(i, {}, "complete", value=float(-i % 7)), float(-i % 7)) for i in range(3 * _MAX_POINTS)]

    kept = _subset(scored)

    assert len(kept) == _MAX_POINTS
    assert [t.number for t, _ in kept] == sorted(t.number for t, _ in kept)
    assert scored[-1] in kept
    assert sum(loss == 0.0 for _, loss in kept) == sum(loss == 0.0 for _, loss in scored)


def test_an_ask_after_a_long_history_is_reproducible_and_in_bounds():
    space = SearchSpace.from_json({"a": {"type": "float", "low": -5, "high": 5}, "b": {"type": "int", "low": 0, "high": 9}})
    history = _history(space, _MAX_POINTS + 50, _sphere)

    first = GPSampler().sample(space, history, rng_for(0, len(history)), ["minimize"])
    second = GPSampler().sample(space, history, rng_for(0, len(history)), ["minimize"])

    assert first == second
    assert -5 <= first["a"] <= 5 and first["b"] in range(10)


def test_the_gradient_path_gives_the_same_variance_as_predict_on_an_ill_conditioned_kernel():
    # A smooth function fit with long length scales and the smallest noise: K is nearly
    # singular, where k' K^-1 k from an explicit inverse came out 13-235 times too large,
    # or floored at zero.
    rng = np.random.default_rng(4)
    X = rng.random((300, 2))
    posterior = Posterior(X, np.sin(3 * X).sum(axis=1), 100.0, [6.0, 6.0], 1e-6)
    Q = rng.random((5, 2))

    _, var = posterior.predict(Q)
    _, var_with_grad, _, _ = posterior.predict_with_grad(Q)

    np.testing.assert_allclose(var_with_grad, var, rtol=1e-5)


# ----- past 200 trials: hyperparameters fitted at the last checkpoint, memoised ----------------

def test_checkpoints_start_at_200_and_come_every_5_percent_or_10_trials():
    assert [_checkpoint(n) for n in (201, 209, 210, 219, 220, 230, 231)] == [200, 200, 210, 210, 220, 220, 231]
    assert _checkpoint(1000) == 964 and _checkpoint(1011) == 964 and _checkpoint(1012) == 1012


def _counting_fits(monkeypatch):
    calls = []
    real = gp_module.fit_hyperparameters

    def counted(*args, **kwargs):
        calls.append(len(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(gp_module, "fit_hyperparameters", counted)
    monkeypatch.setattr(gp_module, "_FITS", gp_module._Memo(8))
    return calls


_FLOAT_AND_INT = {"a": {"type": "float", "low": -5, "high": 5}, "b": {"type": "int", "low": 0, "high": 9}}


def _ask(history):
    return GPSampler().sample(SearchSpace.from_json(_FLOAT_AND_INT), history, rng_for(0, len(history)), ["minimize"])


def _long_history(n):
    return _history(SearchSpace.from_json(_FLOAT_AND_INT), n, _sphere)


def test_asks_between_two_checkpoints_fit_the_kernel_once(monkeypatch):
    calls = _counting_fits(monkeypatch)
    history = _long_history(230)

    _ask(history[:225])
    _ask(history[:228])
    _ask(history)

    assert calls == [220]


def test_a_warm_memo_gives_the_same_suggestion_as_a_cold_one(monkeypatch):
    history = _long_history(230)
    _counting_fits(monkeypatch)

    cold = _ask(history)
    warm = _ask(history)

    assert warm == cold


def test_a_changed_early_trial_is_fitted_again(monkeypatch):
    calls = _counting_fits(monkeypatch)
    history = _long_history(230)
    changed = [TrialRecord(0, history[0].params, "complete", value=history[0].value + 1.0)] + history[1:]

    _ask(history)
    _ask(changed)

    assert calls == [220, 220]


def test_constraint_models_are_fitted_at_the_checkpoint_too(monkeypatch):
    calls = _counting_fits(monkeypatch)
    history = [
        TrialRecord(t.number, t.params, "complete", value=t.value, constraints=(t.params["a"] - 1.0,))
        for t in _long_history(230)
    ]

    _ask(history[:225])
    params = _ask(history)

    assert calls == [220, 220]
    assert -5 <= params["a"] <= 5 and params["b"] in range(10)


def test_the_memo_keeps_only_the_latest_entries():
    memo = gp_module._Memo(2)

    for key in "abc":
        memo.put(key, key.upper())

    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (None, "B", "C")


# ----- categoricals in the acquisition search (issue 15, target 5) -----------------------

TWO_CHOICES = SearchSpace.from_json({
    "a": {"type": "categorical", "choices": ["x", "y"]},
    "b": {"type": "categorical", "choices": ["x", "y", "z"]},
    "c": {"type": "float", "low": 0.0, "high": 1.0},
})


class _TableModel:
    """A stand-in posterior whose mean is a table over (a, b) and whose variance is fixed."""

    def __init__(self, table):
        self.table = table

    def predict(self, X):
        a, b = X[:, 0:2].argmax(axis=1), X[:, 2:5].argmax(axis=1)
        return np.array([self.table[i, j] for i, j in zip(a, b)], dtype=float), np.full(len(X), 0.01)


def test_every_combination_of_the_categoricals_is_listed_once_in_product_order():
    encoder = Encoder(TWO_CHOICES)

    combinations = encoder.combinations(64)

    decoded = [(encoder.decode(np.array([u, v, 0.5]))["a"], encoder.decode(np.array([u, v, 0.5]))["b"])
               for u, v in combinations]
    assert decoded == [("x", "x"), ("x", "y"), ("x", "z"), ("y", "x"), ("y", "y"), ("y", "z")]
    raws = np.column_stack([combinations, np.full(len(combinations), 0.5)])
    assert encoder.combination_index(raws).tolist() == list(range(6))


def test_past_the_limit_no_combination_is_listed():
    assert Encoder(TWO_CHOICES).combinations(5).shape == (0, 2)


def test_a_sweep_finds_a_joint_change_that_no_single_categorical_makes_alone():
    # From (x, x), changing a or b alone is worse; changing both to (y, z) is best.
    table = np.array([[1.0, 2.0, 2.0], [2.0, 2.0, 0.0]])
    encoder = Encoder(TWO_CHOICES)
    acquisition = gp_module._Acquisition(encoder, _TableModel(table), best=1.0)
    start = np.array([0.25, 1 / 6, 0.5])

    swept = acquisition._discrete_sweep(start)

    assert encoder.decode(swept) == {"a": "y", "b": "z", "c": 0.5}


def test_each_categorical_combination_gets_a_local_search_start():
    encoder = Encoder(TWO_CHOICES)
    acquisition = gp_module._Acquisition(encoder, _TableModel(np.zeros((2, 3))), best=1.0)
    candidates = np.random.default_rng(0).random((200, 3))
    # The best scores all fall on one combination (a = x, b = x).
    scores = np.where(encoder.combination_index(candidates) == 0, 10.0, 0.0) + candidates[:, 2]

    starts = acquisition.starts(candidates, scores)

    assert sorted(set(encoder.combination_index(candidates[starts]).tolist())) == list(range(6))
    assert list(starts[: gp_module._N_STARTS]) == list(np.argsort(-scores, kind="stable")[: gp_module._N_STARTS])


def test_an_ask_on_a_space_with_categoricals_is_reproducible_from_the_history(mixed_space):
    history = _history(mixed_space, 30, lambda p: float(len(str(p))))

    first = GPSampler().sample(mixed_space, history, rng_for(0, 30), ["minimize"])
    second = GPSampler().sample(mixed_space, history, rng_for(0, 30), ["minimize"])

    assert first == second


def test_the_log_prior_gradient_matches_finite_differences():
    theta, h, scaled = np.log([2.0, 0.3, 4.0, 1e-3]), 1e-6, np.array([True, True])

    _, grad = log_prior(theta, scaled)
    numeric = [(log_prior(theta + h * e, scaled)[0] - log_prior(theta - h * e, scaled)[0]) / (2 * h) for e in np.eye(4)]

    np.testing.assert_allclose(grad, numeric, rtol=1e-6)


def test_the_length_scale_prior_acts_on_the_masked_columns_only():
    theta, scaled = np.log([2.0, 0.3, 4.0, 1e-3]), np.array([True, False])
    longer_unmasked = theta + np.array([0.0, 0.0, 1.0, 0.0])
    longer_masked = theta + np.array([0.0, 1.0, 0.0, 0.0])

    value, grad = log_prior(theta, scaled)

    assert grad[2] == 0.0 and grad[1] != 0.0
    assert log_prior(longer_unmasked, scaled)[0] == value
    assert log_prior(longer_masked, scaled)[0] != value


def test_the_prior_keeps_the_amplitude_of_a_near_linear_trend_near_the_data_variance():
    # A slope seen over a short stretch: the likelihood alone explains it with long
    # length scales and a large amplitude (the overconfident fit that kept a parameter
    # with a small effect at its bound on the mixed problem).
    rng = np.random.default_rng(0)
    X = rng.random((30, 2)) * [0.3, 1.0]
    y = X[:, 0] + 0.01 * X[:, 1]
    y = (y - y.mean()) / y.std()

    alone = fit_hyperparameters(X, y, np.random.default_rng(0))
    with_prior = fit_hyperparameters(X, y, np.random.default_rng(0), prior=np.zeros(2, dtype=bool))

    assert alone.constant > 50.0
    assert with_prior.constant < 10.0


def test_a_diverged_loss_does_not_flatten_the_others():
    # One diverged model among ordinary scores (svr_diabetes: 9e4 among 0.47 to 1.1).
    losses = np.array([0.48, 0.5, 0.55, 0.7, 0.9, 1.0, 1.05, 9e4])

    standardised = gp_module._standardise(losses)

    # Untamed they would span about 2e-5 standard deviations.
    assert np.ptp(standardised[:-1]) > 0.1
    assert list(np.argsort(standardised, kind="stable")) == list(range(len(losses)))


def test_losses_without_a_far_tail_are_only_standardised():
    losses = np.array([0.4, 1.0, 2.0, 3.0, 5.0, 6.0])

    standardised = gp_module._standardise(losses)

    np.testing.assert_allclose(standardised, (losses - losses.mean()) / losses.std())


def test_the_additive_kernels_posterior_gradient_matches_finite_differences():
    rng = np.random.default_rng(4)
    X, y = rng.random((20, 3)), rng.standard_normal(20)
    posterior = Posterior(X, y, 0.6, [0.3, 0.5, 0.8], 1e-3, Additive(0.7, np.array([0.2, 0.4, 0.3])))
    q, h = rng.random(3), 1e-6

    mean, var, dmean, dvar = posterior.predict_with_grad(q[None, :])
    steps = [(posterior.predict((q + h * e)[None, :]), posterior.predict((q - h * e)[None, :])) for e in np.eye(3)]

    np.testing.assert_allclose((mean[0], var[0]), [a[0] for a in posterior.predict(q[None, :])], rtol=1e-9)
    np.testing.assert_allclose(dmean[0], [(up[0][0] - down[0][0]) / (2 * h) for up, down in steps], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(dvar[0], [(up[1][0] - down[1][0]) / (2 * h) for up, down in steps], rtol=1e-4, atol=1e-6)


def test_the_additive_kernels_log_posterior_gradient_matches_finite_differences():
    rng = np.random.default_rng(5)
    X, y = rng.random((25, 3)), rng.standard_normal(25)
    theta = np.log([0.7, 0.3, 0.6, 0.9, 0.01, 0.4, 0.2, 0.5, 0.3])
    scaled = np.array([False, True, False])
    h = 1e-6

    _, grad = negative_log_posterior_additive(theta, X, y, scaled)
    numeric = [(negative_log_posterior_additive(theta + h * e, X, y, scaled)[0]
                - negative_log_posterior_additive(theta - h * e, X, y, scaled)[0]) / (2 * h) for e in np.eye(len(theta))]

    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-5)


def test_the_additive_fit_weighs_the_additive_part_on_a_sum_of_one_parameter_terms():
    rng = np.random.default_rng(6)
    X = rng.random((60, 6))
    y = np.sin(6 * X).sum(axis=1)
    y = (y - y.mean()) / y.std()

    fitted = fit_hyperparameters(X, y, rng, additive=True)

    assert fitted.additive.constant > 5 * fitted.constant


def test_additive_must_be_true_or_false():
    with pytest.raises(SamplerError, match="additive must be true or false"):
        GPSampler.from_options({"additive": "yes"})


def test_an_additive_gp_proposes_inside_the_space():
    space = SearchSpace.from_json(SPHERE_10D)
    trials = _history(space, 12, _sphere)

    proposed = GPSampler(additive=True).sample(space, trials, rng_for(0, 12), ["minimize"])

    assert all(-5.0 <= proposed[k] <= 5.0 for k in SPHERE_10D)
