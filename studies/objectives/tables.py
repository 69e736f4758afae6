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
class DatasetFile:
    """An uploaded CSV as its upload described it: where it is, and which columns are dates.

    The upload's description is fixed, so a study reads its file the same way for every trial,
    its refit and its predictions: a file described before Tuner read dates names no date
    column, and its dates stay categories, as its scores were measured. It is a path too
    (``os.fspath``), so whatever opens a path can open it.

    Attributes:
        path: The file on disk.
        dates: Names of the columns described as dates (read as days since 1970-01-01).
    """

    path: str
    dates: frozenset = frozenset()

    def __fspath__(self):
        return self.path


@dataclass(frozen=True)
class Table:
    """Features and target ready for scikit-learn.

    Attributes:
        X: Features, one column per name in ``kinds`` (see `load_csv` for the dtypes).
        y: The target.
        kinds: Feature name -> ``"numeric"``, ``"date"`` or ``"categorical"``, in X's column order.
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
        dataset_path: Path of the uploaded file, or a `DatasetFile` that also names its date
            columns (a plain path names none); required for ``csv:`` datasets.

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
        dates = dataset_path.dates if isinstance(dataset_path, DatasetFile) else ()
        X, y, kinds = load_csv(dataset_path, spec["target"], task=spec["task"], exclude=exclude, dates=dates)
    except CsvError as exc:
        raise ObjectiveError(exc.field, exc.message) from exc
    # load_csv gives float targets only for regression.
    task = spec["task"] or ("regression" if y.dtype.kind == "f" else "classification")
    return Table(X, y, kinds, spec["target"], task)
