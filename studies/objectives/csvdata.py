"""Uploaded CSV datasets: column types, task detection and loading for scikit-learn.

A value is missing when, stripped and lower-cased, it is one of ``""``, ``na``, ``n/a``,
``nan``, ``null`` or ``?``. A column is numeric when every value that is not missing is a
finite decimal number (``1``, ``-2.5``, ``3e-4``); otherwise it is categorical.

Task detection (`detect_task`): a categorical target means classification. A numeric
target means classification only when every value is a whole number and there are either
exactly two distinct values, or at most 20 with at least 5 rows per distinct value on
average (so stratified folds have something to stratify); anything else is regression.
"""

import math
import re

import numpy as np

from .csvread import MAX_COLUMNS, MAX_FIELD, MAX_ROWS, open_table
from .errors import CsvError

MISSING = frozenset({"", "na", "n/a", "nan", "null", "?"})
N_PREVIEW = 10
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_MAX_CLASSES = 20
_MIN_ROWS_PER_CLASS = 5


def inspect_csv(path, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_field=MAX_FIELD):
    """Read a whole CSV and describe it, for the upload page.

    Args:
        path: Path of the file on disk.
        max_rows: Most data rows allowed.
        max_columns: Most columns allowed.
        max_field: Most characters allowed in one field.

    Returns:
        ``{"n_rows", "columns": [{"name", "kind", "n_missing", "n_unique"}], "preview",
        "suggested_target"}``; ``kind`` is ``"numeric"`` or ``"categorical"``, ``n_unique``
        counts distinct non-missing values (by number for numeric columns), ``preview``
        holds the first 10 rows as lists of strings, ``suggested_target`` is the last column.

    Raises:
        CsvError: The file is not a usable CSV; the message names the fault.
    """
    header, rows = open_table(path, max_rows=max_rows, max_columns=max_columns, max_field=max_field)
    stats = [_ColumnStats() for _ in header]
    preview, n_rows = [], 0
    for _, values in rows:
        n_rows += 1
        if len(preview) < N_PREVIEW:
            preview.append(values)
        for column, value in zip(stats, values):
            column.add(value)
    columns = [column.describe(name) for name, column in zip(header, stats)]
    return {"n_rows": n_rows, "columns": columns, "preview": preview, "suggested_target": header[-1]}


def detect_task(path, target, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_field=MAX_FIELD):
    """Decide whether predicting ``target`` is classification or regression.

    The rule is in this module's docstring.

    Args:
        path: Path of the file on disk.
        target: Name of the target column.

    Returns:
        ``"classification"`` or ``"regression"``.

    Raises:
        CsvError: A bad file, or a target that is absent, has missing values or is
            constant.
    """
    header, rows = open_table(path, max_rows=max_rows, max_columns=max_columns, max_field=max_field)
    index = _target_index(header, target)
    records = [(line, values[index]) for line, values in rows]
    return _task_of(_target_values(target, records))


def load_csv(path, target, task=None, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_field=MAX_FIELD):
    """Load a CSV as features and target for scikit-learn.

    Args:
        path: Path of the file on disk.
        target: Name of the target column.
        task: ``"classification"`` or ``"regression"``; detected when None.

    Returns:
        ``(X, y, kinds)``. ``X`` has one column per feature in file order: a float array
        when every feature is numeric, else an object array holding floats in numeric
        columns and stripped strings in categorical ones; missing values are NaN.
        ``y`` holds floats for regression, and for classification ints when every label
        is a whole number, else strings. ``kinds`` maps each feature name to
        ``"numeric"`` or ``"categorical"``, in the order of X's columns.

    Raises:
        CsvError: A bad file; a target that is absent, has missing values or is constant;
            no feature columns; or a non-numeric target for regression.
        ValueError: ``task`` is not one of the two tasks or None.
    """
    if task not in (None, "classification", "regression"):
        raise ValueError(f"task must be classification, regression or None; got {task!r}")
    header, rows = open_table(path, max_rows=max_rows, max_columns=max_columns, max_field=max_field)
    index = _target_index(header, target)
    if len(header) == 1:
        raise CsvError(f"the file has no columns besides the target {target!r}")
    lines, table = _read_all(rows)
    values = _target_values(target, zip(lines, table[index]))
    task = task or _task_of(values)
    features = {name: column for name, column in zip(header, table) if name != target}
    kinds = {name: _kind_of(column) for name, column in features.items()}
    return _features(features, kinds), _labels(target, values, task), kinds


