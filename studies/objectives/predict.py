"""Predicting on an uploaded CSV with a study's refitted model, row batch by row batch.

The uploaded file is read with the same reader and the same value rules as training data
(`csvread`, `csvdata`; a column the model learned as dates is read as dates, `csvdates`),
and matched to the model's columns by name: extra columns are
ignored, missing ones are named in the error, and categories the model never saw are
fine (the pipeline's one-hot encoder ignores them). The output holds the input's columns
as uploaded, then ``prediction`` and, for a classifier with probabilities, one
``probability_<class>`` column per class. Every text cell that a spreadsheet could run
as a formula is neutralised (`csvsafe`). Rows are read, predicted and written in batches,
so memory stays flat whatever the file's size; the input file is only read.
"""

import contextlib
import csv
import math
import os

import numpy as np
from threadpoolctl import threadpool_limits

from .csvdata import MISSING, NUMBER_KINDS, parse_number
from .csvdates import parse_date
from .csvread import MAX_COLUMNS, MAX_FIELD, MAX_ROWS, open_table
from .csvsafe import neutralise_row
from .errors import CsvError

BATCH_ROWS = 2_000


class MissingColumns(CsvError):
    """The uploaded file lacks columns the model needs.

    Attributes:
        columns: The missing column names, in the model's order.
    """

    def __init__(self, columns):
        names = ", ".join(f"'{name}'" for name in columns)
        noun = "column" if len(columns) == 1 else "columns"
        super().__init__(f"the file lacks the {noun} the model needs: {names}", field="file")
        self.columns = columns


def predict_csv(model, kinds, source, destination, *, report=None, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS,
                max_field=MAX_FIELD, batch_rows=BATCH_ROWS):
    """Write a copy of an uploaded CSV with the model's prediction for every row.

    Args:
        model: A fitted scikit-learn model taking X as `load_csv` builds it (the study's
            pipeline refitted on every row).
        kinds: The training feature names -> ``"numeric"``, ``"date"`` or ``"categorical"``,
            in the order of X's columns (what `load_csv` or `tables.load_table` returned).
        source: Path of the uploaded CSV; only read.
        destination: Path to write the output CSV to (UTF-8); removed again on error.
        report: Called as ``report(n_rows_done)`` after each batch, for progress.
        max_rows, max_columns, max_field: The reader's caps, as for uploads.
        batch_rows: Rows predicted at a time.

    Returns:
        ``{"n_rows", "columns", "probabilities"}``: rows written, the output's header, and
        whether it has probability columns (a classifier with ``predict_proba``).

    Raises:
        MissingColumns: Columns the model needs are absent (a CsvError on field ``file``).
        CsvError: Any other fault of the file, on field ``file``: not a usable CSV, or a
            value that is not a number in a column the model learned as numbers, or not a
            date in one it learned as dates (the message names its line and column).
        ValueError: ``destination`` is ``source``.
    """
    if os.path.abspath(destination) == os.path.abspath(source):
        raise ValueError("the output must not overwrite the uploaded file")
    try:
        with open(destination, "w", encoding="utf-8", newline="") as out:
            return _predict(model, kinds, source, csv.writer(out), report, (max_rows, max_columns, max_field),
                            batch_rows)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(destination)
        raise


def check_csv(kinds, source, *, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_field=MAX_FIELD,
              batch_rows=BATCH_ROWS):
    """Raise what `predict_csv` would raise for this file's faults, without a model: a quick
    check of an upload before it is stored and queued.

    Args:
        kinds: The training feature names -> ``"numeric"``, ``"date"`` or ``"categorical"``.
        source: Path of the uploaded CSV; only read.

    Returns:
        The number of data rows.

    Raises:
        MissingColumns, CsvError: As `predict_csv`, on field ``file``.
    """
    try:
        header, rows = open_table(source, max_rows=max_rows, max_columns=max_columns, max_field=max_field)
        missing = [name for name in kinds if name not in header]
        if missing:
            raise MissingColumns(missing)
        indices = [header.index(name) for name in kinds]
        n_rows, batch = 0, []
        for record in rows:
            batch.append(record)
            if len(batch) == batch_rows:
                _features(kinds, indices, batch)
                n_rows, batch = n_rows + len(batch), []
        _features(kinds, indices, batch)
    except MissingColumns:
        raise
    except CsvError as exc:
        raise CsvError(exc.message, field="file") from exc
    return n_rows + len(batch)


