"""The small datasets bundled with scikit-learn; they load from disk, never download."""

from sklearn import datasets as skd

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

_LOADERS = {
    "iris": skd.load_iris,
    "wine": skd.load_wine,
    "breast_cancer": skd.load_breast_cancer,
    "digits": skd.load_digits,
    "diabetes": skd.load_diabetes,
}


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
    return _LOADERS[name](return_X_y=True)
