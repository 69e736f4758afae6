"""Default search spaces: the ranges a practitioner would tune first, per estimator.

Every key is a constructor argument of the scikit-learn class the estimator maps to, so a
trial's params go straight into the constructor. Ranges stay where one evaluation is
quick (at most 300 trees or boosting rounds, one hidden layer). The space of an objective
that lets Tuner choose the model (``"auto"`` or a list) is built from these, renamed
``<family>__<param>`` (`auto_search_space`; the naming rule is in `automl`).
"""

import copy

from .automl import FAMILY_PARAM, families, is_auto, prefixed
from .estimators import estimator_class


def _float(low, high, log=False):
    return {"type": "float", "low": low, "high": high} | ({"log": True} if log else {})


def _int(low, high, log=False, step=None):
    spec = {"type": "int", "low": low, "high": high} | ({"log": True} if log else {})
    return spec | ({"step": step} if step else {})


def _cat(*choices):
    return {"type": "categorical", "choices": list(choices)}


_SVM = {
    "C": _float(1e-3, 1e3, log=True),
    "kernel": _cat("rbf", "linear", "poly"),
    "gamma": _float(1e-4, 10.0, log=True) | {"condition": {"kernel": ["rbf", "poly"]}},
    "degree": _int(2, 5) | {"condition": {"kernel": ["poly"]}},
}

_FOREST = {
    "n_estimators": _int(50, 300, step=50),
    "max_depth": _int(2, 32, log=True),
    "min_samples_split": _int(2, 20),
    "min_samples_leaf": _int(1, 10),
    "max_features": _float(0.1, 1.0),
}

_COMMON = {
    "logistic_regression": {"C": _float(1e-4, 1e3, log=True)},
    "random_forest": _FOREST,
    "extra_trees": _FOREST,
    "hist_gradient_boosting": {
        "learning_rate": _float(0.01, 0.3, log=True),
        "max_iter": _int(50, 300, step=50),
        "max_leaf_nodes": _int(8, 128, log=True),
        "min_samples_leaf": _int(5, 100, log=True),
        "l2_regularization": _float(1e-6, 10.0, log=True),
    },
    "svm": _SVM,
    "knn": {
        "n_neighbors": _int(1, 30, log=True),
        "weights": _cat("uniform", "distance"),
        "p": _int(1, 2),
    },
    "mlp": {
        "hidden_layer_sizes": _int(8, 256, log=True),  # an int means one hidden layer
        "activation": _cat("relu", "tanh"),
        "alpha": _float(1e-6, 1e-1, log=True),
        "learning_rate_init": _float(1e-4, 1e-1, log=True),
    },
    "ridge": {"alpha": _float(1e-4, 1e3, log=True)},
    "elastic_net": {"alpha": _float(1e-4, 10.0, log=True), "l1_ratio": _float(0.0, 1.0)},
}

_REGRESSION_ONLY = {"svm": {"epsilon": _float(1e-3, 1.0, log=True)}}

# Where a search starts: scikit-learn's defaults where the space holds them. Otherwise:
# max_depth None -> 32 (the top of the range, unlimited for the data sizes we see);
# max_features "sqrt" -> 0.5 and gamma "scale" (1 / n_features on scaled data) -> 0.1,
# values for about ten features; l2_regularization 0 -> the bottom of its log range; and
# elastic_net's alpha 1.0, which on a standardised target leaves almost nothing of the
# model (r2 near 0 on every bench dataset), -> 0.01.
_FOREST_START = {"n_estimators": 100, "max_depth": 32, "min_samples_split": 2, "min_samples_leaf": 1}
_START = {
    "logistic_regression": {"C": 1.0},
    "random_forest": _FOREST_START,
    "extra_trees": _FOREST_START,
    "hist_gradient_boosting": {
        "learning_rate": 0.1, "max_iter": 100, "max_leaf_nodes": 31, "min_samples_leaf": 20,
        "l2_regularization": 1e-6,
    },
    "svm": {"C": 1.0, "kernel": "rbf", "gamma": 0.1},
    "knn": {"n_neighbors": 5, "weights": "uniform", "p": 2},
    "mlp": {"hidden_layer_sizes": 100, "activation": "relu", "alpha": 1e-4, "learning_rate_init": 1e-3},
    "ridge": {"alpha": 1.0},
    "elastic_net": {"alpha": 0.01, "l1_ratio": 0.5},
}
_START_BY_TASK = {
    ("random_forest", "classification"): {"max_features": 0.5},
    ("random_forest", "regression"): {"max_features": 1.0},
    ("extra_trees", "classification"): {"max_features": 0.5},
    ("extra_trees", "regression"): {"max_features": 1.0},
    ("svm", "regression"): {"epsilon": 0.1},
}


