"""Bayesian optimisation with a Gaussian process and log expected improvement."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import NamedTuple, Union

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_ndtr
from scipy.stats import qmc
from threadpoolctl import ThreadpoolController

from ..errors import SamplerError
from ..messages import show
from ..space import SearchSpace
from ..specs import int_option
from ._encoding import Encoder
from ._gp_model import Hyperparameters, Posterior, fit_hyperparameters, log_ei, log_ei_with_grad, log_evidence
from ._history import PENDING, scored_trials, single_objective
from ._targets import can_log, targets
from ._targets import standardise as _standardise
from .base import Directions, History, Sampler
from .qmc import QMCSampler

_N_CANDIDATES_LOG2 = 10  # 1,024 Sobol candidates
_N_LOCAL_PER_INCUMBENT = 128
_N_INCUMBENTS = 3
_LOCAL_SCALE = 0.05
_N_STARTS = 3
_LBFGS_MAXITER = 40
_SWEEPS = 3
# Up to this many combinations of the categoricals' choices, each sweep tries every one of
# them (not only one categorical at a time), and the best candidates of up to
# _N_COMBINATION_STARTS other combinations start local searches too.
_MAX_COMBINATIONS = 64
_N_COMBINATION_STARTS = 8
_MAX_POINTS = 400
# Past _REUSE_FROM scored trials the hyperparameters come from a fit on the history as it
# was at the last checkpoint (200, 210, 220, 231, ...: every 5%, at least 10 trials), kept
# in a small in-process memo; see ``_checkpoint_fit``.
_REUSE_FROM = 200
_MEMO_SIZE = 64
_WARPS = ("none", "log", "evidence")
# With warp "evidence" the log scale must give the losses a log density this much higher
# than the plain scale (prior odds of e^20 for the plain one). At even odds Levy 10-D went
# to the log scale on near ties (by at most 14 nats, seeds 0-9) and lost (median regret
# 4.08 against 2.62); Rosenbrock 8-D's margin passed 20 by its 35th to 70th trial on every
# seed (bench/README.md, "Issue 15, seventh round").
_LOG_MARGIN = 20.0


class GPSampler(Sampler):
    """Bayesian optimisation: a Gaussian process models the objective, log EI picks the next trial.

    The first ``n_startup_trials`` scored trials come from a scrambled Sobol sequence
    (as the qmc sampler). After that each ask:

    1. encodes scored trials in the unit cube (log parameters warped, ints and steps at
       their cell centres, categoricals one-hot, inactive parameters fixed; see
       ``_encoding``) and standardises their losses, those far above the upper
       quartile first pulled in on a log scale (``_targets.tame_tail``); complete trials count
       with their value, pruned ones with their last intermediate value, failed ones
       not at all;
       past 400 scored trials, the model sees the best 200 and the latest 200 others;
    2. fits a Gaussian process (scikit-learn; Constant x Matern 5/2 with one length
       scale per column, plus white noise; one capped L-BFGS-B fit of the marginal
       likelihood times a prior (Optuna's GPSampler's: on the amplitude, the noise and
       the length scales of ints, stepped floats and categoricals; see
       ``_gp_model.log_prior``) from unit-cube-sized starting values, on a random
       subset of 80 trials first when there are more, then polished on all); past 200 scored
       trials the hyperparameters come from that fit on the history as it was at the
       last checkpoint (200, then every 5%), memoised in-process (``_checkpoint_fit``);
    3. believes the posterior mean at running and waiting trials (kriging believer),
       so parallel workers are pushed apart;
    4. maximises log expected improvement: 1,024 Sobol candidates plus points near
       the three best trials are scored on their rounded values; from the best three,
       L-BFGS-B moves the continuous floats (analytic gradient), and up to three
       sweeps try the values of each int, stepped float and categorical (all of them
       up to 16, else the three neighbours each side and 16 spread evenly; one
       parameter at a time, keeping the best change), then L-BFGS-B again; the best
       point not already in the history wins. With two or more categoricals and at
       most 64 combinations of their choices, each sweep also tries every combination
       at once, and the best candidate of each of up to 8 more combinations starts a
       local search too (the best continuous values can move with the choices).

    With constraints (trials told with ``constraints``, feasible when all <= 0), one
    more Gaussian process models each constraint, and the acquisition becomes log EI
    over the best feasible trial plus the log probability that every constraint holds
    (Gardner et al. 2014); before any trial is feasible, that probability alone.
    Multi-objective studies are refused (use ``nsga2``).

    With ``additive``, the objective's kernel gains a first-order additive part: an
    amplitude times the mean over columns of a one-column Matern 5/2, each column with
    its own length scale, fitted with the rest (``_gp_model.Additive``). Where the
    objective is close to a sum of one-parameter terms, 100 trials pin each term down
    where a full 8-D or 10-D model cannot; where it is not, the fit gives the first part
    the weight. It beat separable TPE on Levy 10-D and both Styblinski-Tangs and lost on
    Rosenbrock 8-D (bench/README.md, "Issue 15, sixth round"); with ``warp="evidence"``
    it won there too, and ``auto`` sets both past six numbers ("seventh round").

    With ``warp``, the model fits the losses on a log scale (``"log"``:
    ``log(loss - min + 0.01 (median - min))`` before step 1's standardising), or at each
    ask fits both scales and keeps the one under which the losses are more probable
    (``"evidence"``: the marginal likelihood of the targets times the Jacobian of the
    scale; past 200 trials chosen at the checkpoint with the hyperparameters). A log scale
    suits losses that span orders of magnitude near the best trials (Rosenbrock's narrow
    valley); it flattens the wells of Levy and Styblinski-Tang, where the losses choose the
    plain scale (bench/README.md, "Issue 15, seventh round").

    Args:
        n_startup_trials: Scored trials before the model is used (default 10, at least 2).
        scramble_seed: Seed of the start-up Sobol scramble; ``make_sampler`` fills it
            with the study seed.
        additive: Add the first-order additive part to the objective's kernel (default false).
        warp: ``"none"`` (default), ``"log"`` or ``"evidence"``: the scale of the losses the
            objective's model fits.
    """

    name = "gp"

    title = "Gaussian process"
    describe = "Learns a smooth model of how the score depends on the parameters and tries the most promising point; best for small budgets."
    options = {"n_startup_trials": 10, "scramble_seed": 0, "additive": False, "warp": "none"}
    seed_option = "scramble_seed"

    def __init__(self, n_startup_trials: int = 10, scramble_seed: int = 0, additive: bool = False,
                 warp: str = "none"):
        self.n_startup_trials = n_startup_trials
        self.scramble_seed = scramble_seed
        self.additive = additive
        self.warp = warp

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        if not isinstance(options["additive"], bool):
            raise SamplerError(f"additive must be true or false, not {show(options['additive'])}")
        if options["warp"] not in _WARPS:
            raise SamplerError(f"warp must be one of {', '.join(_WARPS)}, not {show(options['warp'])}")
        return {
            "n_startup_trials": int_option(options, "n_startup_trials", 2, SamplerError),
            "scramble_seed": int_option(options, "scramble_seed", 0, SamplerError),
            "additive": options["additive"],
            "warp": options["warp"],
        }

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose params for one new trial; see ``Sampler.sample``.

        Raises:
            SamplerError: For a multi-objective study.
        """
        sign = single_objective(directions, self.name)
        encoder = Encoder(space)
        scored = scored_trials(trials, sign)
        raws, losses, constraints = _rows(encoder, _subset(scored))
        if len(losses) < self.n_startup_trials:
            return QMCSampler(self.scramble_seed).sample(space, trials, rng, directions)
        pending = [r for r in (encoder.raw(t.params) for t in trials if t.state in PENDING) if r is not None]
        # The matrices are small (trials x trials): one BLAS thread is several times faster
        # than two fighting over a busy machine, and leaves the other core to the objective.
        with _one_blas_thread():
            model = _Model(self.additive, self.warp)
            fitted = _checkpoint_fit(encoder, space, scored, model) if len(scored) > _REUSE_FROM else None
            return _suggest(encoder, raws, losses, pending, rng, constraints, fitted, model)


_CONTROLLER = []


def _one_blas_thread():
    # threadpoolctl's ``threadpool_limits`` looks up the loaded libraries on every call
    # (about 2 ms); a controller made once looks them up once.
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


def _rows(encoder: Encoder, scored: list) -> tuple:
    """Raw vectors, losses and the constraint matrix of the scored trials the space can encode."""
    raws, losses, constraints = [], [], []
    for trial, loss in scored:
        raw = encoder.raw(trial.params)
        if raw is not None:
            raws.append(raw)
            losses.append(loss)
            constraints.append(trial.constraints)
    return np.array(raws), np.array(losses), _constraint_matrix(constraints)


class _Model(NamedTuple):
    """The objective's model as the options set it: the kernel's additive part and the losses' scale."""

    additive: bool = False
    warp: str = "none"


class _Fitted(NamedTuple):
    """Hyperparameters fitted at a checkpoint: the objective's (None: fit afresh) and the
    constraints' (None when the checkpoint had no constraint model); and whether the
    objective's were fitted to the losses on a log scale."""

    objective: Union[Hyperparameters, None]
    constraints: Union[list, None]
    log: bool = False


class _Memo:
    """A small least-recently-used map, safe to share between threads."""

    def __init__(self, size: int):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key, value):
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_FITS = _Memo(_MEMO_SIZE)


