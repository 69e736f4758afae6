"""Pruners: decide from intermediate values whether a running trial should stop early."""

from .base import Pruner
from .halving import ASHAPruner
from .hyperband import Bracket, HyperbandPruner, hyperband_brackets
from .percentile import MedianPruner, PercentilePruner
from .registry import PRUNERS, make_pruner

__all__ = [
    "PRUNERS",
    "ASHAPruner",
    "Bracket",
    "HyperbandPruner",
    "MedianPruner",
    "PercentilePruner",
    "Pruner",
    "hyperband_brackets",
    "make_pruner",
]
