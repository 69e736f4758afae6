"""The TPE sampler: start-up from Sobol points, then one multivariate TPE step per group."""

from __future__ import annotations

import numbers

import numpy as np

from ...errors import SamplerError
from ...messages import show
from ...space import SearchSpace
from ...specs import int_option
from ..base import Directions, History, Sampler
from ..qmc import QMCSampler
from .groups import Group, groups_of
from .parzen import Observations, ParzenEstimator
from .split import PENDING as _PENDING
from .split import count_ranked, split_trials

# Optuna's ramp: in histories longer than this, older trials weigh less (down to 1/n),
# so the model follows where the search is now rather than where it started.
_N_RECENT_FULL_WEIGHT = 25
# Past this many trials g(x) keeps the most recent half whole and merges the older ones
# into runs of equal length, one kernel each (see _thinned): the kernel work stops
# growing with the history, and only a few passes over the records still do
# (bench/samplers.py --timing-only). No study of up to this many trials is affected.
_MAX_KERNELS = 1000


class TPESampler(Sampler):
    """Tree-structured Parzen estimator (Bergstra et al. 2011; Watanabe 2023).

    The first ``n_startup_trials`` trials take scrambled Sobol points (as the qmc
    sampler does). After that, the complete and pruned trials are split into the best
    ``min(ceil(0.1 n), 25)`` and the rest; a Parzen estimator l(x) is fitted to the
    best and g(x) to the rest, ``n_ei_candidates`` points are drawn from l, and the one
    with the largest l(x)/g(x) is proposed.

    Each estimator is multivariate: one product kernel per trial over all parameters
    of a group (Gaussian truncated to the unit interval for numbers, log-warped where
    ``log``; Aitchison-Aitken for categoricals), with Scott's-rule bandwidths clipped
    from below, plus a prior component. Parameters that share one condition form a
    group and are sampled jointly from the trials that have them, group after group
    down the condition tree. Pruned trials rank after complete ones (those that got
    further first); failed trials are ignored; with ``constant_liar`` the running and
    waiting trials count among the bad ones, so parallel asks spread out. Several
    objectives are split by non-domination rank, then hypervolume contribution.

    Args:
        n_startup_trials: Complete or pruned trials before TPE takes over (default 10).
        n_ei_candidates: Candidates drawn from l(x) per ask (default 48).
        prior_weight: Weight of the prior component against one trial (default 1.0).
        constant_liar: Count pending trials as bad (default true).
        separable: Treat the parameters as if each acted alone (default false): every
            candidate takes each parameter from a different draw of l(x), so it mixes the
            good trials' values, and candidates are ranked by the sum over parameters of
            each parameter's own log l/g. Strong where the objective is roughly a sum of
            per-parameter terms (bench/README.md, "Auto and separable TPE").
        hybrid: Hedge between the joint and the separable score (default false; not
            with ``separable``): ``n_ei_candidates`` candidates are drawn whole from l(x)
            and as many mixed as ``separable`` draws them, and every candidate is ranked
            by the sum of its joint log l/g and its per-parameter one. On the rotated
            Styblinski-Tang and Rosenbrock 8-D it beat both scores alone; on the plain
            Styblinski-Tang and Levy 10-D it trailed separable scoring, so auto keeps
            that (bench/README.md, "Issue 15, second round (auto: TPE)").
        optuna_kernels: Give ints, stepped floats and categoricals Optuna's kernels
            (default false): ints and stepped floats keep the whole magic clip,
            1 / min(100, n + 2) of the range, rather than a third of it, and each
            categorical kernel puts weight 1 on its choice and ``prior_weight / (n + 1)``
            on every choice, rather than Aitchison-Aitken's spread. Auto sets it on
            categorical spaces of more than six parameters: on `enet_diabetes` TPE tried
            about twice as many values of a log int that scores like noise and held on to
            the best combination of choices more often; on the smaller `svr_diabetes` it
            cost (bench/README.md, "Issue 15, eighth round (target 5: enet_diabetes)").
        scramble_seed: Seed of the start-up Sobol scramble; the study seed by default.

    Example:
        >>> from studies.engine import Optimizer
        >>> opt = Optimizer({"x": {"type": "float", "low": -2, "high": 2}}, sampler="tpe", seed=0)
        >>> for _ in range(30):
        ...     t = opt.ask()
        ...     _ = opt.tell(t, t.params["x"] ** 2)
        >>> abs(opt.best_params["x"]) < 0.3
        True
    """

    name = "tpe"

    title = "TPE"
    describe = "Learns which regions of the space give good results and samples more there; strong on mixed and conditional spaces."
    options = {
        "n_startup_trials": 10,
        "n_ei_candidates": 48,
        "prior_weight": 1.0,
        "constant_liar": True,
        "separable": False,
        "hybrid": False,
        "optuna_kernels": False,
        "scramble_seed": 0,
    }
    seed_option = "scramble_seed"

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        checked = {key: int_option(options, key, minimum, SamplerError) for key, minimum in (
            ("n_startup_trials", 0), ("n_ei_candidates", 1), ("scramble_seed", 0))}
        weight = options["prior_weight"]
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not 0 < weight < float("inf"):
            raise SamplerError(f"prior_weight must be a positive number, not {show(weight)}")
        for key in ("constant_liar", "separable", "hybrid", "optuna_kernels"):
            if not isinstance(options[key], bool):
                raise SamplerError(f"{key} must be true or false, not {show(options[key])}")
        if options["separable"] and options["hybrid"]:
            raise SamplerError("separable and hybrid exclude each other: hybrid already mixes separable scoring in")
        return {**checked, "prior_weight": float(weight), "constant_liar": options["constant_liar"],
                "separable": options["separable"], "hybrid": options["hybrid"],
                "optuna_kernels": options["optuna_kernels"]}

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose params for one new trial; see ``Sampler.sample``.

        Raises:
            SamplerError: When a start-up ask finds 2**30 trials (as qmc does).
        """
        if count_ranked(trials, at_most=self.n_startup_trials) < self.n_startup_trials:
            return QMCSampler(self.scramble_seed).sample(space, trials, rng, directions)
        params = {}
        for group in groups_of(space):
            if space.is_active(group.first, params):
                params.update(self._sample_group(group, trials, rng, directions))
        return {name: params[name] for name in space.names if name in params}

    def _sample_group(self, group: Group, trials, rng, directions) -> dict:
        relevant = group.having(trials)
        below, above = split_trials(relevant, directions, constant_liar=False)
        pending = [t for t in relevant if t.state in _PENDING] if self.constant_liar else []
        good = self._estimator(group, below)
        # The lie: a pending trial counts as bad, with a kernel as narrow as the good
        # ones, so that it repels the next ask as sharply as good trials attract it.
        bad = self._estimator(group, above + pending, n_fixed=len(pending), fixed=good.bandwidth)
        numeric, categorical = self._candidates(good, rng)
        numeric = group.snap(numeric)
        score = 0.0
        if self.separable or self.hybrid:
            score = (good.marginal_log_pdf(numeric, categorical) - bad.marginal_log_pdf(numeric, categorical)).sum(axis=1)
        if not self.separable:
            score = score + good.log_pdf(numeric, categorical) - bad.log_pdf(numeric, categorical)
        if pending:
            score = _avoid_pending(score, numeric, categorical, group.encode(pending))
        best = int(np.argmax(score))
        return group.decode(numeric[best], categorical[best])

    def _candidates(self, good: ParzenEstimator, rng: np.random.Generator) -> tuple:
        """``(numeric, categorical)`` drawn from l(x): whole, mixed, or (hybrid) as many of each."""
        if not self.hybrid:
            return good.sample(rng, self.n_ei_candidates, separable=self.separable)
        mixed = good.sample(rng, self.n_ei_candidates, separable=True)
        whole = good.sample(rng, self.n_ei_candidates)
        return np.vstack([mixed[0], whole[0]]), np.vstack([mixed[1], whole[1]])

    def _estimator(self, group: Group, trials: list, n_fixed: int = 0, fixed=None) -> ParzenEstimator:
        numbers = np.array([t.number for t in trials], dtype=float)
        trials, weights = _thinned(trials, numbers, _recency_weights(numbers), len(trials) - n_fixed)
        numeric, categorical = group.encode(trials)
        widths = np.full(numeric.shape, np.nan)
        if n_fixed:
            widths[len(trials) - n_fixed:] = fixed
        discrete = group.discrete if self.optuna_kernels else None
        obs = Observations(numeric, categorical, group.n_choices, weights, widths, discrete)
        return ParzenEstimator(obs, self.prior_weight, shared_prior_choices=self.optuna_kernels)


def _avoid_pending(score: np.ndarray, numeric: np.ndarray, categorical: np.ndarray, pending: tuple) -> np.ndarray:
    """Rule out candidates that repeat a pending trial exactly, unless all of them do:
    on a coarse grid kernels cannot tell neighbours apart well enough to do it alone."""
    candidates = np.hstack([numeric, categorical])
    taken = np.hstack(pending)
    repeats = (np.abs(candidates[:, None, :] - taken[None]) < 1e-12).all(axis=2).any(axis=1)
    if repeats.all():
        return score
    return np.where(repeats, -np.inf, score)


def _recency_weights(numbers: np.ndarray) -> np.ndarray:
    n = len(numbers)
    if n <= _N_RECENT_FULL_WEIGHT:
        return np.ones(n)
    ramp = np.concatenate([np.linspace(1.0 / n, 1.0, n - _N_RECENT_FULL_WEIGHT), np.ones(_N_RECENT_FULL_WEIGHT)])
    weights = np.empty(n)
    weights[np.argsort(numbers, kind="stable")] = ramp
    return weights


def _thinned(trials: list, numbers: np.ndarray, weights: np.ndarray, n_thin: int) -> tuple:
    """Bound the kernel count of an estimator built from the first ``n_thin`` trials.

    Up to ``_MAX_KERNELS`` of them, nothing changes. Beyond, the most recent
    ``_MAX_KERNELS // 2`` stay whole, and the older ones, in number order, are cut into
    runs of ``stride`` trials: each run keeps its first trial, weighted with the whole
    run's weight, so the mixture keeps its shape while old trials, which the recency
    weights already discount, cost one kernel per run. It depends on the numbers only,
    so every worker thins a history the same way. The trials after ``n_thin`` (pending
    ones under the constant liar) are kept as they are.

    Args:
        trials: The estimator's trials.
        numbers: Their numbers.
        weights: Their recency weights.
        n_thin: How many of the first trials may be thinned.

    Returns:
        ``(trials, weights)``, the kept ones.
    """
    if n_thin <= _MAX_KERNELS:
        return trials, weights
    order = np.argsort(numbers[:n_thin], kind="stable")
    n_recent = _MAX_KERNELS // 2
    older, recent = order[:-n_recent], order[-n_recent:]
    stride = -(-len(older) // (_MAX_KERNELS - n_recent))
    starts = np.arange(0, len(older), stride)
    keep = np.concatenate([older[starts], recent, np.arange(n_thin, len(trials))])
    kept_weights = np.concatenate([np.add.reduceat(weights[older], starts), weights[recent], weights[n_thin:]])
    return [trials[i] for i in keep.tolist()], kept_weights
