"""A steady-state genetic algorithm over mixed and conditional spaces."""

from __future__ import annotations

import numpy as np

from ..space import SearchSpace
from ._genetic import GENETIC_OPTIONS, GeneticSampler, offspring
from ._history import scored_trials, single_objective
from .base import Directions, History
from .random import RandomSampler


class EvolutionSampler(GeneticSampler):
    """A genetic algorithm: breeds each new trial from two good ones.

    Stateless and steady-state: each ask takes as population the ``population_size``
    best scored trials in the history (complete ones by value, pruned ones by their
    last intermediate value; failed ones never), so the best trials always survive
    (elitism) and every told trial competes at once, whatever its generation. Two
    parents are chosen by binary tournament; the child takes each parameter from
    either parent (uniform crossover, with chance ``crossover_prob``) and then
    mutates each parameter with chance ``mutation_prob``: floats and ints by a
    gaussian step in unit coordinates (log-warped where ``log``, back on the step grid),
    categoricals by a jump to another choice. A conditional parameter the child needs
    is inherited from a parent that has it, or drawn fresh when neither does. A child
    equal to a trial already in the history (pending ones included) is bred again, up
    to a few times. The first ``n_startup_trials`` scored trials are random.

    Args:
        population_size: Best trials that may be parents (default 10, at least 2).
        n_startup_trials: Random trials first (default 10, at least 2).
        crossover_prob: Chance of uniform crossover (default 0.9).
        mutation_prob: Chance that each parameter mutates; null (default) means one
            over the number of parameters.
        mutation_scale: Standard deviation of a numeric mutation, as a fraction of the
            range in unit coordinates (default 0.1).
    """

    name = "evolution"

    title = "Genetic algorithm"
    describe = "Breeds new trials from the best ones so far by mixing and slightly changing their parameters; handles any kind of space."
    # A small population: selection pressure pays off within the short budgets of tuning.
    options = {**GENETIC_OPTIONS, "population_size": 10}

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose params for one new trial; see ``Sampler.sample``.

        Raises:
            SamplerError: For a multi-objective study (use nsga2).
        """
        sign = single_objective(directions, self.name)
        scored = scored_trials(trials, sign)
        if len(scored) < self.n_startup_trials:
            return RandomSampler().sample(space, trials, rng, directions)
        best = sorted(scored, key=lambda pair: (pair[1], pair[0].number))[: self.population_size]
        parents = [t.params for t, _ in best]
        return offspring(space, parents, np.arange(len(parents)), trials, rng, self)
