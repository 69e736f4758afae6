"""The named samplers and the factory that builds one from a JSON spec."""

from __future__ import annotations

from typing import Any, Union

from ..errors import SamplerError
from ..specs import check_option_names, split_spec
from .base import Sampler
from .grid import GridSampler
from .qmc import QMCSampler
from .random import RandomSampler

SAMPLERS = {cls.name: cls for cls in (RandomSampler, GridSampler, QMCSampler)}


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
