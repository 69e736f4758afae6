"""Uploaded CSV datasets: value types, task detection and loading for scikit-learn.

A value is missing when, stripped and lower-cased, it is one of ``""``, ``na``, ``n/a``,
``nan``, ``null`` or ``?``. A column is numeric when every value that is not missing is a
finite decimal number (``1``, ``-2.5``, ``3e-4``, or as spreadsheets write them: commas
between groups of three digits, ``12,500``, a currency symbol, ``$1,250.00``, or a percent
sign, ``12.5%``). A column the dataset's description names as dates (`tables.DatasetFile`: the
upload decides) is a date column when every value that is not missing is a date, and
its values are the days since 1970-01-01 (`csvdates.parse_date`); a model takes it as a number.
Any other column is categorical.
Every reader of a dataset (training, the upload's inspection, predictions) reads numbers here.

Rows whose target is missing are left out: they cannot teach a model nor score one.

Task detection (`detect_task`): a categorical target means classification. A numeric
target means classification only when every value is a whole number and there are either
exactly two distinct values, or at most 20 with at least 5 rows per distinct value on
average (so stratified folds have something to stratify); anything else is regression.
"""

import math
import re
from collections import Counter

import numpy as np

from .csvdates import parse_date
from .csvread import MAX_COLUMNS, MAX_FIELD, MAX_ROWS, open_table
from .errors import CsvError

MISSING = frozenset({"", "na", "n/a", "nan", "null", "?"})
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# A spreadsheet's export writes thousands separators ("12,500", quoted in the CSV): read as text,
# such a column became a category of its own per value, or was left out as an ID. Exactly three
# digits after each comma, so a decimal comma ("1,5") is never read as thousands.
CURRENCIES = "$£€¥₹"
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
# The kinds a model takes as numbers: imputed with the median, scaled where the model scales.
NUMBER_KINDS = frozenset({"numeric", "date"})
_MAX_CLASSES = 20
_MIN_ROWS_PER_CLASS = 5


def detect_task(path, target, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_field=MAX_FIELD):
    """Decide whether predicting ``target`` is classification or regression.

    The rule is in this module's docstring; rows whose target is missing do not count.

    Args:
        path: Path of the file on disk.
        target: Name of the target column.

    Returns:
        ``"classification"`` or ``"regression"``.

    Raises:
        CsvError: A bad file, or a target that is absent, has no values or is constant.
    """
    header, rows = open_table(path, max_rows=max_rows, max_columns=max_columns, max_field=max_field)
    index = _target_index(header, target)
    values = [values[index].strip() for _, values in rows if not is_missing(values[index])]
    counts = Counter(values)
    check_target(target, counts)
    return task_of(counts)


def load_csv(path, target, task=None, exclude=(), max_rows=MAX_ROWS, max_columns=MAX_COLUMNS,
             max_field=MAX_FIELD, dates=()):
    """Load a CSV as features and target for scikit-learn.

    Rows whose target is missing are left out (`inspect_target` says how many).

    Args:
        path: Path of the file on disk.
        target: Name of the target column.
        task: ``"classification"`` or ``"regression"``; detected when None.
        exclude: Names of columns to leave out of the features.
        dates: Names of the columns to read as dates when every value is one (what the
            dataset's description says; a file described before Tuner read dates names none).

    Returns:
        ``(X, y, kinds)``. ``X`` has one column per feature in file order: a float array
        when every feature is numeric or a date, else an object array holding floats in
        numeric and date columns and stripped strings in categorical ones; missing values
        are NaN. ``y`` holds floats for regression, and for classification ints when every
        label is a whole number, else strings. ``kinds`` maps each feature name to
        ``"numeric"``, ``"date"`` or ``"categorical"``, in the order of X's columns.

    Raises:
        CsvError: A bad file; a target that is absent, has no values or is constant;
            an excluded name that is not a column (field ``objective.exclude``); no
            feature columns left; or a non-numeric target for regression.
        ValueError: ``task`` is not one of the two tasks or None.
    """
    if task not in (None, "classification", "regression"):
        raise ValueError(f"task must be classification, regression or None; got {task!r}")
    header, rows = open_table(path, max_rows=max_rows, max_columns=max_columns, max_field=max_field)
    index = _target_index(header, target)
    names = _feature_names(header, target, exclude)
    kept = [values for _, values in rows if not is_missing(values[index])]
    values = [row[index].strip() for row in kept]
    counts = Counter(values)
    check_target(target, counts)
    task = task or task_of(counts)
    table = dict(zip(header, zip(*kept)))
    kinds, days = {}, {}
    for name in names:
        kinds[name] = kind_of(table[name])
        if kinds[name] == "categorical" and name in dates and (found := _days(table[name])) is not None:
            kinds[name], days[name] = "date", found
    return _features([table[name] for name in names], kinds, days), labels(target, values, task), kinds


