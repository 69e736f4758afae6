"""The named samplers and the factory that builds one from a JSON spec."""

from __future__ import annotations

from typing import Any, Union

from ..errors import SamplerError
from ..specs import check_option_names, split_spec
from .auto import AutoSampler
from .base import Sampler
from .cma import CMAESSampler
from .evolution import EvolutionSampler
from .gp import GPSampler
from .grid import GridSampler
from .nsga2 import NSGA2Sampler
from .qmc import QMCSampler
from .random import RandomSampler
from .tpe import TPESampler

# auto comes first: it is the default for new studies, and the page lists samplers in this order.
SAMPLERS = {
    cls.name: cls
    for cls in (
        AutoSampler, TPESampler, RandomSampler, GridSampler, QMCSampler,
        GPSampler, CMAESSampler, EvolutionSampler, NSGA2Sampler,
    )
}


def make_sampler(spec: Any, seed: Union[int, None] = None) -> Sampler:
    """Build a sampler from its JSON spec.

    Args:
        spec: A name (``"random"``) or an object ``{"name": "grid", "grid_points": 5}``.
            A ``"seed"`` key is ignored: the study owns the seed.
        seed: The study seed. A sampler that needs a stable per-study seed (qmc's
            ``scramble_seed``) takes it from here unless the spec sets that option.

    Returns:
        The sampler.

    Raises:
        SamplerError: Naming an unknown sampler or option, or saying which value is invalid.

    Example:
        >>> make_sampler({"name": "grid", "grid_points": 5})
        GridSampler(grid_points=5)
    """
    cls, options = split_spec(spec, "sampler", SAMPLERS, SamplerError)
    options.pop("seed", None)
    check_option_names(cls, options, "sampler", SamplerError)
    if seed is not None and cls.seed_option is not None:
        options.setdefault(cls.seed_option, seed)
    return cls.from_options(options)
