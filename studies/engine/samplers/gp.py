"""Bayesian optimisation with a Gaussian process and log expected improvement."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.optimize import minimize
from scipy.stats import qmc
from threadpoolctl import threadpool_limits

from ..errors import SamplerError
from ..space import SearchSpace
from ..specs import int_option
from ..trial import TrialRecord
from ._encoding import Encoder
from ._gp_model import Posterior, fit_posterior, log_ei, log_ei_with_grad
from ._history import PENDING, scored_trials, single_objective
from .base import Sampler
from .qmc import QMCSampler

_N_CANDIDATES_LOG2 = 10  # 1,024 Sobol candidates
_N_LOCAL_PER_INCUMBENT = 128
_N_INCUMBENTS = 3
_LOCAL_SCALE = 0.05
_N_STARTS = 3
_LBFGS_MAXITER = 40
_SWEEPS = 3


class GPSampler(Sampler):
    """Bayesian optimisation: a Gaussian process models the objective, log EI picks the next trial.

    The first ``n_startup_trials`` scored trials come from a scrambled Sobol sequence
    (as the qmc sampler). After that each ask:

    1. encodes scored trials in the unit cube (log parameters warped, ints and steps at
       their cell centres, categoricals one-hot, inactive parameters fixed; see
       ``_encoding``) and standardises their losses; complete trials count with their
       value, pruned ones with their last intermediate value, failed ones not at all;
    2. fits a Gaussian process (scikit-learn; Constant x Matern 5/2 with one length
       scale per column, plus white noise; one capped L-BFGS-B fit of the marginal
       likelihood from unit-cube-sized starting values, on a random subset of 80
       trials first when there are more, then polished on all);
    3. believes the posterior mean at running and waiting trials (kriging believer),
       so parallel workers are pushed apart;
    4. maximises log expected improvement: 1,024 Sobol candidates plus points near
       the three best trials are scored on their rounded values; from the best three,
       L-BFGS-B moves the continuous floats (analytic gradient), and up to three
       sweeps try every level of each int, stepped float and categorical (one at a
       time, keeping the best change), then L-BFGS-B again; the best point not
       already in the history wins.

    Multi-objective studies are refused (use ``nsga2``).

    Args:
        n_startup_trials: Scored trials before the model is used (default 10, at least 2).
        scramble_seed: Seed of the start-up Sobol scramble; ``make_sampler`` fills it
            with the study seed.
    """

    name = "gp"
    describe = "Learns a smooth model of how the score depends on the parameters and tries the most promising point; best for small budgets."
    options = {"n_startup_trials": 10, "scramble_seed": 0}
    seed_option = "scramble_seed"

    def __init__(self, n_startup_trials: int = 10, scramble_seed: int = 0):
        self.n_startup_trials = n_startup_trials
        self.scramble_seed = scramble_seed

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        return {
            "n_startup_trials": int_option(options, "n_startup_trials", 2, SamplerError),
            "scramble_seed": int_option(options, "scramble_seed", 0, SamplerError),
        }

    def sample(
        self,
        space: SearchSpace,
        trials: Sequence[TrialRecord],
        rng: np.random.Generator,
        directions: Sequence[str],
    ) -> dict:
        """Propose params for one new trial; see ``Sampler.sample``.

        Raises:
            SamplerError: For a multi-objective study.
        """
        sign = single_objective(directions, self.name)
        encoder = Encoder(space)
        raws, losses = [], []
        for trial, loss in scored_trials(trials, sign):
            raw = encoder.raw(trial.params)
            if raw is not None:
                raws.append(raw)
                losses.append(loss)
        if len(losses) < self.n_startup_trials:
            return QMCSampler(self.scramble_seed).sample(space, trials, rng, directions)
        pending = [r for r in (encoder.raw(t.params) for t in trials if t.state in PENDING) if r is not None]
        # The matrices are small (trials x trials): one BLAS thread is several times faster
        # than two fighting over a busy machine, and leaves the other core to the objective.
        with threadpool_limits(limits=1, user_api="blas"):
            return _suggest(encoder, np.array(raws), np.array(losses), pending, rng)


def _suggest(encoder: Encoder, raws: np.ndarray, losses: np.ndarray, pending: list, rng) -> dict:
    y = (losses - losses.mean()) / (losses.std() or 1.0)
    posterior = fit_posterior(encoder.encode(raws), y, rng)
    if pending:
        posterior = posterior.with_fantasies(encoder.encode(np.array(pending)))
    acquisition = _Acquisition(encoder, posterior, float(y.min()))
    candidates = _candidates(encoder, raws[np.argsort(y)[:_N_INCUMBENTS]], rng)
    scores = acquisition.batch(candidates)
    finals = [acquisition.local_search(candidates[i]) for i in np.argsort(-scores)[:_N_STARTS]]
    pool = np.vstack([finals, candidates])
    taken = {_key(row) for row in encoder.encode(np.vstack([raws] + ([np.array(pending)] if pending else [])))}
    for i in np.argsort(-acquisition.batch(pool), kind="stable"):
        if _key(encoder.encode(pool[i])[0]) not in taken:
            return encoder.decode(pool[i])
    return encoder.decode(pool[0])


def _candidates(encoder: Encoder, incumbents: np.ndarray, rng) -> np.ndarray:
    sobol = qmc.Sobol(encoder.n_raw, scramble=True, rng=rng).random_base2(_N_CANDIDATES_LOG2)
    local = np.repeat(incumbents, _N_LOCAL_PER_INCUMBENT, axis=0)
    local = local + rng.normal(0.0, _LOCAL_SCALE, local.shape)
    # Now and then a categorical or discrete coordinate jumps anywhere, not just nearby.
    jump = rng.random(local.shape) < 1.0 / max(encoder.n_raw, 2)
    jump[:, encoder.continuous] = False
    local[jump] = rng.random(int(jump.sum()))
    return np.clip(np.vstack([sobol, local]), 0.0, 1.0)


def _key(row: np.ndarray) -> bytes:
    return np.round(row, 9).tobytes()


class _Acquisition:
    """Log EI over raw points, always evaluated at the point's rounded (encoded) values."""

    def __init__(self, encoder: Encoder, posterior: Posterior, best: float):
        self.encoder, self.posterior, self.best = encoder, posterior, best

    def batch(self, raws: np.ndarray) -> np.ndarray:
        mean, var = self.posterior.predict(self.encoder.encode(raws))
        return log_ei(mean, var, self.best)

    def local_search(self, raw: np.ndarray) -> np.ndarray:
        raw = self._continuous_step(raw.copy())
        swept = self._discrete_sweep(raw)
        return self._continuous_step(swept) if not np.array_equal(swept, raw) else raw

    def _continuous_step(self, raw: np.ndarray) -> np.ndarray:
        active = self.encoder.active(raw[None, :])[0]
        dims = [i for i in self.encoder.continuous if active[i]]
        if not dims:
            return raw
        cols = [self.encoder.column(i) for i in dims]
        base = self.encoder.encode(raw)[0]

        def negative(z):
            x = base.copy()
            x[cols] = z
            value, grad = log_ei_with_grad(*self.posterior.predict_with_grad(x), self.best)
            return -value, -grad[cols]

        start = raw[dims]
        result = minimize(negative, start, jac=True, method="L-BFGS-B", bounds=[(0.0, 1.0)] * len(dims),
                          options={"maxiter": _LBFGS_MAXITER})
        if np.all(np.isfinite(result.x)) and result.fun <= negative(start)[0]:
            raw[dims] = result.x
        return raw

    def _discrete_sweep(self, raw: np.ndarray) -> np.ndarray:
        """Try every level of each discrete parameter, one at a time, in one batch; keep the best."""
        for _ in range(_SWEEPS):
            active = self.encoder.active(raw[None, :])[0]
            variants = [raw[None, :]]
            for i in self.encoder.discrete:
                if active[i]:
                    levels = self.encoder.levels(i, raw[i])
                    block = np.repeat(raw[None, :], len(levels), axis=0)
                    block[:, i] = levels
                    variants.append(block)
            variants = np.vstack(variants)
            best = int(np.argmax(self.batch(variants)))
            if best == 0:
                break
            raw = variants[best]
        return raw
