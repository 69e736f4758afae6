"""Default search spaces: the ranges a practitioner would tune first, per estimator.

Every key is a constructor argument of the scikit-learn class the estimator maps to, so a
trial's params go straight into the constructor. Ranges stay where one evaluation is
quick (at most 300 trees or boosting rounds, one hidden layer).
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
