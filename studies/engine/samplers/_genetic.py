"""Genetic operators shared by the evolution and nsga2 samplers.

Parents are plain params dicts from the history; a child is built parameter by
parameter in ``space.params`` order (parents before children), so conditions are
decided as the child's own categorical values are chosen.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ..errors import SamplerError, SearchSpaceError
from ..params import CategoricalParam, FloatParam
from ..space import SearchSpace
from ..specs import int_option
from ..trial import TrialRecord
from ._options import float_option
from .base import Sampler

# Attempts at a child that no trial in the history already has, before accepting a repeat.
_MAX_ATTEMPTS = 8

GENETIC_OPTIONS = {
    "population_size": 20,
    "n_startup_trials": 10,
    "crossover_prob": 0.9,
    "mutation_prob": None,
    "mutation_scale": 0.1,
}



class GeneticSampler(Sampler):
    """The settings that the genetic samplers (evolution, nsga2) share.

    Args:
        population_size: Trials a generation keeps as parents; default the subclass's.
        n_startup_trials: Random trials before breeding starts.
        crossover_prob: Chance that a child mixes two parents rather than copying one.
        mutation_prob: Chance that each parameter mutates; None for 1 / number of parameters.
        mutation_scale: Standard deviation of a numeric mutation, as a share of the range
            in unit coordinates.
    """

    options = dict(GENETIC_OPTIONS)

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        return checked_genetic_options(options)

def checked_genetic_options(options: Mapping) -> dict:
    """Check the options the genetic samplers share.

    Args:
        options: The options, defaults filled in.

    Returns:
        The checked options.

    Raises:
        SamplerError: Naming the invalid option.
    """
    mutation_prob = options["mutation_prob"]
    return {
        "population_size": int_option(options, "population_size", 2, SamplerError),
        "n_startup_trials": int_option(options, "n_startup_trials", 2, SamplerError),
        "crossover_prob": _probability(options, "crossover_prob"),
        "mutation_prob": None if mutation_prob is None else _probability(options, "mutation_prob"),
        "mutation_scale": float_option(options, "mutation_scale", 0.0, 1.0),
    }


def _probability(options: Mapping, key: str) -> float:
    value = options[key]
    if not isinstance(value, bool) and value == 0:
        return 0.0
    return float_option(options, key, 0.0, 1.0)


def tournament(order: np.ndarray, rng: np.random.Generator, size: int = 2) -> int:
    """Binary (or larger) tournament: the best-ranked of ``size`` members drawn at random.

    Args:
        order: Rank of each population member (lower is better, all distinct).
        rng: The ask's generator.
        size: Members drawn.

    Returns:
        The index of the winner.
    """
    drawn = rng.choice(len(order), size=min(size, len(order)), replace=False)
    return int(drawn[np.argmin(order[drawn])])


def offspring(
    space: SearchSpace,
    parents: Sequence[Mapping],
    order: np.ndarray,
    trials: Sequence[TrialRecord],
    rng: np.random.Generator,
    settings,
) -> dict:
    """Select two parents by tournament and breed a child not already in the history.

    Args:
        space: The search space.
        parents: Params of the population members.
        order: Their ranks (lower is better, distinct).
        trials: The history, pending trials included (repeats of any are avoided).
        rng: The ask's generator.
        settings: An object with ``crossover_prob``, ``mutation_prob`` (None for one
            over the number of parameters) and ``mutation_scale``.

    Returns:
        The child's active params, as native Python values.
    """
    mutation_prob = settings.mutation_prob if settings.mutation_prob is not None else 1.0 / len(space.params)
    for _ in range(_MAX_ATTEMPTS):
        first = tournament(order, rng)
        second = tournament(order, rng)
        child = make_child(space, parents[first], parents[second], rng, settings.crossover_prob, mutation_prob, settings.mutation_scale)
        # Plain dict equality (C speed) is enough here: a rare false match only costs a retry.
        if not any(t.params == child for t in trials):
            break
    return child


def make_child(space: SearchSpace, a: Mapping, b: Mapping, rng, crossover_prob: float, mutation_prob: float, scale: float) -> dict:
    """Uniform crossover of two parents, then per-parameter mutation.

    With probability ``crossover_prob`` each parameter comes from either parent with
    equal chance, else every parameter comes from ``a``. A parameter the child needs
    comes from the one parent that has it when only one does (it was inactive in the
    other), and is drawn fresh when neither has it.

    Args:
        space: The search space.
        a, b: The parents' params.
        rng: The ask's generator.
        crossover_prob: Chance of crossover.
        mutation_prob: Chance that each parameter mutates.
        scale: Standard deviation of a numeric mutation in unit coordinates.

    Returns:
        The child's active params.
    """
    crossing = rng.random() < crossover_prob
    child = {}
    for p in space.params:
        if not space.is_active(p, child):
            continue
        sources = [parent for parent in (a, b) if p.name in parent]
        if crossing and len(sources) == 2:
            sources = [sources[int(rng.integers(2))]]
        value = _inherit(p, sources[0][p.name]) if sources else None
        if value is None:
            value = p.from_unit(rng.random())
        elif rng.random() < mutation_prob:
            value = mutate(p, value, rng, scale)
        child[p.name] = value
    return child


def mutate(p, value, rng: np.random.Generator, scale: float):
    """Mutate one value respecting its parameter's type.

    Categoricals jump to another choice at random. Floats and ints take a gaussian
    step of ``scale`` in unit coordinates (log-warped where ``log``), reflected at the
    bounds and put back on their grid; an int or stepped float whose step did not
    leave its cell moves to the neighbouring value in the step's direction.

    Args:
        p: The parameter.
        value: Its current value.
        rng: The ask's generator.
        scale: Standard deviation in unit coordinates.

    Returns:
        The new value, a native Python value of the parameter's type.
    """
    if isinstance(p, CategoricalParam):
        others = [c for c in p.choices if p.index_of(c) != p.index_of(value)]
        return others[int(rng.integers(len(others)))] if others else value
    u = p.to_unit(value)
    step = rng.normal(0.0, scale)
    new = p.from_unit(_reflect(u + step))
    discrete = not (isinstance(p, FloatParam) and p.step is None)
    push = 1e-3 if step >= 0 else -1e-3
    while discrete and new == value and abs(push) < 2.0:
        new = p.from_unit(_reflect(u + push))
        push *= 2
    return new


def _reflect(u: float) -> float:
    u = abs(u) % 2.0
    return 2.0 - u if u > 1.0 else u


def _inherit(p, value):
    try:
        return p.validate_value(value)
    except SearchSpaceError:
        return None
