"""Quasi-random sampling with scrambled Sobol points from scipy."""

from __future__ import annotations

import numpy as np
from scipy.stats import qmc

from ..errors import SamplerError
from ..space import SearchSpace
from ..specs import int_option
from .base import Directions, History, Sampler

# scipy's default 30-bit Sobol engine yields at most 2**30 points.
_MAX_POINTS = 2**30


class QMCSampler(Sampler):
    """Takes trial k's params from point k of a scrambled Sobol sequence.

    Every parameter owns one dimension, in ``space.params`` order, conditional ones
    included (they use it only when active), so the points spread evenly over the
    space. The point index is one past the highest trial number in the history (the
    number of trials, as numbers have no gaps), so a trial a person left out of the
    history shifts no later trial back onto a point already taken. The scramble
    comes from ``scramble_seed`` rather than from the per-ask RNG: the sequence must
    be the same one across asks, and the per-ask RNG changes with every trial number.
    ``make_sampler(spec, seed=study_seed)`` fills ``scramble_seed`` with the study seed.

    Args:
        scramble_seed: Seed of the Sobol scramble (a non-negative int, default 0).
    """

    name = "qmc"

    title = "Quasi-random search (Sobol)"
    describe = "Spreads trials evenly over the space with a scrambled Sobol sequence; covers it faster than random."
    options = {"scramble_seed": 0}
    seed_option = "scramble_seed"

    def __init__(self, scramble_seed: int = 0):
        self.scramble_seed = scramble_seed

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        return {"scramble_seed": int_option(options, "scramble_seed", 0, SamplerError)}

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose params for one new trial; see ``Sampler.sample``. ``rng`` is not used.

        Raises:
            SamplerError: When the history already holds 2**30 trials.
        """
        index = max((trial.number for trial in trials), default=-1) + 1
        point = _sobol_point(len(space.params), index, self.scramble_seed)
        params = {}
        for param, u in zip(space.params, point):
            if space.is_active(param, params):
                params[param.name] = param.from_unit(float(u))
        return params


def _sobol_point(n_dims: int, index: int, scramble_seed: int) -> np.ndarray:
    if index >= _MAX_POINTS:
        raise SamplerError(f"the qmc sampler yields at most 2**30 points; this study has {index} trials")
    engine = qmc.Sobol(n_dims, scramble=True, rng=np.random.default_rng(scramble_seed))
    if index:
        # Skipping ahead (not drawing index + 1 points) keeps memory flat, and scipy
        # only warns about unbalanced draws when the first draw is not a power of 2.
        engine.fast_forward(index)
    return engine.random(1)[0]
