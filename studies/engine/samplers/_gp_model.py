"""The Gaussian-process surrogate of the gp sampler and its log expected improvement.

scikit-learn's ``GaussianProcessRegressor`` holds the kernel (Constant x Matern 5/2 with
one length scale per column, plus white noise), its bounds and the fit; the
hyperparameter search it runs is given our vectorised log marginal likelihood (the same
formula as scikit-learn's, checked against it in the tests, without its per-evaluation
overhead of rebuilding kernel objects). The posterior and its gradient at a query point
are computed here in closed form, because the acquisition optimiser needs gradients and
must condition on fantasies (running trials) without refitting.
"""

from __future__ import annotations

import math
import warnings
from typing import NamedTuple, Union

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve_triangular
from scipy.optimize import minimize
from scipy.spatial.distance import cdist
from scipy.special import erfcx, log_ndtr, ndtr
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

_SQRT5 = math.sqrt(5.0)
# Elements per block of rows of a kernel matrix (``Posterior._kernel``): 256 KB temporaries.
_KERNEL_BLOCK = 1 << 15
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)
# Length scales live in the unit cube: below 0.01 a dimension is noise, above 20 it is flat.
_LENGTH_SCALE_BOUNDS = (1e-2, 20.0)
_NOISE_BOUNDS = (1e-6, 0.5)
_START_LENGTH_SCALE = 0.5
_START_NOISE = 1e-3
_JITTER = 1e-8
# Capped hyperparameter searches keep a fit at 200 trials well under a second on two
# cores: a full search on at most _SUBSET points, then a short polish on all of them.
_FIT_MAXITER = 50
_POLISH_MAXITER = 8
_SUBSET = 80
_POLISH_SUBSET = 200
# The kernel with an additive part (``fit_hyperparameters(..., additive=True)``): starting
# values and bounds of the prototype that was benched (bench/README.md, "Issue 15, sixth
# round"); one L-BFGS-B search on up to _POLISH_SUBSET points (a random subset past that).
_ADDITIVE_START = (0.5, 0.5, 0.2)  # each part's amplitude, the ARD and the additive length scales
_ADDITIVE_CONSTANT_BOUNDS = (1e-3, 1e2)
_ADDITIVE_MAXITER = 60
_SCALED_PRIOR_LOC = math.sqrt(2.0)
_SCALED_PRIOR_SCALE = math.sqrt(3.0)


