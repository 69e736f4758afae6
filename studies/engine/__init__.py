"""The tuning engine: search spaces, samplers, pruners and an in-process ask/tell optimizer.

Pure Python, numpy and scipy; it never imports Django, DRF or Celery (a test checks).
Everything the Django side uses is exported here; the contract is docs/engine-contract.md.
"""

from .errors import GridExhausted, PrunerError, SamplerError, SearchSpaceError
from .optimizer import Optimizer
from .pareto import pareto_front
from .params import CategoricalParam, Condition, FloatParam, IntParam
from .pruners import PRUNERS, MedianPruner, Pruner, make_pruner
from .rng import rng_for
from .samplers import (
    MAX_GRID_POINTS,
    SAMPLERS,
    GridSampler,
    QMCSampler,
    RandomSampler,
    Sampler,
    make_sampler,
)
from .space import MAX_PARAMS, SearchSpace
from .trial import DIRECTIONS, TRIAL_STATES, TrialRecord

__all__ = [
    "CategoricalParam",
    "Condition",
    "DIRECTIONS",
    "FloatParam",
    "GridExhausted",
    "GridSampler",
    "IntParam",
    "MAX_GRID_POINTS",
    "MAX_PARAMS",
    "MedianPruner",
    "Optimizer",
    "PRUNERS",
    "Pruner",
    "PrunerError",
    "QMCSampler",
    "RandomSampler",
    "SAMPLERS",
    "Sampler",
    "SamplerError",
    "SearchSpace",
    "SearchSpaceError",
    "TRIAL_STATES",
    "TrialRecord",
    "make_pruner",
    "make_sampler",
    "pareto_front",
    "rng_for",
]
