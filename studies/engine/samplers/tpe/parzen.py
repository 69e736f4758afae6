"""The Parzen estimator behind TPE: a weighted mixture of product kernels, arrays only.

Numeric dimensions live in the unit interval (log-warped where the parameter is log,
cell centres where it is discrete) and take Gaussian kernels truncated to [0, 1];
categorical dimensions hold choice indices and take Aitchison-Aitken kernels (or, with
``optuna_kernels``, Optuna's: the prior's weight shared over the choices). Every
mixture also holds one prior component (a wide Gaussian at the centre, uniform over
the choices), so an estimator built from few or no observations still covers the space.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import numpy as np
from scipy.special import logsumexp, ndtr, ndtri

_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)
_PRIOR_SIGMA = 1.0
# Scott's rule shrinks kernels as n^(-1/(d+4)). Its normal-reference constant (1.06)
# suits density estimation; TPE needs a sharper l(x), and half of it did best on the
# problems in bench/ (bench/README.md).
_SCOTT = 0.5
# The "magic clip" of Bergstra's TPE keeps kernels from collapsing onto a tight cluster of
# good points. Its floor of 1 / min(100, n + 1) of the range stalled the search near an
# optimum on bench/ problems; a third of it keeps the guard and lets TPE refine.
_MAX_CLIP_DIVISOR = 100
_CLIP_SHRINK = 3
# With ``optuna_kernels``, ints and stepped floats keep Optuna's whole clip, 1 / min(100,
# n + 2) (n observations, the prior and one): below a cell there is nothing to refine, and
# a kernel a few cells wide keeps drawing the values already tried. On `enet_diabetes`,
# whose 63-valued log int scores like noise from one value to the next, the third left our
# TPE trying half as many values as Optuna's (bench/README.md, "Issue 15, eighth round
# (target 5: enet_diabetes)").


@dataclass(frozen=True)
class Observations:
    """The points one estimator is built from.

    Args:
        numeric: Shape (n, d_numeric), values in [0, 1].
        categorical: Shape (n, d_categorical), choice indices.
        n_choices: Choices per categorical dimension, shape (d_categorical,).
        weights: Non-negative weight per point, shape (n,).
        fixed_bandwidth: Optional shape (n, d_numeric): rows with finite values keep
            those kernel widths and are left out of the bandwidth rule (TPE gives
            pending trials the narrow kernels of the good estimator this way).
        discrete: Optional shape (d_numeric,): which numeric dimensions are ints or
            stepped floats, whose kernels then keep Optuna's whole magic clip; by
            default every dimension keeps a third of it.
    """

    numeric: np.ndarray
    categorical: np.ndarray
    n_choices: np.ndarray
    weights: np.ndarray
    fixed_bandwidth: Union[np.ndarray, None] = None
    discrete: Union[np.ndarray, None] = None


class ParzenEstimator:
    """A mixture with one kernel per observation plus the prior component.

    Args:
        obs: The observations.
        prior_weight: Weight of the prior component relative to one observation.
        shared_prior_choices: Categorical kernels share the prior's weight over the
            choices (Optuna's) instead of Aitchison-Aitken's (default false).

    Example:
        >>> no_choices = np.zeros((2, 0), int)
        >>> obs = Observations(np.array([[0.2], [0.3]]), no_choices, np.zeros(0, int), np.ones(2))
        >>> near, far = ParzenEstimator(obs, prior_weight=1.0).log_pdf(np.array([[0.25], [0.9]]), no_choices)
        >>> bool(near > far)
        True
    """

    def __init__(self, obs: Observations, prior_weight: float, shared_prior_choices: bool = False):
        n, d_num = obs.numeric.shape
        d = d_num + obs.categorical.shape[1]
        weights = np.append(np.asarray(obs.weights, float), prior_weight)
        self.log_weights = np.log(weights / weights.sum())
        self.mus = np.vstack([obs.numeric, np.full((1, d_num), 0.5)])
        fixed = obs.fixed_bandwidth if obs.fixed_bandwidth is not None else np.full((n, d_num), np.nan)
        ruled = ~np.isfinite(fixed).any(axis=1)
        discrete = np.zeros(d_num, bool) if obs.discrete is None else np.asarray(obs.discrete, bool)
        self.bandwidth = _numeric_bandwidth(obs.numeric[ruled], np.asarray(obs.weights, float)[ruled], d, discrete)
        sigmas = np.where(np.isfinite(fixed), fixed, self.bandwidth[None])
        self.sigmas = np.vstack([sigmas, np.full((1, d_num), _PRIOR_SIGMA)])
        self.log_mass = np.log(np.maximum(ndtr((1 - self.mus) / self.sigmas) - ndtr(-self.mus / self.sigmas), 1e-300))
        self.log_probs = [
            _shared_prior_log_probs(obs.categorical[:, j], int(k), prior_weight) if shared_prior_choices
            else _categorical_log_probs(obs.categorical[:, j], int(k), n, d)
            for j, k in enumerate(obs.n_choices)
        ]

    def sample(self, rng: np.random.Generator, size: int, separable: bool = False) -> tuple:
        """Draw points from the mixture.

        Args:
            rng: The generator.
            size: How many points.
            separable: Draw each dimension from its own component (the product of the
                mixture's marginals), so one point mixes the dimensions of several
                observations, rather than all of its dimensions from one component.

        Returns:
            ``(numeric, categorical)`` of shapes (size, d_numeric) and (size, d_categorical).
        """
        d_num, d_cat = self.mus.shape[1], len(self.log_probs)
        shape = (size, d_num + d_cat) if separable else size
        drawn = rng.choice(len(self.log_weights), size=shape, p=np.exp(self.log_weights))
        columns = drawn if separable else np.repeat(drawn[:, None], d_num + d_cat, axis=1)
        mu = self.mus[columns[:, :d_num], np.arange(d_num)]
        sigma = self.sigmas[columns[:, :d_num], np.arange(d_num)]
        low, high = ndtr(-mu / sigma), ndtr((1 - mu) / sigma)
        u = low + (high - low) * rng.random(mu.shape)
        numeric = np.clip(mu + sigma * ndtri(np.clip(u, 1e-12, 1 - 1e-12)), 0.0, 1.0)
        categorical = np.empty((size, d_cat), dtype=int)
        for j, log_probs in enumerate(self.log_probs):
            cumulative = np.cumsum(np.exp(log_probs[columns[:, d_num + j]]), axis=1)
            draws = rng.random((size, 1)) * cumulative[:, -1:]
            categorical[:, j] = np.minimum((cumulative < draws).sum(axis=1), log_probs.shape[1] - 1)
        return numeric, categorical

    def log_pdf(self, numeric: np.ndarray, categorical: np.ndarray) -> np.ndarray:
        """The log density of the mixture at each point.

        Args:
            numeric: Shape (m, d_numeric).
            categorical: Shape (m, d_categorical), choice indices.

        Returns:
            Shape (m,).
        """
        log_kernel = self._numeric_log_kernels(numeric).sum(axis=2)
        for j, log_probs in enumerate(self.log_probs):
            log_kernel = log_kernel + log_probs[:, categorical[:, j]].T
        return logsumexp(log_kernel + self.log_weights[None], axis=1)

    def marginal_log_pdf(self, numeric: np.ndarray, categorical: np.ndarray) -> np.ndarray:
        """The log density of each dimension's marginal at each point.

        Args:
            numeric: Shape (m, d_numeric).
            categorical: Shape (m, d_categorical), choice indices.

        Returns:
            Shape (m, d_numeric + d_categorical).
        """
        log_kernels = self._log_kernels(numeric, categorical)
        return logsumexp(log_kernels + self.log_weights[None, :, None], axis=1)

    def _log_kernels(self, numeric: np.ndarray, categorical: np.ndarray) -> np.ndarray:
        """Shape (m, components, d_numeric + d_categorical): each kernel's log density per dimension."""
        numeric_part = self._numeric_log_kernels(numeric)
        categorical_part = [log_probs[:, categorical[:, j]].T[:, :, None] for j, log_probs in enumerate(self.log_probs)]
        return np.concatenate([numeric_part, *categorical_part], axis=2)

    def _numeric_log_kernels(self, numeric: np.ndarray) -> np.ndarray:
        """Shape (m, components, d_numeric): each truncated Gaussian's log density per dimension."""
        z = (numeric[:, None, :] - self.mus[None]) / self.sigmas[None]
        return -0.5 * z * z - np.log(self.sigmas) - _LOG_SQRT_2PI - self.log_mass


def _numeric_bandwidth(points: np.ndarray, weights: np.ndarray, d: int, discrete: np.ndarray) -> np.ndarray:
    """Scott's rule on the weighted spread of each dimension, with the magic clip below it
    (a third of it, or Optuna's whole clip on the ``discrete`` dimensions)."""
    n = len(points)
    continuous_floor = 1.0 / min(_MAX_CLIP_DIVISOR, _CLIP_SHRINK * (n + 1))
    floor = np.where(discrete, 1.0 / min(_MAX_CLIP_DIVISOR, n + 2), continuous_floor)
    if n < 2:
        return np.maximum(floor, 0.5 / max(n, 1))
    w = weights / weights.sum()
    mean = w @ points
    std = np.sqrt(np.maximum(w @ (points - mean) ** 2, 0.0))
    return np.clip(_SCOTT * std * n ** (-1.0 / (d + 4)), floor, 1.0)


def _categorical_log_probs(indices: np.ndarray, n_choices: int, n: int, d: int) -> np.ndarray:
    """Aitchison-Aitken kernels, one row per observation, then a uniform row for the prior.

    Each kernel keeps 1 - b of its mass on the observed choice and spreads b evenly over
    the others; b shrinks with n at the rate Scott's rule shrinks numeric kernels.
    """
    if n_choices < 2:
        return np.zeros((n + 1, max(n_choices, 1)))
    spread = (n_choices - 1) / n_choices * 0.5 * max(n, 1) ** (-1.0 / (d + 4))
    probs = np.full((n + 1, n_choices), spread / (n_choices - 1))
    probs[np.arange(n), indices] = 1.0 - spread
    probs[n] = 1.0 / n_choices
    return np.log(probs)


def _shared_prior_log_probs(indices: np.ndarray, n_choices: int, prior_weight: float) -> np.ndarray:
    """Optuna's categorical kernels, one row per observation, then a uniform row for the prior.

    Each kernel puts weight 1 on the observed choice and ``prior_weight / (n + 1)`` on
    every choice, normalised: its spread shrinks as 1/n, where Aitchison-Aitken's shrinks
    at Scott's numeric rate, n^(-1/(d+4)), and still moves a fifth to a quarter of each
    kernel's mass off the observed choice at 100 trials of a 7-parameter space.
    """
    n = len(indices)
    if n_choices < 2:
        return np.zeros((n + 1, max(n_choices, 1)))
    probs = np.full((n + 1, n_choices), prior_weight / (n + 1))
    probs[np.arange(n), indices] += 1.0
    probs[n] = 1.0
    return np.log(probs / probs.sum(axis=1, keepdims=True))
