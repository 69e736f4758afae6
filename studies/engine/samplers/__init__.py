"""Samplers: each proposes the params of one new trial from the space, the history and an RNG."""

from ..errors import GridExhausted, SamplerError
from .base import Sampler
from .grid import MAX_GRID_POINTS, GridSampler
from .qmc import QMCSampler
from .random import RandomSampler
from .registry import SAMPLERS, make_sampler

__all__ = [
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
