"""The sampler interface every sampler implements."""

from __future__ import annotations

from typing import ClassVar, Sequence, Union

import numpy as np

from ..space import SearchSpace
from ..specs import Configurable
from ..trial import TrialRecord

#: What every ``sample`` takes: the history (every trial so far, pending ones included) and
#: one direction per objective. One alias each so the subclasses' signatures stay one line.
History = Sequence[TrialRecord]
Directions = Sequence[str]


class Sampler(Configurable):
    """Proposes the params of one new trial from the space, the history and an RNG.

    A sampler is built from its settings alone and keeps no state between asks, so
    any worker given the same history and RNG proposes the same params.

    Class attributes:
        name: The short name used in JSON specs.
        title: Its name for people, as pages show it.
        describe: A one-line plain explanation for the UI.
        options: Option name -> default.
        seed_option: The option that takes the study seed when the spec leaves it out
            (see ``make_sampler``), or None.
        reads_history: False for a sampler whose proposal ignores the trials, so a caller
            may pass an empty history instead of loading it.
    """

    seed_option: ClassVar[Union[str, None]] = None
    reads_history: ClassVar[bool] = True

    def check(self, space: SearchSpace) -> None:
        """Refuse a space this sampler cannot serve; called when a study is created.

        Args:
            space: The study's search space.

        Raises:
            SamplerError: With the reason. The base sampler serves every space.
        """

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose params for one new trial.

        Args:
            space: The search space.
            trials: Every trial so far in any state, pending ones included, except those a
                person excluded from the results: their numbers are gaps.
            rng: The generator for this ask (``rng_for(seed, number)``).
            directions: "minimize" / "maximize" per objective.

        Returns:
            The active params only, as native Python values.
        """
        raise NotImplementedError