class Posterior:
    """A zero-mean GP posterior with a Matern 5/2 ARD kernel, fixed hyperparameters.

    Args:
        X: Training inputs (n, d).
        y: Standardised training targets (n,).
        constant: Kernel amplitude.
        length_scales: One per input column (d,).
        noise: White-noise variance added on the training diagonal.
        additive: None, or ``(constant, length_scales)`` of a first-order additive part
            added to the kernel: the constant times the mean over columns of a one-column
            Matern 5/2 with that column's length scale (``Additive``).
        inverse_gradient: Take the variance on the gradient path (``predict_with_grad``)
            from an explicit inverse of K, as every ask did before issue 15. That loses
            digits when K is ill-conditioned (smooth functions fitted with tiny noise), and
            the noise it leaves in log EI stalls the acquisition optimiser's line searches;
            the gp sampler keeps it for histories of at most 200 trials only, so that their
            trials stay exactly what they were (see bench/README.md).
    """

    def __init__(self, X, y, constant: float, length_scales, noise: float, additive: Union["Additive", None] = None,
                 inverse_gradient: bool = False):
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.constant, self.noise = float(constant), float(noise)
        self.length_scales = np.asarray(length_scales, dtype=float)
        self.additive = None if additive is None else Additive(float(additive[0]), np.asarray(additive[1], dtype=float))
        # The kernel's value at zero distance: the prior variance of every point.
        self._prior_variance = self.constant + (self.additive.constant if self.additive else 0.0)
        K = self._kernel(self.X, self.X)
        # The noise added on the diagonal in place: the same sums as adding it times an identity
        # matrix, without two more n x n arrays at the advice's peak memory.
        K.flat[:: len(K) + 1] += self.noise + _JITTER
        self._L = cholesky(K, lower=True)
        del K
        self._alpha = cho_solve((self._L, True), self.y)
        self.inverse_gradient = inverse_gradient
        if inverse_gradient:
            self._K_inv = cho_solve((self._L, True), np.eye(len(self.X)), check_finite=False)

    def with_fantasies(self, X_pending: np.ndarray) -> "Posterior":
        """The posterior after believing the mean at pending points (kriging believer).

        Args:
            X_pending: Encoded points of running trials (m, d).

        Returns:
            A new posterior; its variance near pending points collapses, so the next
            suggestion looks elsewhere.
        """
        if len(X_pending) == 0:
            return self
        mean, _ = self.predict(X_pending)
        X = np.vstack([self.X, X_pending])
        return Posterior(X, np.concatenate([self.y, mean]), self.constant, self.length_scales, self.noise,
                         self.additive, self.inverse_gradient)

    def predict(self, Q: np.ndarray):
        """Posterior mean and latent variance at query points.

        Args:
            Q: Array (m, d).

        Returns:
            ``(mean, var)``, each (m,); var is floored at 1e-12.
        """
        k = self._kernel(Q, self.X)
        v = solve_triangular(self._L, k.T, lower=True, check_finite=False)
        var = self._prior_variance - np.einsum("ij,ij->j", v, v)
        return k @ self._alpha, np.maximum(var, 1e-12)

    def predict_with_grad(self, Q: np.ndarray):
        """Mean, variance and their gradients at query points.

        Args:
            Q: Array (m, d).

        Returns:
            ``(mean, var, dmean, dvar)``: two (m,) arrays and two (m, d) arrays.
        """
        delta = Q[:, None, :] - self.X[None, :, :]
        r = np.sqrt(np.sum((delta / self.length_scales) ** 2, axis=2))
        e = np.exp(-_SQRT5 * r)
        k = self.constant * (1 + _SQRT5 * r + 5.0 / 3.0 * r**2) * e
        # dk/dr divided by r, finite at r = 0: the 5/2 kernel is twice differentiable.
        g = -self.constant * 5.0 / 3.0 * (1 + _SQRT5 * r) * e
        dk = g[:, :, None] * delta / self.length_scales**2
        if self.additive is not None:
            # Each column's own Matern 5/2 of |q_d - x_d|, averaged over the columns.
            constant, scales = self.additive.constant / Q.shape[1], self.additive.length_scales
            r_d = np.abs(delta) / scales
            e_d = np.exp(-_SQRT5 * r_d)
            k = k + constant * ((1 + _SQRT5 * r_d + 5.0 / 3.0 * r_d**2) * e_d).sum(axis=2)
            dk += (-constant * 5.0 / 3.0) * (1 + _SQRT5 * r_d) * e_d * delta / scales**2
        if self.inverse_gradient:
            kinv_k = self._K_inv @ k.T
            var = self._prior_variance - np.einsum("mn,nm->m", k, kinv_k)
        else:
            # Through the Cholesky factor, as in ``predict``: see ``inverse_gradient``.
            v = solve_triangular(self._L, k.T, lower=True, check_finite=False)
            var = self._prior_variance - np.einsum("ij,ij->j", v, v)
            kinv_k = solve_triangular(self._L, v, lower=True, trans="T", check_finite=False)
        dmean = np.einsum("mnd,n->md", dk, self._alpha)
        dvar = -2.0 * np.einsum("mnd,nm->md", dk, kinv_k)
        return k @ self._alpha, np.maximum(var, 1e-12), dmean, dvar

    def _kernel(self, A, B):
        scaled_A, scaled_B = A / self.length_scales, B / self.length_scales
        k = np.empty((len(A), len(B)))
        # A block of rows at a time, each in place (``_matern``): the n x m temporaries of the
        # plain expression, four at once, set the peak memory of the advice and its hindcast.
        rows = max(1, _KERNEL_BLOCK // max(1, len(B)))
        for start in range(0, len(A), rows):
            _matern(cdist(scaled_A[start:start + rows], scaled_B, "sqeuclidean"), self.constant,
                    out=k[start:start + rows])
        if self.additive is not None:
            k += self.additive.constant * _additive_matern(A, B, self.additive.length_scales)
        return k


def _matern(squared, constant, out):
    """``constant * (1 + sqrt5 r + 5/3 r^2) * exp(-sqrt5 r)`` of squared distances, into ``out``:
    the same arithmetic in the same order as that expression (bit for bit), with one temporary;
    ``squared`` is overwritten."""
    r = np.sqrt(squared, out=squared)
    np.multiply(r, _SQRT5, out=out)
    out += 1
    term = np.square(r)
    term *= 5.0 / 3.0
    out += term
    out *= constant
    e = np.multiply(r, -_SQRT5, out=term)
    out *= np.exp(e, out=e)


def _additive_matern(A, B, scales):
    """The mean over columns of each column's Matern 5/2 between the rows of A and B."""
    total = np.zeros((len(A), len(B)))
    for j, scale in enumerate(scales):
        r = np.abs(A[:, j, None] - B[None, :, j]) / scale
        total += (1 + _SQRT5 * r + 5.0 / 3.0 * r**2) * np.exp(-_SQRT5 * r)
    return total / len(scales)


class Additive(NamedTuple):
    """The first-order additive part of a kernel: its amplitude and one length scale per column."""

    constant: float
    length_scales: np.ndarray


class Hyperparameters(NamedTuple):
    """The kernel's fitted values: amplitude, one length scale per column, noise variance, and
    the additive part's (None without one)."""

    constant: float
    length_scales: np.ndarray
    noise: float
    additive: Union[Additive, None] = None


def log_evidence(X: np.ndarray, y: np.ndarray, hyperparameters: Hyperparameters) -> float:
    """The log marginal likelihood of targets under the kernel with these hyperparameters
    (either kernel, its additive part included; the fit's jitter on the diagonal).

    Args:
        X: Inputs (n, d).
        y: Targets (n,).
        hyperparameters: As ``fit_hyperparameters`` returns them.

    Returns:
        The value.
    """
    posterior = Posterior(X, y, *hyperparameters)
    return float(_evidence(posterior._L, posterior._alpha, posterior.y))


def fit_posterior(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> Posterior:
    """Fit the kernel hyperparameters by marginal likelihood, then condition on the data.

    Args:
        X: Encoded inputs (n, d) in [0, 1].
        y: Standardised targets (n,).
        rng: For the subsets (see ``fit_hyperparameters``).

    Returns:
        The posterior with the fitted hyperparameters.
    """
    return Posterior(X, y, *fit_hyperparameters(X, y, rng))


def fit_hyperparameters(X: np.ndarray, y: np.ndarray, rng: np.random.Generator,
                        prior: Union[np.ndarray, None] = None, additive: bool = False) -> Hyperparameters:
    """Fit the kernel hyperparameters by marginal likelihood (scikit-learn), one start.

    Above ``_SUBSET`` points the search runs first on a random subset, where each
    likelihood evaluation is several times cheaper, and then polishes those values on
    all points (on a random ``_POLISH_SUBSET`` of them past that) for a few iterations:
    the "warm start" a stateless sampler can afford.

    Args:
        X: Encoded inputs (n, d) in [0, 1].
        y: Standardised targets (n,).
        rng: For the subset.
        prior: None to maximise the likelihood alone; else a boolean mask over the
            columns, and the fit maximises the likelihood times the prior of ``log_prior``
            (a maximum a posteriori fit), with the length-scale prior on the masked columns.
        additive: Add a first-order additive part to the kernel (``Additive``), fitted
            with the rest by ``_fit_additive``.

    Returns:
        The fitted values; the starting values when all targets are equal.
    """
    if additive:
        return _fit_additive(X, y, rng, prior)
    if np.ptp(y) == 0:
        # Equal losses carry no signal to fit; the starting values serve as well.
        return Hyperparameters(1.0, np.full(X.shape[1], _START_LENGTH_SCALE), _START_NOISE)
    kernel = ConstantKernel(1.0, (1e-2, 1e2)) * Matern(
        length_scale=np.full(X.shape[1], _START_LENGTH_SCALE), length_scale_bounds=_LENGTH_SCALE_BOUNDS, nu=2.5
    ) + WhiteKernel(_START_NOISE, _NOISE_BOUNDS)
    if len(X) > _SUBSET:
        subset = rng.choice(len(X), _SUBSET, replace=False)
        kernel = _fit_kernel(kernel, X[subset], y[subset], _FIT_MAXITER, prior)
        if len(X) > _POLISH_SUBSET:
            # Each likelihood evaluation is cubic in the points: past _POLISH_SUBSET a
            # random subset of that size polishes as well at a fraction of the cost.
            subset = np.sort(rng.choice(len(X), _POLISH_SUBSET, replace=False))
            kernel = _fit_kernel(kernel, X[subset], y[subset], _POLISH_MAXITER, prior)
        else:
            kernel = _fit_kernel(kernel, X, y, _POLISH_MAXITER, prior)
    else:
        kernel = _fit_kernel(kernel, X, y, _FIT_MAXITER, prior)
    return Hyperparameters(
        float(kernel.k1.k1.constant_value), np.atleast_1d(kernel.k1.k2.length_scale), float(kernel.k2.noise_level)
    )


def _fit_kernel(kernel, X, y, maxiter: int, prior: Union[np.ndarray, None] = None):
    def capped_lbfgs(obj_func, initial_theta, bounds):
        # scikit-learn's own objective rebuilds kernel objects at every evaluation (about
        # 1 ms of overhead each); the same likelihood, vectorised, is several times faster.
        objective, args = ((negative_log_marginal_likelihood, (X, y)) if prior is None
                           else (negative_log_posterior, (X, y, prior)))
        result = minimize(
            objective, initial_theta, args=args, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": maxiter},
        )
        return result.x, result.fun

    model = GaussianProcessRegressor(kernel, alpha=_JITTER, optimizer=capped_lbfgs, n_restarts_optimizer=0)
    with warnings.catch_warnings():
        # A hyperparameter at its bound is expected (an irrelevant dimension); not news.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return model.kernel_


def _fit_additive(X: np.ndarray, y: np.ndarray, rng: np.random.Generator,
                  prior: Union[np.ndarray, None]) -> Hyperparameters:
    """Both parts of the additive kernel, by a maximum a posteriori fit (``negative_log_posterior_additive``)."""
    d = X.shape[1]
    constant, scale, additive_scale = _ADDITIVE_START
    if np.ptp(y) == 0:
        return Hyperparameters(constant, np.full(d, scale), _START_NOISE, Additive(constant, np.full(d, additive_scale)))
    if len(X) > _POLISH_SUBSET:
        subset = np.sort(rng.choice(len(X), _POLISH_SUBSET, replace=False))
        X, y = X[subset], y[subset]
    scaled = np.zeros(d, dtype=bool) if prior is None else prior
    start = np.log(np.concatenate([[constant], np.full(d, scale), [_START_NOISE], [constant],
                                   np.full(d, additive_scale)]))
    constant_bounds = tuple(np.log(_ADDITIVE_CONSTANT_BOUNDS))
    bounds = ([constant_bounds] + [tuple(np.log(_LENGTH_SCALE_BOUNDS))] * d + [tuple(np.log(_NOISE_BOUNDS))]
              + [constant_bounds] + [tuple(np.log(_LENGTH_SCALE_BOUNDS))] * d)
    theta = minimize(negative_log_posterior_additive, start, args=(X, y, scaled), jac=True, method="L-BFGS-B",
                     bounds=bounds, options={"maxiter": _ADDITIVE_MAXITER}).x
    values = np.exp(theta)
    return Hyperparameters(float(values[0]), values[1:d + 1], float(values[d + 1]),
                           Additive(float(values[d + 2]), values[d + 3:]))


def negative_log_posterior_additive(theta: np.ndarray, X: np.ndarray, y: np.ndarray, scaled: np.ndarray):
    """Minus the log marginal likelihood times the prior of the kernel with an additive part, and its gradient.

    The kernel: Constant x Matern 5/2 (ARD) + Constant x the mean over columns of a
    one-column Matern 5/2 (``Additive``) + White. The prior: ``log_prior`` on the first
    part and the noise, its amplitude's Gamma(2, 1) on the additive amplitude too, and a
    log-normal scaled with the dimension on the first part's other length scales.

    Args:
        theta: ``log([constant, *length_scales, noise, additive constant, *additive length scales])``.
        X: Inputs (n, d).
        y: Targets (n,).
        scaled: As for ``log_prior``.

    Returns:
        ``(value, gradient)``.
    """
    n, d = X.shape
    constant, noise, Z, r, e = _distances(theta[: d + 2], X)
    additive_constant, additive_scales = np.exp(theta[d + 2]), np.exp(theta[d + 3:])
    matern = (1 + _SQRT5 * r + 5.0 / 3.0 * r**2) * e
    r_d = np.abs(X[:, None, :] - X[None, :, :]) / additive_scales
    e_d = np.exp(-_SQRT5 * r_d)
    additive = ((1 + _SQRT5 * r_d + 5.0 / 3.0 * r_d**2) * e_d).mean(axis=2)
    K = constant * matern + additive_constant * additive
    K.flat[:: n + 1] += noise + _JITTER
    try:
        L = cholesky(K, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        return np.inf, np.zeros_like(theta)
    alpha = cho_solve((L, True), y, check_finite=False)
    lml = _evidence(L, alpha, y)
    W = np.outer(alpha, alpha) - cho_solve((L, True), np.eye(n), check_finite=False)
    # As in negative_log_marginal_likelihood; then dK/dlog(s_d) of the additive part is
    # c / d * 5/3 (1 + sqrt5 r_d) e^(-sqrt5 r_d) r_d^2 for column d alone.
    G = constant * 5.0 / 3.0 * (1 + _SQRT5 * r) * e * W
    row = G.sum(axis=1)
    scale_grad = (Z**2 * row[:, None]).sum(axis=0) - np.einsum("id,id->d", Z, G @ Z)
    additive_grad = 0.5 * additive_constant / d * 5.0 / 3.0 * np.einsum(
        "ijd,ij->d", (1 + _SQRT5 * r_d) * e_d * r_d**2, W)
    grad = np.concatenate([[0.5 * np.sum(W * constant * matern)], scale_grad, [0.5 * noise * np.trace(W)],
                           [0.5 * np.sum(W * additive_constant * additive)], additive_grad])
    prior, prior_grad = log_prior(theta[: d + 2], scaled)
    prior += theta[d + 2] - additive_constant
    # The first part's continuous length scales: LogNormal(sqrt2 + log(d) / 2, sqrt3) as a
    # density of the values (Hvarfner et al. 2024, "Vanilla Bayesian optimization performs
    # great in high dimensions"): it keeps them from shrinking as d grows. Without it the
    # rotated Styblinski-Tang and Rosenbrock 8-D lost (bench/README.md, "Issue 15, sixth round").
    log_scales = theta[1: d + 1]
    deviation = log_scales - _SCALED_PRIOR_LOC - 0.5 * math.log(d)
    prior += np.where(scaled, 0.0, -0.5 * deviation**2 / _SCALED_PRIOR_SCALE**2 - log_scales).sum()
    scale_prior_grad = np.where(scaled, 0.0, -deviation / _SCALED_PRIOR_SCALE**2 - 1.0)
    prior_grad = np.concatenate([prior_grad, [1.0 - additive_constant], np.zeros(d)])
    prior_grad[1: d + 1] += scale_prior_grad
    return -(lml + prior), -(grad + prior_grad)


def negative_log_posterior(theta: np.ndarray, X: np.ndarray, y: np.ndarray, scaled: np.ndarray):
    """``negative_log_marginal_likelihood`` minus ``log_prior`` (its length-scale term on the
    ``scaled`` columns), with its gradient."""
    value, grad = negative_log_marginal_likelihood(theta, X, y)
    prior, prior_grad = log_prior(theta, scaled)
    return value - prior, grad - prior_grad


def log_prior(theta: np.ndarray, scaled: np.ndarray):
    """The log prior of the kernel hyperparameters (up to a constant) and its gradient in ``theta``.

    Optuna's GPSampler's terms: Gamma(2, 1) on the amplitude, Gamma(1.1, 30) on the noise
    variance and Gamma(2, 0.5) on each inverse squared length scale, taken as densities
    of the values at ``exp(theta)`` (no Jacobian); the last only on the ``scaled``
    columns. The amplitude's keeps it near the standardised targets' variance: without
    it a fit can explain an effect by a near-linear trend of amplitude 20 to 100 and
    length scale 20 whose variance is tiny. The length scales' keeps them below a few
    units; the gp sampler puts it on the columns of ints, stepped floats and categoricals,
    where a few tried levels were fitted as such a flat trend and log EI never tried a
    stepped float's interior again (the mixed problem), and not on continuous floats,
    where it cost sample efficiency on Hartmann6 and Ackley 6-D (bench/README.md,
    "Issue 15, second round (target 5, GP)").

    Args:
        theta: ``log([constant, *length_scales, noise])``.
        scaled: Boolean mask over the length scales that take their prior.

    Returns:
        ``(value, gradient)``.
    """
    log_constant, log_scales, log_noise = theta[0], theta[1:-1], theta[-1]
    inverse_squared = np.exp(-2.0 * log_scales)
    value = (np.where(scaled, -2.0 * log_scales - 0.5 * inverse_squared, 0.0).sum()
             + (log_constant - np.exp(log_constant))
             + (0.1 * log_noise - 30.0 * np.exp(log_noise)))
    grad = np.concatenate([[1.0 - np.exp(log_constant)], np.where(scaled, -2.0 + inverse_squared, 0.0),
                           [0.1 - 30.0 * np.exp(log_noise)]])
    return value, grad


def negative_log_marginal_likelihood(theta: np.ndarray, X: np.ndarray, y: np.ndarray):
    """Minus the log marginal likelihood of Constant x Matern 5/2 (ARD) + White, and its gradient.

    Args:
        theta: ``log([constant, *length_scales, noise])``, the layout of the kernel's
            ``theta`` in scikit-learn.
        X: Inputs (n, d).
        y: Targets (n,).

    Returns:
        ``(value, gradient)``, as scikit-learn's ``log_marginal_likelihood`` gives them
        with the sign flipped (the GP's ``alpha`` jitter included on the diagonal).
    """
    # The same arithmetic in the same order as the plain expressions, in place: a 400-point fit
    # (the advice's surrogate) held a dozen n x n temporaries at once, 15 MB, and now holds half.
    constant, noise, Z, r, e = _distances(theta, X)
    matern = np.multiply(r, _SQRT5)  # 1 + sqrt5 r + 5/3 r^2, then times e
    matern += 1
    squared = np.square(r)
    squared *= 5.0 / 3.0
    matern += squared
    del squared
    matern *= e
    K = matern * constant
    K.flat[:: len(X) + 1] += noise + _JITTER
    try:
        L = cholesky(K, lower=True, check_finite=False, overwrite_a=True)
    except np.linalg.LinAlgError:
        return np.inf, np.zeros_like(theta)
    del K
    alpha = cho_solve((L, True), y, check_finite=False)
    lml = _evidence(L, alpha, y)
    inverse = cho_solve((L, True), np.eye(len(X)), check_finite=False, overwrite_b=True)
    del L
    W = np.outer(alpha, alpha)
    W -= inverse
    del inverse
    # dK/dlog(l_d) = c * 5/3 (1 + sqrt5 r) e^(-sqrt5 r) * (x_id - x_jd)^2 / l_d^2.
    G = np.multiply(r, _SQRT5)
    del r
    G += 1
    G *= constant * 5.0 / 3.0
    G *= e
    del e
    G *= W
    row = G.sum(axis=1)
    ls_grad = (Z**2 * row[:, None]).sum(axis=0) - np.einsum("id,id->d", Z, G @ Z)
    del G
    trace = np.trace(W)
    W *= constant
    W *= matern
    grad = np.concatenate([[0.5 * np.sum(W)], ls_grad, [0.5 * noise * trace]])
    return -lml, -grad


def log_marginal_likelihood(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """The log marginal likelihood alone: minus ``negative_log_marginal_likelihood``'s value, in
    the same arithmetic and order (bit for bit), without the gradient, whose n x n temporaries
    would set the peak memory of a caller that only compares fits (the advice's surrogate).

    Args:
        theta, X, y: As for ``negative_log_marginal_likelihood``.

    Returns:
        The value, -inf when the kernel matrix is not positive definite.
    """
    constant, noise, _, r, e = _distances(theta, X)
    matern = np.multiply(r, _SQRT5)
    matern += 1
    squared = np.square(r, out=r)  # r is read no more: three n x n arrays at once, not four
    squared *= 5.0 / 3.0
    matern += squared
    del r, squared
    matern *= e
    del e
    K = np.multiply(matern, constant, out=matern)
    K.flat[:: len(X) + 1] += noise + _JITTER
    try:
        L = cholesky(K, lower=True, check_finite=False, overwrite_a=True)
    except np.linalg.LinAlgError:
        return -np.inf
    return float(_evidence(L, cho_solve((L, True), y, check_finite=False), y))


def _distances(theta, X):
    """The kernel's constant and noise from ``theta``, the inputs scaled by the length scales,
    their distances r and e^(-sqrt5 r)."""
    constant, length_scales, noise = np.exp(theta[0]), np.exp(theta[1:-1]), np.exp(theta[-1])
    Z = X / length_scales
    r = cdist(Z, Z, "sqeuclidean")
    r = np.sqrt(np.maximum(r, 0.0, out=r), out=r)
    e = np.multiply(r, -_SQRT5)
    e = np.exp(e, out=e)
    return constant, noise, Z, r, e


def _evidence(L, alpha, y):
    return -0.5 * y @ alpha - np.log(np.diag(L)).sum() - 0.5 * len(y) * math.log(2 * math.pi)


def log_h(z: np.ndarray) -> np.ndarray:
    """``log(z * Phi(z) + phi(z))``, accurate for any z (the scaled EI of Ament et al. 2023).

    Args:
        z: Array of standardised improvements.

    Returns:
        Array of the same shape.
    """
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    upper = z > -1.0
    zu = z[upper]
    out[upper] = np.log(zu * ndtr(zu) + np.exp(-0.5 * zu**2 - _LOG_SQRT_2PI))
    mid = (~upper) & (z > -1e4)
    zm = -z[mid]
    # phi(z) - |z| Phi(z) = phi(z) (1 - sqrt(pi/2) |z| erfcx(|z|/sqrt2)), without cancellation into exp.
    out[mid] = -0.5 * zm**2 - _LOG_SQRT_2PI + np.log1p(-math.sqrt(math.pi / 2) * zm * erfcx(zm / math.sqrt(2)))
    far = ~(upper | mid)
    zf = -z[far]
    out[far] = -0.5 * zf**2 - _LOG_SQRT_2PI - 2.0 * np.log(zf)
    return out


def log_ei(mean, var, best: float):
    """Log expected improvement below ``best`` (minimisation).

    Args:
        mean, var: Posterior mean and variance (arrays).
        best: The best observed (standardised) loss.

    Returns:
        Array of log EI.
    """
    sigma = np.sqrt(var)
    return np.log(sigma) + log_h((best - mean) / sigma)


def log_ei_with_grad(mean, var, dmean, dvar, best: float):
    """Log EI and its gradient at query points, from the posterior and its gradient.

    Args:
        mean, var: (m,) arrays.
        dmean, dvar: (m, d) arrays.
        best: The best (standardised) loss.

    Returns:
        ``(values, gradients)``: (m,) and (m, d) arrays.
    """
    sigma = np.sqrt(var)
    z = (best - mean) / sigma
    lh = log_h(z)
    # d log h / dz = Phi(z) / h(z), taken in logs to stay finite far in the tail.
    ratio = np.exp(log_ndtr(z) - lh)[:, None]
    dsigma = dvar / (2 * sigma[:, None])
    grad = dsigma / sigma[:, None] + ratio * (-dmean - z[:, None] * dsigma) / sigma[:, None]
    return np.log(sigma) + lh, grad