def default_search_space(estimator, task):
    """Return the default search space for an estimator and task, in the public JSON format.

    Args:
        estimator: A key of `ESTIMATORS`, e.g. ``"svm"``; or ``"auto"`` or a list of
            names, for which the space is `auto_search_space`.
        task: ``"classification"`` or ``"regression"``.

    Returns:
        A fresh dict name -> parameter spec; the caller may change it freely.

    Raises:
        ObjectiveError: Unknown estimator, or one that does not serve the task.

    Example:
        >>> default_search_space("svm", "classification")["degree"]["condition"]
        {'kernel': ['poly']}
    """
    if is_auto(estimator):
        return auto_search_space(estimator, task)
    estimator_class(estimator, task)
    space = _COMMON[estimator]
    if task == "regression":
        space = space | _REGRESSION_ONLY.get(estimator, {})
    return copy.deepcopy(space)


def initial_params(estimator, task):
    """Return the params to try first: each family at its usual settings.

    A search that starts from every family's usual settings (scikit-learn's defaults
    where the default space holds them; see ``_START``) is never worse than the best
    family at those settings, and the sampler learns early which families suit the data.

    Args:
        estimator: One estimator name, ``"auto"`` or a list of names.
        task: ``"classification"`` or ``"regression"``.

    Returns:
        A list of params, one per family in the order of `automl.families`, named as the
        default search space names them (``<family>__<param>`` plus ``estimator`` for
        ``"auto"`` and lists); each fits `default_search_space` of the same arguments.

    Raises:
        ObjectiveError: As `default_search_space`.

    Example:
        >>> initial_params(["ridge"], "regression")
        [{'estimator': 'ridge', 'ridge__alpha': 1.0}]
    """
    if not is_auto(estimator):
        estimator_class(estimator, task)
        return [_start(estimator, task)]
    chosen = []
    for name in families(estimator, task):
        own = {prefixed(name, key): value for key, value in _start(name, task).items()}
        chosen.append({FAMILY_PARAM: name} | own)
    return chosen


def _start(estimator, task):
    start = _START[estimator] | _START_BY_TASK.get((estimator, task), {})
    return {key: start[key] for key in default_search_space(estimator, task) if key in start}


def auto_search_space(estimator, task):
    """Return the search space over several families, in the public JSON format.

    Args:
        estimator: ``"auto"`` or a list of estimator names.
        task: ``"classification"`` or ``"regression"``.

    Returns:
        A fresh dict: ``estimator`` (categorical over the families), then each family's
        default space with names ``<family>__<param>`` and a condition on its family.

    Raises:
        ObjectiveError: As `families`.

    Example:
        >>> space = auto_search_space(["ridge", "svm"], "regression")
        >>> space["estimator"]["choices"], space["svm__gamma"]["condition"]
        (['ridge', 'svm'], {'svm__kernel': ['rbf', 'poly']})
    """
    names = families(estimator, task)
    space = {FAMILY_PARAM: {"type": "categorical", "choices": list(names)}}
    for name in names:
        for key, spec in default_search_space(name, task).items():
            inner = spec.pop("condition", None)
            if inner is None:
                condition = {FAMILY_PARAM: [name]}
            else:
                condition = {prefixed(name, parent): values for parent, values in inner.items()}
            space[prefixed(name, key)] = spec | {"condition": condition}
    return space