def parse_number(value):
    """Return a stripped value as a finite float, or None when it is not a decimal number.

    A spreadsheet saves a cell as it shows it, so money and percentages come with their sign:
    ``$1,250.00``, ``-£3.5`` and ``12.5%`` read as 1250, -3.5 and 12.5 (the number shown).
    """
    number = _plain_number(value)
    if number is None and (unmarked := _without_mark(value)) is not None:
        number = _plain_number(unmarked)
    return number


def _plain_number(value):
    if _NUMBER.fullmatch(value):
        number = float(value)
    elif _GROUPED.fullmatch(value):
        number = float(value.replace(",", ""))
    else:
        return None
    return number if math.isfinite(number) else None


def _without_mark(value):
    """The value without one currency symbol after its sign or one percent sign at its end, or
    None when it has neither."""
    sign = value[:1] if value[:1] in "+-" else ""
    body = value[len(sign):]
    if body[:1] in CURRENCIES and body[1:2] not in "+-":
        return sign + body[1:]
    if value.endswith("%"):
        return value[:-1]
    return None


def is_missing(value):
    """Whether a raw cell counts as missing (see the module docstring)."""
    return value.strip().lower() in MISSING


def kind_of(column):
    """Return ``"numeric"`` or ``"categorical"`` for a column of raw cells (dates are told apart by
    the dataset's description, see `load_csv`)."""
    present = {v.strip() for v in column if not is_missing(v)}
    return "numeric" if all(parse_number(v) is not None for v in present) else "categorical"


def check_target(target, counts):
    """Refuse a target with no values or only one.

    Args:
        target: The column's name, for messages.
        counts: Stripped non-missing values -> rows.

    Raises:
        CsvError: On field ``objective.target``.
    """
    if not counts:
        raise CsvError(f"target column {target!r} has no values", field="objective.target")
    numbers = {parse_number(v) for v in counts}
    if len(counts) < 2 or (None not in numbers and len(numbers) < 2):
        first = next(iter(counts))
        raise CsvError(f"target column {target!r} is constant (every row is {first!r})", field="objective.target")


def task_of(counts):
    """Return the task for a target's stripped non-missing values -> rows (module docstring rule)."""
    numbers = Counter()
    for value, n in counts.items():
        number = parse_number(value)
        if number is None:
            return "classification"
        numbers[number] += n
    if not all(number.is_integer() for number in numbers):
        return "regression"
    n_rows = sum(numbers.values())
    few = len(numbers) <= _MAX_CLASSES and n_rows >= _MIN_ROWS_PER_CLASS * len(numbers)
    return "classification" if len(numbers) == 2 or few else "regression"


def labels(target, values, task):
    """Turn stripped target values into the ``y`` array `load_csv` returns.

    Raises:
        CsvError: A non-numeric target for regression (field ``objective.target``).
    """
    numbers = [parse_number(v) for v in values]
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


def _target_index(header, target):
    if target not in header:
        raise CsvError(f"target column {target!r} is not in the file", field="objective.target")
    return header.index(target)


def _feature_names(header, target, exclude):
    unknown = [name for name in exclude if name not in header]
    if unknown:
        raise CsvError(f"excluded column {unknown[0]!r} is not in the file", field="objective.exclude")
    if len(header) == 1:
        raise CsvError(f"the file has no columns besides the target {target!r}")
    names = [name for name in header if name != target and name not in set(exclude)]
    if not names:
        raise CsvError("every column besides the target is excluded; keep at least one", field="objective.exclude")
    return names


def _days(column):
    """Each distinct raw cell that is not missing -> its days since 1970, or None when one is not a
    date. Distinct cells only: a column of dates repeats its days."""
    days = {}
    for value in set(column):
        if not is_missing(value):
            if (day := parse_date(value.strip())) is None:
                return None
            days[value] = day
    return days


def _features(columns, kinds, days):
    """X, filled a column at a time (a list of Python values per cell is large); ``days`` holds
    each date column's cells -> days."""
    dtype = float if all(kind in NUMBER_KINDS for kind in kinds.values()) else object
    X = np.empty((len(columns[0]), len(columns)), dtype=dtype)
    for j, (column, (name, kind)) in enumerate(zip(columns, kinds.items())):
        X[:, j] = [days[name].get(v, math.nan) for v in column] if kind == "date" else feature_column(column, kind)
    return X


def feature_column(column, kind):
    """Turn raw cells into X's values: floats (numbers, or days for dates) or stripped strings; NaN when missing."""
    if kind == "numeric":
        return [math.nan if is_missing(v) else parse_number(v.strip()) for v in column]
    if kind == "date":
        days = {v: parse_date(v.strip()) for v in set(column) if not is_missing(v)}
        return [days.get(v, math.nan) for v in column]
    return [math.nan if is_missing(v) else v.strip() for v in column]
