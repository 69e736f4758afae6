"""The small datasets bundled with scikit-learn; they load from disk, never download."""

from .errors import ObjectiveError

BUNDLED_DATASETS = {
    "iris": {
        "task": "classification", "n_rows": 150, "n_features": 4,
        "description": "Iris flowers: 3 species from sepal and petal sizes.",
    },
    "wine": {
        "task": "classification", "n_rows": 178, "n_features": 13,
        "description": "Wines: 3 cultivars from chemical analysis.",
    },
    "breast_cancer": {
        "task": "classification", "n_rows": 569, "n_features": 30,
        "description": "Breast tumours: malignant or benign from cell-nucleus measurements.",
    },
    "digits": {
        "task": "classification", "n_rows": 1797, "n_features": 64,
        "description": "Handwritten digits 0-9 as 8x8 grey-level images.",
    },
    "diabetes": {
        "task": "regression", "n_rows": 442, "n_features": 10,
        "description": "Diabetes: disease progression after one year from 10 baseline measures.",
    },
}

# The loaders by name: sklearn.datasets is imported when a dataset is loaded, not by every process
# that imports this module (a web process that never loads one is 3 MB smaller without it).
_LOADERS = {
    "iris": "load_iris",
    "wine": "load_wine",
    "breast_cancer": "load_breast_cancer",
    "digits": "load_digits",
    "diabetes": "load_diabetes",
}


def _load(name, **kwargs):
    from sklearn import datasets as skd

    return getattr(skd, _LOADERS[name])(**kwargs)


def load_bundled(name):
    """Load a bundled dataset as numeric arrays.

    Args:
        name: A key of `BUNDLED_DATASETS`.

    Returns:
        ``(X, y)``: a float array of shape (n_rows, n_features) and the target array.

    Raises:
        ObjectiveError: Unknown name (field ``objective.dataset``).

    Example:
        >>> X, y = load_bundled("iris")
        >>> X.shape
        (150, 4)
    """
    if not isinstance(name, str) or name not in _LOADERS:
        known = ", ".join(BUNDLED_DATASETS)
        message = f"unknown dataset {name!r}; choose one of {known} or an uploaded CSV"
        raise ObjectiveError("objective.dataset", message)
    return _load(name, return_X_y=True)