def _predict(model, kinds, source, writer, report, caps, batch_rows):
    max_rows, max_columns, max_field = caps
    try:
        header, rows = open_table(source, max_rows=max_rows, max_columns=max_columns, max_field=max_field)
        missing = [name for name in kinds if name not in header]
        if missing:
            raise MissingColumns(missing)
        classes = list(model.classes_) if hasattr(model, "predict_proba") else []
        columns = _output_header(header, classes)
        writer.writerow(neutralise_row(columns))
        indices = [header.index(name) for name in kinds]
        n_rows, batch = 0, []
        for record in rows:
            batch.append(record)
            if len(batch) == batch_rows:
                n_rows += _write_batch(model, kinds, indices, classes, batch, writer, report, n_rows)
                batch = []
        if batch:
            n_rows += _write_batch(model, kinds, indices, classes, batch, writer, report, n_rows)
    except MissingColumns:
        raise
    except CsvError as exc:
        raise CsvError(exc.message, field="file") from exc
    return {"n_rows": n_rows, "columns": columns, "probabilities": bool(classes)}


def _output_header(header, classes):
    taken = set(header)
    names = [_free_name("prediction", taken)]
    for label in classes:
        names.append(_free_name(f"probability_{_text(label)}", taken | set(names)))
    return header + names


def _free_name(name, taken):
    """``name``, or ``name_2``, ``name_3``... when the input already has a column of that name."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _write_batch(model, kinds, indices, classes, batch, writer, report, n_done):
    X = _features(kinds, indices, batch)
    # One thread for BLAS and OpenMP, as in trials: the workers are the parallelism, and
    # gradient boosting's threads on a busy machine make a batch many times slower.
    with threadpool_limits(limits=1):
        predicted = model.predict(X)
        probabilities = model.predict_proba(X) if classes else np.empty((len(batch), 0))
    for (_, values), label, chances in zip(batch, predicted, probabilities):
        writer.writerow(neutralise_row(values + [_text(label)]) + [f"{p:.6g}" for p in chances])
    if report is not None:
        report(n_done + len(batch))
    return len(batch)


def _features(kinds, indices, batch):
    numbers_only = all(kind in NUMBER_KINDS for kind in kinds.values())
    X = np.empty((len(batch), len(kinds)), dtype=float if numbers_only else object)
    for j, ((name, kind), index) in enumerate(zip(kinds.items(), indices)):
        cells = [values[index].strip() for _, values in batch]
        present = [cell.lower() not in MISSING for cell in cells]
        if kind == "categorical":
            X[:, j] = [cell if keep else math.nan for cell, keep in zip(cells, present)]
        else:
            read = _date if kind == "date" else _number
            X[:, j] = [read(cell, line, name) if keep else math.nan
                       for cell, keep, (line, _) in zip(cells, present, batch)]
    return X


def _number(cell, line, name):
    number = parse_number(cell)
    if number is None:
        raise CsvError(
            f"line {line}, column '{name}': {cell[:40]!r} is not a number, but the model learned "
            f"'{name}' as numbers; fix the value or leave the cell empty"
        )
    return number


def _date(cell, line, name):
    days = parse_date(cell)
    if days is None:
        raise CsvError(
            f"line {line}, column '{name}': {cell[:40]!r} is not a date like 2024-03-31, but the model learned "
            f"'{name}' as dates; fix the value or leave the cell empty"
        )
    return days


def _text(value):
    """A prediction or class label as the CSV shows it: whole numbers without '.0'."""
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float):
        return format(value, ".10g")
    return str(value)
