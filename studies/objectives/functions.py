"""Benchmark functions with known global minima, for testing samplers end to end.

Params are the search-space values taken in sorted name order as x1..xn: a study over
``{"a": ..., "b": ...}`` evaluates f(x1=a, x2=b). Sorting is plain string order, so
``"x10"`` sorts before ``"x2"``; `default_function_space` zero-pads names (``x01``..``x10``)
when there are ten or more. All functions are minimised.

Three of them are constrained problems (``branin_disc``, ``gramacy``, ``gardner``): each
trial also gets the function's constraint values, feasible when every one is <= 0 (Optuna's
convention), and the known minimum is the best *feasible* value. ``bench/constraints.py``
races the samplers on these same definitions.
"""

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.optimize import rosen

from .errors import ObjectiveError

DEFAULT_DIM = 5  # for the N-dimensional functions: small enough to solve, big enough to be hard

_HARTMANN6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_HARTMANN6_A = np.array([
    [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
    [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
    [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
    [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
])
_HARTMANN6_P = 1e-4 * np.array([
    [1312, 1696, 5569, 124, 8283, 5886],
    [2329, 4135, 8307, 3736, 1004, 9991],
    [2348, 1451, 3522, 2883, 3047, 6650],
    [4047, 8828, 8732, 5743, 1091, 381],
])
_STYBLINSKI_TANG_ARGMIN = -2.903534027771177
_STYBLINSKI_TANG_MIN_PER_DIM = -39.16616570377142


def _branin(x):
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10


def _branin_disc(x):
    # Gardner et al. (2014), section 5: a disc that leaves out two of Branin's three minima.
    return [(x[0] - 2.5) ** 2 + (x[1] - 7.5) ** 2 - 50.0]


def _gramacy(x):
    return x[0] + x[1]


def _gramacy_constraints(x):
    # Gramacy et al. (2016)'s toy problem: a wavy and a round constraint; the wavy one is
    # active at the optimum.
    wavy = 1.5 - x[0] - 2 * x[1] - 0.5 * math.sin(2 * math.pi * (x[0] ** 2 - 2 * x[1]))
    return [wavy, x[0] ** 2 + x[1] ** 2 - 1.5]


def _gardner(x):
    return math.cos(2 * x[0]) * math.cos(x[1]) + math.sin(x[0])


def _gardner_constraints(x):
    # Gardner et al. (2014), figure 2: the optimum is feasible; the constraint cuts away other basins.
    return [math.cos(x[0]) * math.cos(x[1]) - math.sin(x[0]) * math.sin(x[1]) - 0.5]


def _hartmann6(x):
    inner = np.sum(_HARTMANN6_A * (x - _HARTMANN6_P) ** 2, axis=1)
    return -np.sum(_HARTMANN6_ALPHA * np.exp(-inner))


def _ackley(x):
    mean_sq, mean_cos = np.mean(x**2), np.mean(np.cos(2 * math.pi * x))
    return -20 * math.exp(-0.2 * math.sqrt(mean_sq)) - math.exp(mean_cos) + 20 + math.e


def _sphere(x):
    return np.sum(x**2)


def _styblinski_tang(x):
    return 0.5 * np.sum(x**4 - 16 * x**2 + 5 * x)


@dataclass(frozen=True)
class Benchmark:
    """One benchmark function: its formula, domain, known minimum and, for a constrained
    problem, its constraints.

    ``dim`` is fixed for branin, hartmann6 and the constrained problems and ``None`` for the
    N-dimensional ones, which accept any dimension from ``min_dim`` up. ``constraints`` maps
    a point to a list of values, feasible when all are <= 0; then ``minimum`` and ``argmin``
    are those of the best feasible point.
    """

    fn: Callable
    dim: int | None
    min_dim: int
    bounds: tuple  # (low, high) per dimension when dim is fixed, else one pair for all
    minimum: Callable  # dim -> known global minimum
    argmin: Callable  # dim -> one point where the minimum is attained
    constraints: Callable | None = None

    def bounds_for(self, dim):
        """Return the list of (low, high) pairs for a given dimension."""
        return list(self.bounds) if self.dim else [self.bounds] * dim


BENCHMARKS = {
    "branin": Benchmark(
        _branin, 2, 2, ((-5.0, 10.0), (0.0, 15.0)),
        lambda d: 0.397887357729738, lambda d: [math.pi, 2.275],
    ),
    "hartmann6": Benchmark(
        _hartmann6, 6, 6, ((0.0, 1.0),) * 6, lambda d: -3.32236801141551,
        lambda d: [0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054],
    ),
    "rosenbrock": Benchmark(rosen, None, 2, (-5.0, 10.0), lambda d: 0.0, lambda d: [1.0] * d),
    "ackley": Benchmark(_ackley, None, 1, (-32.768, 32.768), lambda d: 0.0, lambda d: [0.0] * d),
    "sphere": Benchmark(_sphere, None, 1, (-5.12, 5.12), lambda d: 0.0, lambda d: [0.0] * d),
    "styblinski_tang": Benchmark(
        _styblinski_tang, None, 1, (-5.0, 5.0),
        lambda d: _STYBLINSKI_TANG_MIN_PER_DIM * d, lambda d: [_STYBLINSKI_TANG_ARGMIN] * d,
    ),
    "branin_disc": Benchmark(
        _branin, 2, 2, ((-5.0, 10.0), (0.0, 15.0)),
        lambda d: 0.397887357729738, lambda d: [math.pi, 2.275], _branin_disc,
    ),
    # The optimum from SLSQP started on a 21 x 21 grid of the unit square; argmin rounded
    # up, so that it stays feasible.
    "gramacy": Benchmark(
        _gramacy, 2, 2, ((0.0, 1.0), (0.0, 1.0)),
        lambda d: 0.599788052010052, lambda d: [0.1951227, 0.4046654], _gramacy_constraints,
    ),
    "gardner": Benchmark(
        _gardner, 2, 2, ((0.0, 6.0), (0.0, 6.0)), lambda d: -2.0, lambda d: [1.5 * math.pi, 0.0],
        _gardner_constraints,
    ),
}


def default_function_space(name, dim=None):
    """Return the standard search domain of a benchmark function, in the public JSON format.

    Args:
        name: A key of `BENCHMARKS`.
        dim: The dimension for the N-dimensional functions (default `DEFAULT_DIM`);
            must be left out, or equal the fixed dimension, for branin and hartmann6.

    Returns:
        ``{"x1": {"type": "float", "low": ..., "high": ...}, ...}``, names zero-padded
        when there are ten or more so that sorted order is x1..xn.

    Raises:
        ObjectiveError: Unknown name or unsupported dimension.

    Example:
        >>> default_function_space("branin")["x2"]
        {'type': 'float', 'low': 0.0, 'high': 15.0}
    """
    bench = _benchmark(name)
    dim = _check_dim(name, bench, dim if dim is not None else bench.dim or DEFAULT_DIM)
    width = len(str(dim))
    return {
        f"x{i + 1:0{width}d}": {"type": "float", "low": low, "high": high}
        for i, (low, high) in enumerate(bench.bounds_for(dim))
    }


def function_optimum(name, dim):
    """Return the known global minimum of a benchmark function in ``dim`` dimensions (the best
    feasible value for a constrained one).

    Raises:
        ObjectiveError: Unknown name or unsupported dimension.

    Example:
        >>> function_optimum("styblinski_tang", 2)
        -78.33233140754284
    """
    bench = _benchmark(name)
    return float(bench.minimum(_check_dim(name, bench, dim)))


def evaluate_function(name, params):
    """Evaluate a benchmark function at params taken in sorted name order as x1..xn.

    Args:
        name: A key of `BENCHMARKS`.
        params: Mapping of parameter name to a real number.

    Returns:
        The function value as a float.

    Raises:
        ObjectiveError: Unknown name, a non-numeric param (field ``params.<name>``), or a
            number of params the function does not accept (field ``params``).
    """
    bench = _benchmark(name)
    return float(bench.fn(_point(name, bench, params)))


def function_constraints(name, params):
    """Return the constraint values of a constrained benchmark at params, or None for the others.

    Args:
        name: A key of `BENCHMARKS`.
        params: As for `evaluate_function`.

    Returns:
        A list of floats, the point being feasible when every one is <= 0; None when the
        function has no constraints.

    Raises:
        ObjectiveError: As for `evaluate_function`.

    Example:
        >>> function_constraints("gardner", {"x1": 1.5 * math.pi, "x2": 0.0})
        [-0.5]
    """
    bench = _benchmark(name)
    if bench.constraints is None:
        return None
    return [float(value) for value in bench.constraints(_point(name, bench, params))]


def _point(name, bench, params):
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ObjectiveError(f"params.{key}", f"{name} needs real numbers; got {value!r}")
    _check_dim(name, bench, len(params), field="params")
    return np.array([params[key] for key in sorted(params)], dtype=float)


def _benchmark(name):
    if not isinstance(name, str) or name not in BENCHMARKS:
        known = ", ".join(BENCHMARKS)
        raise ObjectiveError("objective.name", f"unknown function {name!r}; choose one of {known}")
    return BENCHMARKS[name]


def _check_dim(name, bench, dim, field="objective.name"):
    if bench.dim is not None and dim != bench.dim:
        raise ObjectiveError(field, f"{name} takes exactly {bench.dim} params; got {dim}")
    if dim < bench.min_dim:
        raise ObjectiveError(field, f"{name} takes at least {bench.min_dim} params; got {dim}")
    return dim
