"""The one way the engine turns a study seed into randomness."""

import numpy as np


def rng_for(seed: int, number: int) -> np.random.Generator:
    """The generator for the ask of trial ``number`` in a study seeded with ``seed``.

    The Django service and ``Optimizer`` both use it, so any worker reproduces any ask
    from the study seed and the trial number alone.

    Args:
        seed: The study seed, a non-negative int.
        number: The trial number, a non-negative int.

    Returns:
        ``np.random.default_rng([seed, number])``.

    Raises:
        ValueError: When either is not a non-negative int.

    Example:
        >>> float(rng_for(0, 3).random()) == float(rng_for(0, 3).random())
        True
    """
    for label, value in (("seed", seed), ("number", number)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{label} must be a non-negative integer, not {value!r}")
    return np.random.default_rng([int(seed), int(number)])
