"""Samplers: each proposes the params of one new trial from the space, the history and an RNG."""

from ..errors import GridExhausted, SamplerError
from .base import Sampler
from .cma import CMAESSampler
from .evolution import EvolutionSampler
from .gp import GPSampler
from .grid import MAX_GRID_POINTS, GridSampler
from .nsga2 import NSGA2Sampler
from .qmc import QMCSampler
from .random import RandomSampler
from .registry import SAMPLERS, make_sampler

__all__ = [
    "CMAESSampler",
    "EvolutionSampler",
    "GPSampler",
    "NSGA2Sampler",
    "GridExhausted",
    "GridSampler",
    "MAX_GRID_POINTS",
    "QMCSampler",
    "RandomSampler",
    "SAMPLERS",
    "Sampler",
    "SamplerError",
    "make_sampler",
]
