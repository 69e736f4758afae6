"""A surrogate of a study: what a trial would score at params nobody tried, and how much more trials may gain.

The same Gaussian process as the gp sampler (``samplers/_gp_model``: Constant x Matern 5/2
with one length scale per column, plus white noise, fitted by marginal likelihood), on the
same encoding of the search space (``samplers/_encoding``: the unit cube, log parameters
warped, ints and steps at their cell centres, categoricals one-hot, inactive parameters
fixed), fitted on the complete trials of a single-objective study. The values it reads are
standardised as they are or, when that explains them better, Yeo-Johnson warped first
(``_fit_warped``): a few trials far worse than the rest (a cross-validation that diverged)
would otherwise set the model's scale, and with it how far below the best it dreams.

Two readers:

* ``Surrogate.predict`` — the value expected at some params, a 95% interval for what a
  trial there would score (the model's uncertainty plus the noise it sees between trials),
  and the nearest complete trial with its distance;
* ``advise`` — for N more trials, the best value to expect and the chance of a given gain,
  by simulation under random search (see its docstring for the assumption).
"""

from __future__ import annotations

import math
from array import array
from typing import Callable, Iterable, Mapping, NamedTuple, Optional, Sequence

import numpy as np
from scipy import stats
from scipy.linalg import cholesky, solve_triangular
from scipy.optimize import minimize_scalar

from .samplers._encoding import Encoder, snap
from .samplers._gp_model import Posterior, fit_hyperparameters, log_marginal_likelihood
from .samplers._history import single_objective
from .samplers.gp import subset_indices
from .params import CategoricalParam
from .space import SearchSpace
from .trial import TrialRecord

MIN_TRIALS = 5
_Z95 = 1.959963984540054


class SurrogateError(ValueError):
    """The study cannot have a surrogate: several objectives, or too few complete trials."""


class Prediction(NamedTuple):
    """What the surrogate expects at some params.

    Attributes:
        mean: The expected value, in the study's units.
        low, high: A 95% interval for what one trial there would score (low <= high).
        nearest_number: The number of the nearest complete trial.
        distance: Its distance (see ``Surrogate.distance``), from 0 (the same params) to 1.
    """

    mean: float
    low: float
    high: float
    nearest_number: int
    distance: float


class NearestTrials(NamedTuple):
    """What the nearest-trial search reads: every fitted trial's number and raw params.

    The bulk of a surrogate (60,000 trials x 8 params are 4 MB): ``fit_surrogate`` can hand
    them to its caller instead of keeping them, so that a cache stores them apart, in slices.

    Attributes:
        numbers: The trials' numbers (n,), in history order.
        raws: Their raw vectors (n, n_raw), as ``Encoder.raw`` gives them.
    """

    numbers: np.ndarray
    raws: np.ndarray


def applicable_params(space: SearchSpace, params: Mapping) -> dict:
    """Drop the known parameters that do not apply given the others (their condition fails).

    A what-if question may carry every control's value; the ones whose condition does not
    hold are simply not part of that point. Unknown names are kept, for validation to name.

    Args:
        space: The search space.
        params: Name -> value, as the user gave them.

    Returns:
        The params without inactive known names, in the given order.

    Example:
        >>> space = SearchSpace.from_json({"kind": {"type": "categorical", "choices": ["a", "b"]},
        ...     "x": {"type": "float", "low": 0, "high": 1, "condition": {"kind": ["a"]}}})
        >>> applicable_params(space, {"kind": "b", "x": 0.5})
        {'kind': 'b'}
    """
    return {name: value for name, value in params.items()
            if name not in space or space.is_active(name, params)}


