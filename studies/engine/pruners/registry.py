"""The named pruners and the factory that builds one from a JSON spec."""

from __future__ import annotations

from typing import Any, Union

from ..errors import PrunerError
from ..specs import check_option_names, split_spec
from .base import Pruner
from .halving import ASHAPruner
from .hyperband import HyperbandPruner
from .percentile import MedianPruner, PercentilePruner

PRUNERS = {cls.name: cls for cls in (MedianPruner, PercentilePruner, ASHAPruner, HyperbandPruner)}


def make_pruner(spec: Any) -> Union[Pruner, None]:
    """Build a pruner from its JSON spec.

    Args:
        spec: None for no pruning, a name (``"median"``), or an object
            ``{"name": "median", "n_warmup_steps": 3}``.

    Returns:
        The pruner, or None.

    Raises:
        PrunerError: Naming an unknown pruner or option, or saying which value is invalid.

    Example:
        >>> make_pruner({"name": "median", "n_startup_trials": 3})
        MedianPruner(n_startup_trials=3, n_warmup_steps=0)
    """
    if spec is None:
        return None
    cls, options = split_spec(spec, "pruner", PRUNERS, PrunerError)
    check_option_names(cls, options, "pruner", PrunerError)
    return cls.from_options(options)
