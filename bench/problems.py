"""Benchmark problems shared by the sampler benchmarks: spaces in the public JSON format.

Each problem is minimised, and a run's quality is its final regret: the best value found
minus the optimum. The continuous ones reuse the built-in benchmark functions of
``studies.objectives.functions``, plus Levy 10-D and a rotated Styblinski-Tang 8-D (the
separable function turned so that no parameter can be solved alone); ``mixed`` is ours: a
log float, ints (one log), a stepped float and two categoricals that change the answer.
``svr_diabetes`` and ``enet_diabetes`` are real scikit-learn cross-validations (3-fold
mean squared error on scikit-learn's bundled diabetes data) over log floats, ints and
categoricals; their optimum is unknown (``None``), and the bench takes the best value any
run found as the best known.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable, Union

import numpy as np

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
        optimum: The known global minimum, or None when unknown (the sklearn problems).
    """

    name: str
    space: dict
    fn: Callable[[dict], float]
    optimum: Union[float, None]


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


def _vector(params: dict) -> np.ndarray:
    return np.array([params[key] for key in sorted(params)], dtype=float)


def _float_space(dim: int, low: float, high: float) -> dict:
    return {f"x{i + 1:02d}": {"type": "float", "low": low, "high": high} for i in range(dim)}


def levy(params: dict) -> float:
    """Levy's function (any dimension; minimum 0 at x = 1), on [-10, 10] per dimension."""
    w = 1 + (_vector(params) - 1) / 4
    head = np.sin(np.pi * w[0]) ** 2
    middle = np.sum((w[:-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * w[:-1] + 1) ** 2))
    tail = (w[-1] - 1) ** 2 * (1 + np.sin(2 * np.pi * w[-1]) ** 2)
    return float(head + middle + tail)


_ST_DIM = 8
_ST_ARGMIN = np.full(_ST_DIM, -2.903534027771177)
# A fixed random rotation about the optimum (QR of a Gaussian matrix, seed 0): the optimum
# and its value stay where they were, but every parameter now interacts with the others.
_ST_ROTATION = np.linalg.qr(np.random.default_rng(0).standard_normal((_ST_DIM, _ST_DIM)))[0]


def rotated_styblinski_tang(params: dict) -> float:
    """Styblinski-Tang 8-D at ``x* + R (x - x*)``; minimum 8 x -39.166 at x* = -2.9035."""
    z = _ST_ARGMIN + _ST_ROTATION @ (_vector(params) - _ST_ARGMIN)
    return float(0.5 * np.sum(z**4 - 16 * z**2 + 5 * z))


# ----- real scikit-learn cross-validations ------------------------------------------------

_DATA = {}


def _diabetes() -> tuple:
    """The bundled diabetes data (442 rows, 10 features), target standardised; loaded once per process."""
    if "diabetes" not in _DATA:
        from sklearn.datasets import load_diabetes

        x, y = load_diabetes(return_X_y=True)
        _DATA["diabetes"] = (x, (y - y.mean()) / y.std())
    return _DATA["diabetes"]


def _cv_mse(model) -> float:
    from sklearn.model_selection import KFold, cross_val_score

    x, y = _diabetes()
    scores = cross_val_score(model, x, y, cv=KFold(3, shuffle=True, random_state=0), scoring="neg_mean_squared_error")
    return float(-scores.mean())


SVR_SPACE = {
    "C": {"type": "float", "low": 1e-2, "high": 1e2, "log": True},
    "epsilon": {"type": "float", "low": 1e-3, "high": 1.0, "log": True},
    "gamma": {"type": "float", "low": 1e-4, "high": 1.0, "log": True},
    "kernel": {"type": "categorical", "choices": ["rbf", "poly", "sigmoid"]},
    "degree": {"type": "int", "low": 1, "high": 4},
    "scaler": {"type": "categorical", "choices": ["standard", "minmax", "quantile"]},
}


def _scaler(name: str):
    from sklearn.preprocessing import MinMaxScaler, QuantileTransformer, RobustScaler, StandardScaler

    return {
        "standard": StandardScaler,
        "minmax": MinMaxScaler,
        "robust": RobustScaler,
        "quantile": lambda: QuantileTransformer(n_quantiles=100),
    }[name]()


def svr_diabetes(params: dict) -> float:
    """3-fold CV mean squared error of a scaler + SVR (kernel, C, epsilon, gamma, degree)."""
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVR

    model = SVR(kernel=params["kernel"], C=params["C"], epsilon=params["epsilon"], gamma=params["gamma"],
                degree=params["degree"], coef0=1.0, max_iter=5_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the iteration cap: some kernels stop early, as in a real search
        return _cv_mse(make_pipeline(_scaler(params["scaler"]), model))


ENET_SPACE = {
    "alpha": {"type": "float", "low": 1e-4, "high": 10.0, "log": True},
    "l1_ratio": {"type": "float", "low": 0.0, "high": 1.0},
    "degree": {"type": "int", "low": 1, "high": 3},
    "interaction_only": {"type": "categorical", "choices": [True, False]},
    "scaler": {"type": "categorical", "choices": ["standard", "robust", "quantile"]},
    "n_bins": {"type": "int", "low": 2, "high": 64, "log": True},
    "bin_bmi": {"type": "categorical", "choices": [False, True]},
}


def enet_diabetes(params: dict) -> float:
    """3-fold CV mean squared error of a scaler, polynomial features (degree, interactions
    only or not), optionally the body-mass index cut into ``n_bins`` quantile bins, and an
    elastic net (alpha, l1_ratio)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import ElasticNet
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import KBinsDiscretizer, PolynomialFeatures

    features = [("poly", PolynomialFeatures(params["degree"], interaction_only=params["interaction_only"],
                                            include_bias=False), list(range(10)))]
    if params["bin_bmi"]:
        bins = KBinsDiscretizer(n_bins=params["n_bins"], encode="onehot-dense", strategy="quantile",
                                quantile_method="averaged_inverted_cdf")
        features.append(("bmi_bins", bins, [2]))
    model = ElasticNet(alpha=params["alpha"], l1_ratio=params["l1_ratio"], max_iter=300, tol=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _cv_mse(make_pipeline(_scaler(params["scaler"]), ColumnTransformer(features), model))


PROBLEMS = {
    p.name: p
    for p in (
        _function_problem("branin", "branin", 2),
        _function_problem("hartmann6", "hartmann6", 6),
        _function_problem("rosenbrock8", "rosenbrock", 8),
        _function_problem("ackley6", "ackley", 6),
        _function_problem("styblinski_tang8", "styblinski_tang", 8),
        Problem("mixed", MIXED_SPACE, mixed, 0.0),
        Problem("levy10", _float_space(10, -10.0, 10.0), levy, 0.0),
        Problem("rotated_styblinski_tang8", _float_space(_ST_DIM, -5.0, 5.0), rotated_styblinski_tang,
                _ST_DIM * -39.16616570377142),
        Problem("svr_diabetes", SVR_SPACE, svr_diabetes, None),
        Problem("enet_diabetes", ENET_SPACE, enet_diabetes, None),
    )
}
