"""Benchmark problems shared by the sampler benchmarks: spaces in the public JSON format.

Each problem is minimised and has a known optimum, so a run's quality is its final
regret (best value found minus the optimum). The continuous ones reuse the built-in
benchmark functions of ``studies.objectives.functions``; ``mixed`` is ours: a log float,
ints (one log), a stepped float and two categoricals that change the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from studies.objectives.functions import (
    default_function_space,
    evaluate_function,
    function_optimum,
)


@dataclass(frozen=True)
class Problem:
    """One benchmark problem.

    Args:
        name: Short name used on the command line.
        space: The search space in the public JSON format.
        fn: params dict -> value (minimised).
        optimum: The known global minimum.
    """

    name: str
    space: dict
    fn: Callable[[dict], float]
    optimum: float


def _function_problem(name: str, function: str, dim: int) -> Problem:
    return Problem(
        name,
        default_function_space(function, dim),
        lambda params: evaluate_function(function, params),
        function_optimum(function, dim),
    )


MIXED_SPACE = {
    "lr": {"type": "float", "low": 1e-5, "high": 1.0, "log": True},
    "n_layers": {"type": "int", "low": 1, "high": 8},
    "units": {"type": "int", "low": 8, "high": 1024, "log": True},
    "dropout": {"type": "float", "low": 0.0, "high": 0.8, "step": 0.05},
    "activation": {"type": "categorical", "choices": ["relu", "tanh", "sigmoid", "linear"]},
    "optimizer": {"type": "categorical", "choices": ["sgd", "adam"]},
}
_ACTIVATION_COST = {"relu": 0.0, "tanh": 0.3, "sigmoid": 1.0, "linear": 2.0}
# The best learning rate depends on the optimizer, so the categorical matters jointly.
_BEST_LOG10_LR = {"adam": -2.5, "sgd": -1.0}
_OPTIMIZER_COST = {"adam": 0.0, "sgd": 0.2}


def mixed(params: dict) -> float:
    """A smooth stand-in for a network's validation loss; minimum 0 at adam, relu,
    lr = 10**-2.5, 3 layers, 128 units, dropout 0.2."""
    lr_gap = math.log10(params["lr"]) - _BEST_LOG10_LR[params["optimizer"]]
    return (
        lr_gap**2 / 2
        + 0.3 * (params["n_layers"] - 3) ** 2
        + 0.2 * (math.log2(params["units"]) - 7) ** 2
        + 2.0 * (params["dropout"] - 0.2) ** 2
        + _ACTIVATION_COST[params["activation"]]
        + _OPTIMIZER_COST[params["optimizer"]]
    )


PROBLEMS = {
    p.name: p
    for p in (
        _function_problem("branin", "branin", 2),
        _function_problem("hartmann6", "hartmann6", 6),
        _function_problem("rosenbrock8", "rosenbrock", 8),
        _function_problem("ackley6", "ackley", 6),
        _function_problem("styblinski_tang8", "styblinski_tang", 8),
        Problem("mixed", MIXED_SPACE, mixed, 0.0),
    )
}
