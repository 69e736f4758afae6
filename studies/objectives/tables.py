"""The table a built-in objective learns from: features, target, column names and kinds, task.

One loader for everything that fits the study's model (baseline, explanations, predictions,
and trials and the best-model refit once they move to it), so all of them see the same
rows and columns: missing targets dropped and excluded columns left out the same way.
"""

from dataclasses import dataclass

import numpy as np

from .csvdata import load_csv
from .datasets import _LOADERS, BUNDLED_DATASETS, load_bundled
from .errors import CsvError, ObjectiveError


@dataclass(frozen=True)
class Table:
    """Features and target ready for scikit-learn.

    Attributes:
        X: Features, one column per name in ``kinds`` (see `load_csv` for the dtypes).
        y: The target.
        kinds: Feature name -> ``"numeric"`` or ``"categorical"``, in X's column order.
        target: The target's name (the CSV column, or ``"target"`` for bundled datasets).
        task: ``"classification"`` or ``"regression"``.
    """

    X: np.ndarray
    y: np.ndarray
    kinds: dict
    target: str
    task: str

    @property
    def names(self):
        """Feature names in X's column order."""
        return list(self.kinds)


def bundled_feature_names(name):
    """Return a bundled dataset's column names, as scikit-learn names them.

    Raises:
        ObjectiveError: Unknown dataset (field ``objective.dataset``).
    """
    load_bundled(name)  # validates the name with the usual message
    return [str(column) for column in _LOADERS[name]().feature_names]


def load_table(spec, dataset_path=None):
    """Load the table of a validated sklearn objective spec.

    Args:
        spec: A spec normalised by `validate_objective`.
        dataset_path: Path of the uploaded file, required for ``csv:`` datasets.

    Returns:
        A `Table`.

    Raises:
        ObjectiveError: A bad file or target, on the field the fault belongs to.
        ValueError: ``dataset_path`` missing for a CSV dataset.
    """
    dataset, exclude = spec["dataset"], spec.get("exclude") or []
    if dataset in BUNDLED_DATASETS:
        X, y = load_bundled(dataset)
        names = bundled_feature_names(dataset)
        keep = [j for j, name in enumerate(names) if name not in set(exclude)]
        kinds = {names[j]: "numeric" for j in keep}
        return Table(X[:, keep], y, kinds, "target", BUNDLED_DATASETS[dataset]["task"])
    if dataset_path is None:
        raise ValueError(f"dataset_path is required to load {dataset}")
    try:
        X, y, kinds = load_csv(dataset_path, spec["target"], task=spec["task"], exclude=exclude)
    except CsvError as exc:
        raise ObjectiveError(exc.field, exc.message) from exc
    # load_csv gives float targets only for regression.
    task = spec["task"] or ("regression" if y.dtype.kind == "f" else "classification")
    return Table(X, y, kinds, spec["target"], task)
