"""CMA-ES with IPOP restarts, rebuilt from the history at every ask.

Named ``cma`` so it does not shadow the ``cmaes`` package, which does the maths.
"""

from __future__ import annotations

import hashlib
import math
from typing import Sequence, Union

import numpy as np
from cmaes import CMA

from ..errors import SamplerError
from ..params import CategoricalParam
from ..space import SearchSpace
from ..specs import int_option
from ..trial import TrialRecord
from ._history import PENDING, single_objective, trial_loss
from ._options import float_option, optional_int_option
from .base import Directions, History, Sampler

_MAX_POPSIZE = 100_000


class CMAESSampler(Sampler):
    """Covariance matrix adaptation evolution strategy, restarted with a doubled population (IPOP).

    The search runs in the unit cube (``param.to_unit``: log parameters warped, ints and
    stepped floats at the centre of their cell); the ``cmaes`` package does the maths.

    **Stateless by replay.** A sampler keeps nothing between asks, so each ask rebuilds
    the strategy from the history, deterministically:

    * trials, in number order, are cut into generations of the current population
      size: trials 0..λ-1 form generation 0, the next λ generation 1, and so on;
    * a fresh ``CMA`` (mean at the centre of the cube, step ``sigma0``) is told each
      complete generation in turn, with the unit-cube point of each trial's params;
      failed trials (and pruned ones without a value) rank below the worst value of
      their generation; a generation with no value at all is skipped;
    * replay stops at the first generation that still has a waiting or running
      trial, or that is not full yet: the new trial is drawn from the strategy as it
      stands, seeded from the ask's RNG, so it is the same whichever worker asks;
    * when the strategy reports convergence (``should_stop``) after a generation, a
      new run starts with the population multiplied by ``inc_popsize``, its mean drawn
      uniformly in the cube from a seed hashed from that generation's points (so the
      restart is reproducible from the history alone).

    A trial told late is therefore still credited to the generation its number puts it
    in; with parallel workers a trial may be drawn from the strategy one generation
    behind its own, which CMA-ES tolerates as an injected solution. Replay costs one
    ``tell`` per generation: a few milliseconds per hundred trials.

    Ints are searched as continuous coordinates and told at the centre of the value's
    cell, so an int with only a few values can look converged early; the restart
    then widens the search again.

    Categorical parameters are refused by ``check``: CMA-ES moves a mean and a
    covariance through a continuous space, and a choice has neither; tpe or evolution
    handle them. (A space without categoricals has no conditions either.)

    Args:
        sigma0: Initial step size in the unit cube (default 0.2, in (0, 1]).
        popsize: Population of the first run; null (default) lets CMA-ES choose
            ``4 + floor(3 ln d)``.
        inc_popsize: Population factor at each restart (an int of at least 2, default 2).
    """

    name = "cmaes"

    title = "CMA-ES"
    describe = "An evolution strategy that learns which directions improve the score; strong for many numeric parameters and long runs."
    options = {"sigma0": 0.2, "popsize": None, "inc_popsize": 2}

    def __init__(self, sigma0: float = 0.2, popsize: Union[int, None] = None, inc_popsize: int = 2):
        self.sigma0 = sigma0
        self.popsize = popsize
        self.inc_popsize = inc_popsize

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        return {
            "sigma0": float_option(options, "sigma0", 0.0, 1.0),
            "popsize": optional_int_option(options, "popsize", 4),
            "inc_popsize": int_option(options, "inc_popsize", 2, SamplerError),
        }

    def check(self, space: SearchSpace) -> None:
        """Refuse categorical parameters; see ``Sampler.check``.

        Raises:
            SamplerError: Naming the categorical parameters.
        """
        names = [p.name for p in space.params if isinstance(p, CategoricalParam)]
        if names:
            raise SamplerError(
                "cmaes handles float and int parameters; use tpe or evolution for categorical ones "
                f"({', '.join(names)})"
            )

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose params for one new trial; see ``Sampler.sample``.

        Raises:
            SamplerError: For a multi-objective study or a space with categoricals.
        """
        sign = single_objective(directions, self.name)
        self.check(space)
        strategy = self.replay(space, trials, sign)
        strategy.reseed_rng(int(rng.integers(2**31)))
        point = strategy.ask()
        return {p.name: p.from_unit(float(u)) for p, u in zip(space.params, point)}

    def replay(self, space: SearchSpace, trials: Sequence[TrialRecord], sign: float) -> CMA:
        """Rebuild the strategy from the history, as every ask does (see the class notes).

        Args:
            space: A space of floats and ints.
            trials: The history.
            sign: 1.0 to minimise the value, -1.0 to maximise it.

        Returns:
            The ``cmaes.CMA`` object the next trial is drawn from.
        """
        ordered = sorted(trials, key=lambda t: t.number)
        n_dims = len(space.params)
        popsize = self.popsize or 4 + math.floor(3 * math.log(n_dims))
        strategy = self._start(np.full(n_dims, 0.5), popsize)
        start = 0
        while start + popsize <= len(ordered):
            generation = ordered[start : start + popsize]
            if any(t.state in PENDING for t in generation):
                break
            solutions = _solutions(space, generation, sign)
            if solutions is not None:
                strategy.tell(solutions)
            start += popsize
            if strategy.should_stop() and popsize * self.inc_popsize <= _MAX_POPSIZE:
                popsize *= self.inc_popsize
                strategy = self._start(_restart_mean(generation, n_dims, space), popsize)
        return strategy

    def _start(self, mean: np.ndarray, popsize: int) -> CMA:
        bounds = np.tile([0.0, 1.0], (len(mean), 1))
        return CMA(mean=mean, sigma=self.sigma0, bounds=bounds, seed=0, population_size=popsize)


def _unit_point(space: SearchSpace, params) -> Union[np.ndarray, None]:
    try:
        return np.array([p.to_unit(params[p.name]) for p in space.params])
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _solutions(space: SearchSpace, generation: list, sign: float) -> Union[list, None]:
    """``(point, loss)`` per member; members without a usable loss rank last."""
    points = [_unit_point(space, t.params) for t in generation]
    losses = [trial_loss(t, sign) if x is not None else None for t, x in zip(generation, points)]
    known = [v for v in losses if v is not None]
    if not known:
        return None
    worst = max(known) + max(1.0, abs(max(known)))
    centre = np.full(len(space.params), 0.5)
    return [
        (x if x is not None else centre, v if v is not None else worst)
        for x, v in zip(points, losses)
    ]


def _restart_mean(generation: list, n_dims: int, space: SearchSpace) -> np.ndarray:
    points = [_unit_point(space, t.params) for t in generation]
    data = np.array([x for x in points if x is not None] or [[0.0]])
    seed = int.from_bytes(hashlib.sha256(data.tobytes()).digest()[:8], "little")
    return np.random.default_rng(seed).random(n_dims)
