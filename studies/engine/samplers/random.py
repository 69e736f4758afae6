"""Independent uniform sampling: the baseline every other sampler must beat."""

from __future__ import annotations

import numpy as np

from ..space import SearchSpace
from .base import Directions, History, Sampler


class RandomSampler(Sampler):
    """Draws each active parameter independently and uniformly in its own space.

    Floats are uniform (log-uniform where ``log``), stepped floats and ints uniform over
    their grid with ``high`` included, categoricals uniform over the choices. Conditional
    parameters are drawn only when their condition holds.

    Example:
        >>> from studies.engine import SearchSpace, rng_for
        >>> space = SearchSpace.from_json({"x": {"type": "int", "low": 1, "high": 3}})
        >>> RandomSampler().sample(space, [], rng_for(0, 0), ["minimize"])["x"] in (1, 2, 3)
        True
    """

    name = "random"

    title = "Random search"
    reads_history = False
    describe = "Picks every parameter at random, independently; a strong baseline that runs well in parallel."

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose params for one new trial; see ``Sampler.sample``. The history is not used."""
        params = {}
        for param in space.params:
            if space.is_active(param, params):
                params[param.name] = param.from_unit(rng.random())
        return params