def _checkpoint(n: int) -> int:
    """The last checkpoint at or below ``n`` scored trials: 200, then every 5% (at least 10)."""
    point = _REUSE_FROM
    while point + max(10, point // 20) <= n:
        point += max(10, point // 20)
    return point


def _checkpoint_fit(encoder: Encoder, space: SearchSpace, scored: list, model: _Model = _Model()) -> Union[_Fitted, None]:
    """The hyperparameters fitted on the first ``_checkpoint(len(scored))`` scored trials.

    Fitting the kernel is most of an ask's cost past a few hundred trials, and its values
    barely move as the history grows by a few percent; so the model of every ask between
    two checkpoints uses the fit of the history as it was at the earlier one (conditioned,
    as ever, on all the current data). That fit is a function of those trials alone (its
    random subsets are seeded by the checkpoint), so every ask stays reproducible from
    the history; the memo, keyed by a digest of the space and of those trials' params,
    losses and constraints, only saves recomputing it, in this process.

    Returns:
        The checkpoint's hyperparameters, or None when too few of its trials encode.
    """
    point = _checkpoint(len(scored))
    prefix = scored[:point]
    key = (_digest(space, prefix), model)
    fitted = _FITS.get(key)
    if fitted is None:
        fitted = _fit_at(encoder, prefix, np.random.default_rng(point), model)
        _FITS.put(key, fitted)
    return fitted if fitted.objective is not None else None


def _digest(space: SearchSpace, scored: list) -> bytes:
    parts = [json.dumps(space.to_json(), sort_keys=True, default=repr)]
    parts.extend(f"{trial.params!r}|{loss!r}|{trial.constraints!r}" for trial, loss in scored)
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).digest()


def _fit_at(encoder: Encoder, scored: list, rng, model: _Model = _Model()) -> _Fitted:
    raws, losses, constraints = _rows(encoder, _subset(scored))
    if len(losses) < 2:
        return _Fitted(None, None)
    X = encoder.encode(raws)
    # Equal losses give the starting values, not a fit: fit afresh once they differ.
    log, objective = False, None
    if np.ptp(_standardise(losses)) > 0:
        log, _, objective = _objective_fit(encoder, X, losses, rng, model)
    fits = None
    if _has_constraint_model(constraints):
        X, targets = _constraint_targets(encoder, raws, constraints)
        fits = [fit_hyperparameters(X, target, rng) for target, _ in targets]
    return _Fitted(objective, fits, log)


def _objective_fit(encoder: Encoder, X: np.ndarray, losses: np.ndarray, rng, model: _Model) -> tuple:
    """``(log, y, hyperparameters)``: the objective's targets and fit on the scale ``model.warp`` sets.

    With ``"evidence"`` both scales are fitted and the one whose fit gives the losses the
    higher log density wins: the log marginal likelihood of its targets plus the log
    Jacobian from losses to targets (``_targets.targets``), the log scale's less
    ``_LOG_MARGIN``; the plain scale on a tie, and whenever the log scale is undefined
    (``can_log``).
    """
    scales = {"none": (False,), "log": (True,), "evidence": (False, True)}[model.warp]
    scales = tuple(log for log in scales if not log or can_log(losses)) or (False,)
    best = None
    for log in scales:
        y, log_jacobian = targets(losses, log)
        hyperparameters = fit_hyperparameters(X, y, rng, prior=encoder.discrete_columns(), additive=model.additive)
        score = (log_evidence(X, y, hyperparameters) + log_jacobian - _LOG_MARGIN * log) if len(scales) > 1 else 0.0
        if best is None or score > best[0]:
            best = (score, log, y, hyperparameters)
    return best[1:]


def _subset(scored: list) -> list:
    """At most ``_MAX_POINTS`` scored trials: the best half and the most recent of the rest.

    A GP costs cubic time in its points; past a few hundred, the best trials (where
    the next improvement is sought) and the latest ones (where the search is now)
    tell it nearly all it can use. Chosen before encoding, which costs more per trial
    than the choice.

    Args:
        scored: ``(trial, loss)`` pairs in history order.

    Returns:
        The kept pairs, in history order.
    """
    if len(scored) <= _MAX_POINTS:
        return scored
    return [scored[i] for i in subset_indices(np.array([loss for _, loss in scored], dtype=float))]


def subset_indices(losses: np.ndarray) -> np.ndarray:
    """The positions ``_subset`` keeps of trials with these losses (history order), ascending:
    every one up to ``_MAX_POINTS``, else the best half and the most recent of the rest. From
    an array, so that a caller with 60,000 losses builds no Python object per trial."""
    if len(losses) <= _MAX_POINTS:
        return np.arange(len(losses))
    best = np.argsort(losses, kind="stable")[: _MAX_POINTS // 2]
    rest = np.setdiff1d(np.arange(len(losses)), best)[-(_MAX_POINTS - len(best)):]
    return np.sort(np.concatenate([best, rest]))


def _constraint_matrix(constraints: list) -> Union[np.ndarray, None]:
    """The constraint values as an (n, k) array, NaN rows for trials that gave none; None
    when no trial gave any. Trials with another number of constraints count as giving none."""
    given = [c for c in constraints if c is not None]
    if not given:
        return None
    k = len(given[-1])
    return np.array([c if c is not None and len(c) == k else [np.nan] * k for c in constraints], dtype=float)


def _has_constraint_model(constraints: Union[np.ndarray, None]) -> bool:
    return constraints is not None and (~np.isnan(constraints).any(axis=1)).sum() >= 2


def _constraint_targets(encoder: Encoder, raws: np.ndarray, constraints: np.ndarray) -> tuple:
    """The encoded trials that gave constraints, and per constraint its standardised values
    with the standardised threshold that means "holds"."""
    known = ~np.isnan(constraints).any(axis=1)
    targets = []
    for column in constraints[known].T:
        scale = np.abs(column).max() or 1.0
        mean, std = (column / scale).mean(), (column / scale).std() or 1.0
        targets.append(((column / scale - mean) / std, -mean / std))
    return encoder.encode(raws[known]), targets


def _feasibility(encoder: Encoder, raws: np.ndarray, constraints: np.ndarray, rng, fitted=None) -> list:
    """One posterior per constraint, each with the standardised threshold that means "holds";
    hyperparameters from the checkpoint's ``fitted`` when it has one per constraint, else fitted here."""
    X, targets = _constraint_targets(encoder, raws, constraints)
    fits = fitted.constraints if fitted is not None else None
    if fits is None or len(fits) != len(targets):
        fits = [fit_hyperparameters(X, target, rng) for target, _ in targets]
    return [(Posterior(X, target, *fit, inverse_gradient=fitted is None), threshold)
            for (target, threshold), fit in zip(targets, fits)]


def _suggest(encoder: Encoder, raws: np.ndarray, losses: np.ndarray, pending: list, rng,
             constraints: Union[np.ndarray, None] = None, fitted: Union[_Fitted, None] = None,
             model: _Model = _Model()) -> dict:
    X = encoder.encode(raws)
    # Up to _REUSE_FROM trials every step is as it was before issue 15, explicit inverse
    # included, so that existing studies keep their exact trials; see ``Posterior``.
    short = fitted is None
    if fitted:
        y, hyperparameters = targets(losses, fitted.log).y, fitted.objective
    else:
        _, y, hyperparameters = _objective_fit(encoder, X, losses, rng, model)
    # The additive kernel and the warps are new: they take the Cholesky path (the better
    # numerics) at every size.
    plain = not model.additive and model.warp == "none"
    posterior = Posterior(X, y, *hyperparameters, inverse_gradient=short and plain)
    feasibility, ranking = [], y
    if _has_constraint_model(constraints):
        feasibility = _feasibility(encoder, raws, constraints, rng, fitted)
        infeasible = (np.nan_to_num(constraints, nan=0.0) > 0).any(axis=1)
        # Incumbents and the EI threshold come from feasible trials; with none, EI is left out.
        ranking = np.where(infeasible, np.inf, y)
    best = float(ranking.min())
    if pending:
        fantasies = encoder.encode(np.array(pending))
        # Believed values count as observations, incumbent included: otherwise a pending
        # point predicted to improve keeps its improvement and draws the next ask onto it.
        if np.isfinite(best):
            best = min(best, float(posterior.predict(fantasies)[0].min()))
        posterior = posterior.with_fantasies(fantasies)
    acquisition = _Acquisition(encoder, posterior, best, feasibility)
    candidates = _candidates(encoder, raws[np.lexsort((y, ranking))[:_N_INCUMBENTS]], rng)
    scores = acquisition.batch(candidates)
    finals = acquisition.local_search(candidates[acquisition.starts(candidates, scores)])
    pool = np.vstack([finals, candidates])
    encoded = encoder.encode(pool)
    taken = {_key(row) for row in encoder.encode(np.vstack([raws] + ([np.array(pending)] if pending else [])))}
    if short:
        final_scores = acquisition.encoded(encoded)
    else:
        # Past _REUSE_FROM trials the candidates keep their scores from above and only the
        # moved points are scored. (Short histories rescore all in one batch, as they always
        # did: scores from batches of other sizes differ in the last bits, which would
        # change near-ties and with them the exact trials of existing studies.)
        final_scores = np.concatenate([acquisition.encoded(encoded[: len(finals)]), scores])
    order = np.argsort(-final_scores, kind="stable")
    for i in order:
        if _key(encoded[i]) not in taken:
            return encoder.decode(pool[i])
    # Every candidate is a trial already (a small discrete space): repeat the best one.
    return encoder.decode(pool[order[0]])


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
    """Log EI over raw points, always evaluated at the point's rounded (encoded) values;
    plus the log probability that each constraint holds, when there are constraints
    (``best`` is infinite while no trial is feasible: then that probability alone)."""

    def __init__(self, encoder: Encoder, posterior: Posterior, best: float, feasibility: list = ()):
        self.encoder, self.posterior, self.best = encoder, posterior, best
        self.feasibility = feasibility
        combinations = encoder.combinations(_MAX_COMBINATIONS)
        # With one categorical the one-at-a-time sweep already tries every combination.
        self.combinations = combinations if len(encoder.categorical) > 1 else combinations[:0]

    def starts(self, candidates: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Indices of the candidates to start local searches from: the ``_N_STARTS`` best,
        then, when the combinations of the categoricals are enumerated, the best candidate
        of each combination those do not take, best first, up to ``_N_COMBINATION_STARTS``
        more (a continuous optimum can move with the categoricals: on the mixed problem
        the best learning rate depends on the optimiser)."""
        order = np.argsort(-scores, kind="stable")
        chosen = list(order[:_N_STARTS])
        if len(self.combinations):
            combination = self.encoder.combination_index(candidates)
            seen = set(combination[chosen].tolist())
            for i in order:
                if len(chosen) >= _N_STARTS + _N_COMBINATION_STARTS:
                    break
                if combination[i] not in seen:
                    seen.add(int(combination[i]))
                    chosen.append(i)
        return np.array(chosen)

    def batch(self, raws: np.ndarray) -> np.ndarray:
        return self.encoded(self.encoder.encode(raws))

    def encoded(self, X: np.ndarray) -> np.ndarray:
        score = log_ei(*self.posterior.predict(X), self.best) if np.isfinite(self.best) else np.zeros(len(X))
        for model, threshold in self.feasibility:
            mean, var = model.predict(X)
            score = score + log_ndtr((threshold - mean) / np.sqrt(var))
        return score

    def _with_grad(self, X: np.ndarray) -> tuple:
        if np.isfinite(self.best):
            values, grads = log_ei_with_grad(*self.posterior.predict_with_grad(X), self.best)
        else:
            values, grads = np.zeros(len(X)), np.zeros(X.shape)
        for model, threshold in self.feasibility:
            mean, var, dmean, dvar = model.predict_with_grad(X)
            sigma = np.sqrt(var)
            u = (threshold - mean) / sigma
            # d log Phi(u) / du = phi(u) / Phi(u), in logs to stay finite far in the tail.
            ratio = np.exp(-0.5 * u**2 - 0.5 * np.log(2 * np.pi) - log_ndtr(u))[:, None]
            dsigma = dvar / (2 * sigma[:, None])
            values = values + log_ndtr(u)
            grads = grads + ratio * (-dmean - u[:, None] * dsigma) / sigma[:, None]
        return values, grads

    def local_search(self, starts: np.ndarray) -> np.ndarray:
        """Improve several raw points: continuous moves, a discrete sweep, continuous again."""
        moved = self._continuous_step(starts.copy())
        swept = np.array([self._discrete_sweep(raw) for raw in moved])
        return self._continuous_step(swept) if not np.array_equal(swept, moved) else moved

    def _continuous_step(self, raws: np.ndarray) -> np.ndarray:
        """L-BFGS-B on the active continuous floats of each point, one point at a time.

        (Optimising all points as one summed problem saves scipy overhead but converges
        worse: log EI differs by orders of magnitude between points, and the largest
        one sets the line search and the stopping rule for all.)
        """
        return np.array([self._continuous_step_one(raw) for raw in raws])

    def _continuous_step_one(self, raw: np.ndarray) -> np.ndarray:
        active = self.encoder.active(raw[None, :])[0]
        dims = [i for i in self.encoder.continuous if active[i]]
        if not dims:
            return raw
        cols = [self.encoder.column(i) for i in dims]
        base = self.encoder.encode(raw)

        def negative(z):
            x = base.copy()
            x[0, cols] = z
            values, grads = self._with_grad(x)
            return -values[0], -grads[0, cols]

        start = raw[dims]
        result = minimize(negative, start, jac=True, method="L-BFGS-B", bounds=[(0.0, 1.0)] * len(dims),
                          options={"maxiter": _LBFGS_MAXITER})
        if not np.all(np.isfinite(result.x)) or result.fun > negative(start)[0]:
            return raw
        moved = raw.copy()
        moved[dims] = result.x
        return moved

    def _discrete_sweep(self, raw: np.ndarray) -> np.ndarray:
        """Try the levels of each discrete parameter, one parameter at a time, in one batch; keep the best."""
        for _ in range(_SWEEPS):
            active = self.encoder.active(raw[None, :])[0]
            variants = [raw[None, :]]
            for i in self.encoder.discrete:
                if active[i]:
                    levels = self.encoder.levels(i, raw[i])
                    block = np.repeat(raw[None, :], len(levels), axis=0)
                    block[:, i] = levels
                    variants.append(block)
            if len(self.combinations):
                # Every combination of the categoricals at once: a joint change that no
                # single one improves on alone is found too.
                block = np.repeat(raw[None, :], len(self.combinations), axis=0)
                block[:, self.encoder.categorical] = self.combinations
                variants.append(block)
            variants = np.vstack(variants)
            best = int(np.argmax(self.batch(variants)))
            if best == 0:
                break
            raw = variants[best]
        return raw