class Surrogate:
    """A Gaussian process fitted on a study's complete trials; build it with ``fit_surrogate``.

    Holds no reference to the trials beyond their numbers and unit-cube coordinates, and pickles
    without the latter's posterior factors; ``nearest`` may be kept apart (see ``fit_surrogate``).

    Attributes:
        n_trials: Complete trials the model was fitted on.
        best: The best value among them, in the study's units.
        direction: "minimize" or "maximize".
        bounds: ``(low, high)`` the values can take (None for an open side).
        nearest: The ``NearestTrials`` that ``predict`` and ``distances`` search, or None while
            the caller keeps them (they are needed by those two only: ``advise`` never reads them).
    """

    def __getstate__(self):
        # The posterior's factors (two n x n matrices) weigh megabytes at 400 trials and take
        # milliseconds to rebuild from its inputs; a cached surrogate keeps only those.
        state = dict(self.__dict__)
        p = state.pop("_posterior")
        state["_posterior_args"] = (p.X, p.y, p.constant, p.length_scales, p.noise)
        return state

    def __setstate__(self, state):
        self.__dict__.update({"bounds": (None, None)} | state)  # one cached before bounds existed has none
        if "_warp" not in self.__dict__:  # one cached before the warp existed: its plain standardisation
            self._warp = Warp(0.0, self.__dict__.pop("_scale"), None, self.__dict__.pop("_centre"),
                              self.__dict__.pop("_spread"))
        if "_raws" in self.__dict__:  # one cached before the nearest trials could be kept apart
            self.nearest = NearestTrials(self.__dict__.pop("_numbers"), self.__dict__.pop("_raws"))
        self._posterior = Posterior(*self.__dict__.pop("_posterior_args"))

    def __init__(self, space, posterior, nearest, n_trials, sign, warp, best, bounds=(None, None)):
        self.space, self._posterior = space, posterior
        self.nearest = nearest
        self._sign, self._warp = sign, warp
        self.n_trials, self.best = n_trials, best
        self.bounds = bounds
        self.direction = "minimize" if sign > 0 else "maximize"

    @property
    def limit(self) -> "float | None":
        """The best value the values can take (the bound on the better side: R² 1, an error of 0),
        in the study's units, or None when that side has no bound."""
        low, high = self.bounds
        return high if self._sign < 0 else low

    @property
    def encoder(self) -> Encoder:
        """The encoding of the space the model reads (rebuilt: cheap, and keeps pickles small)."""
        return Encoder(self.space)

    def predict(self, params: Mapping) -> Prediction:
        """The value expected at valid params, its 95% interval and the nearest trial.

        Args:
            params: The active params of one point, as ``SearchSpace.validate_params`` returns them.

        Returns:
            A ``Prediction``.
        """
        encoder = self.encoder
        raw = encoder.raw(params)
        mean, var = self._posterior.predict(encoder.encode(raw[None, :]))
        # The interval is taken where the model is Gaussian and mapped back: under a warp the
        # mean maps to the median, and the ends to the same quantiles.
        half = _Z95 * math.sqrt(var[0] + self._posterior.noise)
        distances = self.distances(raw)
        nearest = int(np.argmin(distances))
        ends = self._to_values(np.array([mean[0], mean[0] - half, mean[0] + half]))
        centre, low, high = (float(v) for v in self._within(ends))
        low, high = sorted((low, high))
        return Prediction(centre, low, high, int(self.nearest.numbers[nearest]), float(distances[nearest]))

    def distances(self, raw: np.ndarray) -> np.ndarray:
        """The distance from one raw point to every fitted trial, in the normalised space.

        Each parameter counts from 0 to 1: a number by how far apart the two values are as a
        share of its range (on a log scale where the space is log), a choice 0 when equal and
        1 when not, a parameter active at one point but not the other 1, inactive at both 0.
        The distance is the root mean square over the parameters: 0 for the same params, 1 when
        every parameter is at opposite ends of its range or a different choice.

        Args:
            raw: One raw vector (``Encoder.raw``).

        Returns:
            One distance per fitted trial, in [0, 1].

        Raises:
            ValueError: ``nearest`` is None (kept apart and not set back).
        """
        if self.nearest is None:
            raise ValueError("the surrogate's nearest trials are kept apart: set them back first")
        return _distances(self.encoder, raw, self.nearest.raws)

    def sample(self, raw: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
        """Joint draws of what trials at several points would score (model functions plus noise).

        Args:
            raw: Raw points (m, n_raw).
            n_draws: Draws to make.
            rng: The randomness.

        Returns:
            Values in the study's units, (n_draws, m).
        """
        X = self.encoder.encode(raw)
        mean, cov = _posterior_mean_covariance(self._posterior, X)
        # In place, the same sums as adding the noise times an identity matrix: the advice's
        # peak memory is a few of these m x m matrices at once.
        cov.flat[:: len(X) + 1] += self._posterior.noise + 1e-8
        L = cholesky(cov, lower=True, check_finite=False, overwrite_a=True)
        del cov
        draws = rng.standard_normal((n_draws, len(X))) @ L.T
        del L  # not held while the draws are mapped back to values
        draws += mean[None, :]
        return self._within(self._to_values(draws))

    def _within(self, values):
        # A Gaussian knows no floor: without this an error that cannot go below 0 would be
        # predicted to, and an accuracy to pass 1. In place: its callers pass a fresh array of
        # `_to_values`, and the advice's draws are its largest.
        low, high = self.bounds
        return np.clip(values, -np.inf if low is None else low, np.inf if high is None else high, out=values)

    def _to_values(self, y):
        return self._sign * self._warp.inverse(y)


def fit_surrogate(space: SearchSpace, trials: Iterable[TrialRecord], directions: Sequence[str],
                  rng: np.random.Generator, bounds: tuple = (None, None),
                  on_nearest: Optional[Callable[[NearestTrials], None]] = None) -> Surrogate:
    """Fit the gp sampler's Gaussian process on the complete trials of a study.

    Only complete trials count: a pruned trial's value is where it stopped, not what it
    would have scored. Past 400 trials the model sees the best 200 and the latest 200
    others (as the gp sampler), while the nearest-trial search sees them all.

    Args:
        space: The study's search space.
        trials: Its history, read once (a generator will do: only each trial's encoded
            params, number and loss are kept).
        directions: Its directions (one).
        rng: For the hyperparameter search's subsets.
        bounds: ``(low, high)``, the values the objective can take (None for an open side,
            e.g. ``(0, None)`` for an error, ``(0, 1)`` for an accuracy): predictions,
            their intervals and the simulated futures of ``advise`` stay within them.
        on_nearest: None to keep the ``NearestTrials`` in the surrogate; else called with them
            as soon as they are gathered, before the fit, and the surrogate's ``nearest`` is None:
            a caller that stores them apart never holds them beside the fit's temporaries, nor
            pickles them in one piece.

    Returns:
        The fitted ``Surrogate``.

    Raises:
        SurrogateError: For a multi-objective study, or fewer than ``MIN_TRIALS`` complete
            trials whose params fit the space.
    """
    if len(directions) != 1:
        raise SurrogateError(f"a surrogate models one objective; this study has {len(directions)}")
    sign = single_objective(directions, "surrogate")
    encoder = Encoder(space)
    numbers, raws, all_losses = _scored(encoder, trials, sign)
    if len(numbers) < MIN_TRIALS:
        raise SurrogateError(f"a surrogate needs at least {MIN_TRIALS} complete trials; this study has {len(numbers)}")
    kept = subset_indices(all_losses)
    losses, X = all_losses[kept], encoder.encode(raws[kept])
    nearest = NearestTrials(numbers, raws)
    del numbers, raws
    if on_nearest is not None:
        on_nearest(nearest)
        nearest = None
    n_trials, best = len(all_losses), sign * float(all_losses.min())
    del all_losses
    warp, posterior = _fit_warped(X, losses, rng)
    return Surrogate(space, posterior, nearest, n_trials, sign, warp, best, tuple(bounds))


def nearest_trials(space: SearchSpace, trials: Iterable[TrialRecord], directions: Sequence[str]) -> NearestTrials:
    """The ``NearestTrials`` that ``fit_surrogate`` gathers from the same trials, without a fit.

    Args:
        space, trials, directions: As ``fit_surrogate``.

    Returns:
        Their numbers and raw params.
    """
    numbers, raws, _ = _scored(Encoder(space), trials, single_objective(directions, "surrogate"))
    return NearestTrials(numbers, raws)


def _fit_warped(X: np.ndarray, losses: np.ndarray, rng: np.random.Generator):
    """The warp of the losses and the Gaussian process on them whose evidence is the higher.

    Two candidates: the losses standardised as they are, and Yeo-Johnson warped (``Warp.fit``).
    Each is fitted by marginal likelihood, and they are compared by the likelihood of the
    losses themselves (the warped one's plus the log Jacobian of its warp: a warped Gaussian
    process, Snelson et al. 2004). A smooth function keeps its own scale; values with a few
    trials far worse than the rest (a cross-validation that diverged) are warped, so that
    those trials no longer set the model's scale and its reach below the best.
    """
    candidates = []
    for warp in (Warp.plain(losses), Warp.fit(losses)):
        if warp is None:
            continue
        y = warp.forward(losses)
        # The hyperparameters alone: the winner's posterior (its n x n factors) is built once
        # chosen, so the loser's is never held beside the next fit (the same rng draws).
        fitted = fit_hyperparameters(X, y, rng)
        theta = np.log(np.concatenate([[fitted.constant], fitted.length_scales, [fitted.noise]]))
        evidence = log_marginal_likelihood(theta, X, y) + warp.log_jacobian(losses)
        candidates.append((evidence, len(candidates), warp, y, fitted))
    _, _, warp, y, fitted = max(candidates, key=lambda c: (c[0], -c[1]))
    return warp, Posterior(X, y, *fitted)


class Warp(NamedTuple):
    """Losses to the standardised targets the model reads, and back.

    ``z = (loss - shift) / scale``, then Yeo-Johnson with ``lam`` (None: none), then
    ``y = (w - centre) / spread``. ``lam`` stays within [0, 2], where the transform maps the
    whole line onto the whole line, so every draw of the model maps back to a loss.
    """

    shift: float
    scale: float
    lam: "float | None"
    centre: float
    spread: float

    @classmethod
    def plain(cls, losses: np.ndarray) -> "Warp":
        """The losses standardised as they are (as before the warp existed)."""
        scale = float(np.abs(losses).max()) or 1.0
        return cls(0.0, scale, None, float((losses / scale).mean()), float((losses / scale).std()) or 1.0)

    @classmethod
    def fit(cls, losses: np.ndarray) -> "Warp | None":
        """Yeo-Johnson about the median, on the scale of the middle half of the losses (so a few
        far-off trials do not set it), its ``lam`` by maximum likelihood; None when the middle
        half are all equal."""
        shift = float(np.median(losses))
        q1, q3 = np.percentile(losses, [25, 75])
        scale = float(q3 - q1) / 1.349
        if not scale > 0:
            return None
        z = (losses - shift) / scale
        lam = float(minimize_scalar(lambda lam: -stats.yeojohnson_llf(lam, z), bounds=(0.0, 2.0), method="bounded").x)
        w = stats.yeojohnson(z, lam)
        return cls(shift, scale, lam, float(w.mean()), float(w.std()) or 1.0)

    def forward(self, losses: np.ndarray) -> np.ndarray:
        """Losses to standardised targets."""
        w = (losses - self.shift) / self.scale
        if self.lam is not None:
            w = stats.yeojohnson(w, self.lam)
        return (w - self.centre) / self.spread

    def inverse(self, y):
        """Standardised targets (any shape) back to losses."""
        # One copy, worked on in place (the same sums as the plain expressions): the advice's
        # draws are the largest array it maps back.
        w = np.array(y, dtype=float)
        w *= self.spread
        w += self.centre
        if self.lam is not None:
            w = _yeojohnson_inverse(w, self.lam)
        w *= self.scale
        w += self.shift
        return w

    def log_jacobian(self, losses: np.ndarray) -> float:
        """The sum over the losses of log |d y / d loss|."""
        n = len(losses)
        log_det = -n * math.log(self.scale * self.spread)
        if self.lam is None:
            return log_det
        z = (losses - self.shift) / self.scale
        return log_det + float(np.sum((self.lam - 1.0) * np.sign(z) * np.log1p(np.abs(z))))


def _yeojohnson_inverse(w: np.ndarray, lam: float) -> np.ndarray:
    # In place (each half is computed from its own values of w before they are overwritten):
    # `Warp.inverse` passes a fresh array, as large as the advice's draws.
    z = w
    upper = w >= 0
    if abs(lam) < 1e-12:
        z[upper] = np.expm1(w[upper])
    else:
        z[upper] = np.power(lam * w[upper] + 1.0, 1.0 / lam) - 1.0
    if abs(lam - 2.0) < 1e-12:
        z[~upper] = -np.expm1(-w[~upper])
    else:
        z[~upper] = 1.0 - np.power(1.0 - (2.0 - lam) * w[~upper], 1.0 / (2.0 - lam))
    return z


_BLOCK = 2000


def _scored(encoder: Encoder, trials: Iterable[TrialRecord], sign: float):
    """(numbers, raw vectors (n, n_raw), losses) of the complete trials whose params fit the space,
    in history order, gathered in typed arrays: a Python object per trial (a tuple and a small
    array each, or an int and a float in a list) would weigh several times the arrays at 60,000
    trials."""
    numbers, losses = array("q"), array("d")
    raws = np.empty((_BLOCK, encoder.n_raw))
    for trial in trials:
        if trial.state == "complete" and trial.value is not None and math.isfinite(trial.value):
            raw = encoder.raw(trial.params)
            if raw is not None:
                if len(numbers) == len(raws):
                    # Grown in place (realloc): blocks joined at the end held every row twice.
                    raws.resize((len(raws) + _BLOCK, encoder.n_raw), refcheck=False)
                raws[len(numbers)] = raw
                numbers.append(trial.number)
                losses.append(sign * float(trial.value))
    raws.resize((len(numbers), encoder.n_raw), refcheck=False)
    # Views of the typed arrays, not copies (the same int64 and float64 values).
    return np.frombuffer(numbers, dtype=np.int64), raws, np.frombuffer(losses, dtype=np.float64)


def _distances(encoder: Encoder, raw: np.ndarray, raws: np.ndarray) -> np.ndarray:
    both = np.vstack([raw[None, :], raws])
    active = encoder.active(both)
    per_param = np.zeros((len(raws), encoder.n_raw))
    for i, p in enumerate(encoder.params):
        if isinstance(p, CategoricalParam):
            chosen = encoder._choice_index(both[:, i], p)
            gap = (chosen[1:] != chosen[0]).astype(float)
        else:
            u = snap(p, both[:, i])
            gap = np.abs(u[1:] - u[0])
        mismatch = active[1:, i] != active[0, i]
        per_param[:, i] = np.where(mismatch, 1.0, np.where(active[0, i], gap, 0.0))
    return np.sqrt(np.mean(per_param**2, axis=1))


def _posterior_mean_covariance(posterior, X: np.ndarray):
    """The posterior mean (m,) and latent covariance (m, m) at points X, from the fitted
    posterior's factors (the mean as ``Posterior.predict`` gives it, from the same kernel row)."""
    k = posterior._kernel(X, posterior.X)
    mean = k @ posterior._alpha
    v = solve_triangular(posterior._L, k.T, lower=True, check_finite=False)
    del k
    explained = v.T @ v
    del v  # before the prior's m x m: two of them at once, not three
    return mean, np.subtract(posterior._kernel(X, X), explained, out=explained)


class Advice(NamedTuple):
    """What more trials may bring, from ``advise``.

    Attributes:
        horizons: One ``(n_more, expected_best, low, high)`` per horizon: the median best value
            after that many more trials (as likely better as worse; the mean of so skewed a
            distribution can fall outside its own 80% interval), and an 80% interval (10th
            and 90th percentiles).
        improvement: One ``(n_more, min_gain, probability)`` per horizon and gain: the chance
            that the best improves on today's by at least ``min_gain`` (relative, 0.01 = 1%);
            None when today's best is exactly 0.
        hindcast: The ``Hindcast`` whose shrink the figures took, or None (none was given).
        at_limit: One share per horizon, in [0, 1]: of the model's simulated futures (before any
            shrink), those whose best reached the limit the values can take (the surrogate's
            bound: R² 1, an error of 0), because the model's draws went past it and were clipped
            there. A future there is the model extrapolating past anything the trials show, not a
            forecast of a perfect score; 0 with no bound on the better side, or when today's best
            is already at it.
    """

    horizons: list
    improvement: list
    hindcast: "Hindcast | None" = None
    at_limit: "list | None" = None


class Hindcast(NamedTuple):
    """How hopeful the model was about the study's own latest trials, from ``hindcast``.

    Attributes:
        windows: The windows checked (0 when the study is too short for one).
        window: Trials per window.
        expected_gain: Over the windows, the summed gain (in the study's units, >= 0) the model
            fitted on the trials before each window expected of its trials, on average.
        real_gain: The summed gain those trials really brought.
        chance: The chance the model gave of gains as small as the real ones (1 with no window).
        shrink: The factor, in [``SHRINK_FLOOR``, 1], that ``advise`` scales the simulated gains
            by: 1 when the model was not too hopeful (or there was nothing to check).
    """

    windows: int
    window: int
    expected_gain: float
    real_gain: float
    chance: float
    shrink: float


# The share of simulated futures at the values' limit (``Advice.at_limit``) from which the advice's
# 80% interval ends at that limit: its figures are then the model's reach past anything the trials
# show, and the service's sentence says so instead of quoting them (bench/README.md, ninth round).
AT_LIMIT_LEVEL = 0.1

HINDCAST_WINDOW = 10
HINDCAST_WINDOWS = 3
# The least a hindcast shrinks the gains to: a few windows that found nothing are evidence
# that the model is too hopeful here, not that no trial can ever gain.
SHRINK_FLOOR = 0.1
# The hindcast shrinks only when the model gave gains as small as the real ones less than this
# chance: a calibrated model's windows often gain nothing (random search seldom improves late).
HINDCAST_LEVEL = 0.05


def hindcast(surrogate: Surrogate, rng: np.random.Generator, window: int = HINDCAST_WINDOW,
             windows: int = HINDCAST_WINDOWS, n_points: int = 400, n_draws: int = 300) -> Hindcast:
    """Check the advice against the study's own history: was the model too hopeful here?

    For each of the last ``windows`` windows of ``window`` trials (the latest first; only
    windows that start past a third of the trials the model saw, and after at least 10), the
    same model (its warp and hyperparameters) conditioned on the trials before the window
    simulates, as ``advise`` does, what ``window`` more trials would gain; the real gain is
    what the window's trials found. Summed over the windows, the real gain is set against
    the simulated sums: when they are at least that small with a chance of ``HINDCAST_LEVEL``
    or more the model stands (shrink 1: a calibrated model's windows often gain nothing);
    else the shrink is the largest that makes that chance ``HINDCAST_LEVEL`` (the real sum over
    the simulated sums' ``HINDCAST_LEVEL`` quantile), at least ``SHRINK_FLOOR``. Never above 1,
    because the study's own sampler aims better than the random search the advice assumes,
    so its doing better says nothing of random search; it says something when even a
    better-aimed sampler fell short of what the model promised (though a sampler stuck in
    one corner can fall short where random search would not: bench/README.md).

    It reads the trials the surrogate was fitted on (its kept subset past 400, in history
    order), so no trial is read again, and fits nothing: a factorisation per window.

    Args:
        surrogate: A fitted ``Surrogate``.
        rng: The randomness (seed it for a repeatable hindcast).
        window: Trials per window.
        windows: How many windows at most.
        n_points, n_draws: As ``advise``.

    Returns:
        A ``Hindcast``.
    """
    posterior, warp = surrogate._posterior, surrogate._warp
    X, losses = posterior.X, np.asarray(warp.inverse(posterior.y), dtype=float)
    n = len(losses)
    expected = real = 0.0
    simulated = np.zeros(n_draws)
    checked = 0
    for k in range(1, windows + 1):
        cut = n - k * window
        if cut < max(10, n // 3):
            break
        past = losses[:cut]
        # The same model (warp and hyperparameters) conditioned on the trials before the window:
        # a refit per window cost three fits (15-25 s at 150 AutoML trials on two busy cores),
        # this a factorisation. The hyperparameters have seen the window's values, so a model too
        # hopeful about them is, if anything, harder to catch: the check errs towards no shrink.
        fitted = Posterior(X[:cut], posterior.y[:cut], posterior.constant, posterior.length_scales, posterior.noise)
        earlier = Surrogate(surrogate.space, fitted, None, cut, surrogate._sign, warp,
                            surrogate._sign * float(past.min()), surrogate.bounds)
        # The draws as a temporary: a window's are gone before the next window samples its own.
        bests = _bests_after(earlier.sample(rng.random((n_points, earlier.encoder.n_raw)), n_draws, rng) * surrogate._sign,
                             window, past.min(), rng)
        expected += float(past.min() - bests.mean())
        real += float(past.min() - min(past.min(), losses[cut:cut + window].min()))
        simulated += rng.permutation(past.min() - bests)  # the windows' draws are independent
        checked += 1
    chance = float(np.mean(simulated <= real))
    low = float(np.quantile(simulated, HINDCAST_LEVEL))
    shrink = 1.0 if chance >= HINDCAST_LEVEL or real >= low else max(SHRINK_FLOOR, real / low)
    return Hindcast(checked, window, expected, real, chance, shrink)


def advise(surrogate: Surrogate, rng: np.random.Generator, horizons: Sequence[int] = (10, 50, 200),
           gains: Sequence[float] = (0.01, 0.05), n_points: int = 400, n_draws: int = 300,
           calibration: "Hindcast | None" = None) -> Advice:
    """Simulate N more trials on the surrogate and tell what the best value may become.

    The method: draw ``n_points`` points uniformly over the search space (conditions
    respected), draw ``n_draws`` joint samples of what trials there would score from the
    Gaussian process (its posterior functions, correlated across points, plus the noise it
    sees between trials), and for N more trials take, in each draw, the best of N of those
    points picked at random (with replacement when N exceeds ``n_points``), or today's
    best when none beats it.

    The assumption: the N more trials are spread at random over the space, as random search
    would place them. A study's own sampler usually aims better, so the advice tends to be
    pessimistic for it; and the surrogate's own doubts (far from any trial it knows little)
    are in the spread, not a guarantee: ``bench/surrogate.py`` finds the 80% interval well
    calibrated 10 trials ahead (92-100% of real bests inside it) and too hopeful further ahead
    on real cross-validations, whose scores have a ceiling (the data's own noise) that a
    Gaussian's lower tail does not know (42% at +200 on svr, elastic net and AutoML). Where
    the study's own latest trials show the model too hopeful (``hindcast``), ``calibration``
    scales the simulated gains down.

    Args:
        surrogate: A fitted ``Surrogate``.
        rng: The randomness (seed it for repeatable advice).
        horizons: The numbers of more trials to consider.
        gains: Relative gains to give chances for.
        n_points: Candidate points.
        n_draws: Simulated futures.
        calibration: A ``hindcast`` of the same surrogate, or None: every simulated gain over
            today's best is scaled by its shrink (so the intervals and chances shrink with it,
            and stay within the bounds).

    Returns:
        An ``Advice``.
    """
    encoder = surrogate.encoder
    points = rng.random((n_points, encoder.n_raw))
    draws = surrogate.sample(points, n_draws, rng) * surrogate._sign  # as losses: lower is better
    today = surrogate._sign * surrogate.best
    shrink = 1.0 if calibration is None else calibration.shrink
    limit = None if surrogate.limit is None else surrogate._sign * float(surrogate.limit)  # as a loss
    out_horizons, out_improvement, out_at_limit = [], [], []
    for n_more in horizons:
        bests = _bests_after(draws, n_more, today, rng)
        # Clipped draws land on the limit exactly (``Surrogate._within``), so equality counts them.
        out_at_limit.append(0.0 if limit is None or today <= limit else float(np.mean(bests <= limit)))
        if shrink != 1.0:
            bests = today - shrink * (today - bests)
        middle, low, high = surrogate._sign * np.percentile(bests, [50, 10, 90])
        low, high = sorted((low, high))
        out_horizons.append((int(n_more), float(middle), float(low), float(high)))
        for gain in gains:
            # Relative to the size of today's best, so a gain means the same for either sign of
            # value; of a best of exactly 0 no share can be gained, so there is no chance to give.
            needed = today - gain * abs(today)
            chance = float(np.mean(bests <= needed)) if today != 0 else None
            out_improvement.append((int(n_more), float(gain), chance))
    return Advice(out_horizons, out_improvement, calibration, out_at_limit)


def _bests_after(draws: np.ndarray, n_more: int, today: float, rng: np.random.Generator) -> np.ndarray:
    """Per simulated future (a row of ``draws``, losses at the candidate points), the best loss
    after ``n_more`` trials at points picked at random among the candidates (without replacement
    while there are enough, with it past that), or ``today``'s when none beats it."""
    n_draws, n_points = draws.shape
    if n_more <= n_points:
        order = np.tile(np.arange(n_points), (n_draws, 1))
        picks = rng.permuted(order, axis=1, out=order)[:, :n_more]  # in place: the same shuffle
    else:
        picks = rng.integers(0, n_points, size=(n_draws, n_more))
    return np.minimum(np.take_along_axis(draws, picks, axis=1).min(axis=1), today)