class _ColumnStats:
    """Running counts for one column: missing values, distinct values, numeric or not."""

    def __init__(self):
        self.n_missing = 0
        self.distinct = set()
        self.numeric = True

    def add(self, value):
        value = value.strip()
        if value.lower() in MISSING:
            self.n_missing += 1
        elif value not in self.distinct:
            self.distinct.add(value)
            self.numeric = self.numeric and _number(value) is not None

    def describe(self, name):
        """Return the public description of the column."""
        kind = "numeric" if self.numeric else "categorical"
        uniques = {_number(v) for v in self.distinct} if self.numeric else self.distinct
        return {"name": name, "kind": kind, "n_missing": self.n_missing, "n_unique": len(uniques)}


def _number(value):
    """Return the value as a finite float, or None when it is not a plain decimal number."""
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _is_missing(value):
    return value.strip().lower() in MISSING


def _target_index(header, target):
    if target not in header:
        raise CsvError(f"target column {target!r} is not in the file", field="objective.target")
    return header.index(target)


def _read_all(rows):
    lines, records = [], []
    for line, values in rows:
        lines.append(line)
        records.append(values)
    return lines, [list(column) for column in zip(*records)]


def _target_values(target, records):
    """Return the stripped target values, refusing missing ones and constant targets."""
    records = list(records)
    missing = [line for line, value in records if _is_missing(value)]
    if missing:
        raise CsvError(
            f"target column {target!r} has no value on line {missing[0]} "
            f"({len(missing)} rows in all); fill or drop those rows",
            field="objective.target",
        )
    values = [value.strip() for _, value in records]
    numbers = {_number(v) for v in values}
    if len(set(values)) < 2 or (None not in numbers and len(numbers) < 2):
        raise CsvError(
            f"target column {target!r} is constant (every row is {values[0]!r})", field="objective.target"
        )
    return values


def _task_of(values):
    numbers = [_number(v) for v in values]
    if any(n is None for n in numbers):
        return "classification"
    distinct = set(numbers)
    if not all(n.is_integer() for n in distinct):
        return "regression"
    few = len(distinct) <= _MAX_CLASSES and len(numbers) >= _MIN_ROWS_PER_CLASS * len(distinct)
    return "classification" if len(distinct) == 2 or few else "regression"


def _kind_of(column):
    present = {v.strip() for v in column if not _is_missing(v)}
    return "numeric" if all(_number(v) is not None for v in present) else "categorical"


def _features(features, kinds):
    columns = [_feature_column(column, kinds[name]) for name, column in features.items()]
    dtype = float if all(kind == "numeric" for kind in kinds.values()) else object
    X = np.empty((len(columns[0]), len(columns)), dtype=dtype)
    for j, column in enumerate(columns):
        X[:, j] = column
    return X


def _feature_column(column, kind):
    if kind == "numeric":
        return [math.nan if _is_missing(v) else _number(v.strip()) for v in column]
    return [math.nan if _is_missing(v) else v.strip() for v in column]


def _labels(target, values, task):
    numbers = [_number(v) for v in values]
    numeric = all(n is not None for n in numbers)
    if task == "regression":
        if not numeric:
            raise CsvError(
                f"target column {target!r} is not numeric, so it cannot be a regression target",
                field="objective.target",
            )
        return np.array(numbers, dtype=float)
    if numeric and all(n.is_integer() for n in numbers):
        return np.array(numbers, dtype=float).astype(np.int64)
    return np.array(values, dtype=object)
