"""Describing an uploaded CSV for the wizard: columns, a guessed target, and what to leave out.

One pass over the file gathers, per column, the missing and distinct values, and keeps a
fixed random sample of rows for the leakage check (`leakage`). From those it guesses the
target, proposes columns to exclude (ID-like or constant), flags columns that give the
target away, and picks the default metric. Every finding comes with a sentence in plain
words (``notes``) for the page to show.

ID-like: every row has a different value and none is missing, in at least 10 rows. For a
text column that is enough (an ID, a name, free text: one-hot encoding cannot carry any of
it to new rows). A numeric column must also be whole numbers that either count the rows
(0 or 1 up, without gaps) or sit under a name such as ``id``, ``customer_id`` or
``CustomerID``, since a measurement such as an income, or a year in a yearly table, can be
unique per row too. Constant: at most one value
(a categorical column that is sometimes missing still says something, and is kept).

Dates: a column whose every value is a date `csvdates` reads (``2024-03-31``, ``31.03.2024``,
with or without a time) is a date column, which a model takes as the days since 1970-01-01; a
note says what a model can learn from it and what not. A column of dates it cannot read (the
ambiguous ``03/04/2024``, or one impossible date) stays categorical, with a note on why and what
to write instead. A file described before Tuner read dates keeps its description: given that
description (``dates``), its dates stay categorical, and its note says so.

Target guess: the rightmost usable column named with one of the words ``target``,
``label``, ``outcome``, ``class``, ``churn`` or ``y`` (in that order of preference; words
split at punctuation and camelCase, case-insensitive), else the last usable column.
Usable: not ID-like or constant.
"""

import random
import re
from collections import Counter
from itertools import islice

from .csvdata import MISSING, NUMBER_KINDS, check_target, feature_column, is_missing, labels, parse_number, task_of
from .csvdates import is_slashed_date, parse_date
from .csvread import MAX_COLUMNS, MAX_FIELD, MAX_ROWS, open_table
from .errors import CsvError
from .leakage import find_leaks
from .metrics import default_metric

N_PREVIEW = 10
_BLOCK_ROWS = 10_000
N_SAMPLE = 1_000  # rows the leakage check looks at: plenty to tell near-perfect from good
MAX_LEAK_COLUMNS = 200  # bounds the check to a few seconds on a wide file
MIN_ID_ROWS = 10
LARGEST_NUMBER = 3.4028234663852886e38  # the largest 32-bit float
TARGET_WORDS = ("target", "label", "outcome", "class", "churn", "y")
ID_WORDS = frozenset({"id", "ids", "uuid", "guid", "idx", "index", "key"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def inspect_csv(path, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_field=MAX_FIELD):
    """Read a whole CSV and describe it for the upload page, with its guessed target.

    Args:
        path: Path of the file on disk.
        max_rows: Most data rows allowed.
        max_columns: Most columns allowed.
        max_field: Most characters allowed in one field.

    Returns:
        The dataset part: ``{"n_rows", "columns": [{"name", "kind", "n_missing",
        "n_unique"}], "preview", "suggested_target", "target_reason"}``, where ``kind`` is
        ``"numeric"``, ``"date"`` or ``"categorical"``, ``n_unique`` counts distinct non-missing
        values (by number for numeric columns, by instant for dates), ``preview`` holds the
        first 10 rows as lists of strings and ``target_reason`` says why that column was guessed; merged with
        everything `inspect_target` returns for the guessed target.

    Raises:
        CsvError: The file is not a usable CSV; the message names the fault.
    """
    scan = _Scan(path, max_rows, max_columns, max_field)
    target, reason = _suggest_target(scan)
    dataset = {
        "n_rows": scan.n_rows,
        "columns": [stats.describe(name) for name, stats in zip(scan.header, scan.stats)],
        "preview": scan.preview,
        "suggested_target": target,
        "target_reason": reason,
    }
    return dataset | _describe_target(scan, target, strict=False)


def inspect_target(path, target, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_field=MAX_FIELD, dates=None):
    """Describe what studying ``target`` in a CSV would look like, for the wizard.

    Args:
        path: Path of the file on disk.
        target: Name of the target column.
        dates: Names of the columns the dataset's description reads as dates: other columns of
            dates stay categorical, as in a file described before Tuner read dates. None reads
            every column of dates as dates, as an upload does.

    Returns:
        ``{"task", "n_dropped", "class_balance", "metric", "metric_reason", "excluded",
        "leakage", "notes"}``: ``n_dropped`` rows have no target and are left out;
        ``class_balance`` is ``[{"label", "n_rows", "share"}]``, most common first, for
        classification (None for regression), labels typed as `load_csv` types them;
        ``metric``/``metric_reason`` are the default metric and why (see
        `metrics.default_metric`); ``excluded`` is ``[{"name", "reason"}]``, the columns to
        leave out by default (ID-like, constant); ``leakage`` is what `leakage.find_leaks`
        returns, each entry with a ``reason`` added; ``notes`` holds one plain sentence per
        finding, in that order, then one per column of dates; ``dates`` names those columns.

    Raises:
        CsvError: A bad file, or a target that is absent, has no values or is constant
            (field ``objective.target``).
    """
    scan = _Scan(path, max_rows, max_columns, max_field, dates)
    if target not in scan.header:
        raise CsvError(f"target column {target!r} is not in the file", field="objective.target")
    return _describe_target(scan, target, strict=True)


class _ColumnStats:
    """Counts for one column: missing values, rows per distinct value, and its kind.

    Cells are counted a block at a time (`add_many`) and judged once per distinct value when the
    scan ends (`finish`): a cell at a time in Python was most of an upload's wait on a large file.
    """

    def __init__(self):
        self.n_missing = 0
        self.counts = Counter()
        self.kind = "numeric"
        self.numbers = set()  # the distinct values by number (days for dates), for a numeric or date column
        self.undescribed_dates = False  # dates its description reads as categories

    def add_many(self, values):
        """Count a block of the column's raw cells."""
        self.counts.update(map(str.strip, values))

    def finish(self, dates_allowed=True):
        """Set missing values apart and tell whether every other value is a number, or a date."""
        for value in [value for value in self.counts if value.lower() in MISSING]:
            self.n_missing += self.counts.pop(value)
        numbers = self._all_read(parse_number)
        if numbers is None:
            days = self._all_read(parse_date)
            if days is not None and not dates_allowed:
                self.undescribed_dates, days = True, None
            self.kind = "categorical" if days is None else "date"
            numbers = days or set()
        self.numbers = numbers

    def _all_read(self, parse):
        """Each distinct value as ``parse`` reads it, or None as soon as one does not read."""
        found = set()
        for value in self.counts:
            number = parse(value)
            if number is None:
                return None
            found.add(number)
        return found

    @property
    def numeric(self):
        return self.kind == "numeric"

    def n_unique(self):
        return len(self.numbers) if self.kind in NUMBER_KINDS else len(self.counts)

    def describe(self, name):
        """Return the public description of the column."""
        return {"name": name, "kind": self.kind, "n_missing": self.n_missing, "n_unique": self.n_unique()}


class _Scan:
    """One pass over the file: header, row count, preview, column stats and a row sample."""

    def __init__(self, path, max_rows, max_columns, max_field, dates=None):
        self.header, rows = open_table(path, max_rows=max_rows, max_columns=max_columns, max_field=max_field)
        self.stats = [_ColumnStats() for _ in self.header]
        self.preview, self.sample, self.n_rows = [], [], 0
        rng = random.Random(0)  # the same file always gives the same sample
        block = []
        for _, values in rows:
            if len(self.preview) < N_PREVIEW:
                self.preview.append(values)
            self._keep(values, rng)
            self.n_rows += 1
            block.append(values)
            if len(block) == _BLOCK_ROWS:
                self._count(block)
                block = []
        self._count(block)
        for name, column in zip(self.header, self.stats):
            column.finish(dates is None or name in dates)
        _check_magnitudes(self.header, self.stats)
        self.exclusions = {
            name: reason for name, stats in zip(self.header, self.stats)
            if (reason := _exclusion_reason(name, stats, self.n_rows))
        }

    def _count(self, block):
        for column, values in zip(self.stats, zip(*block)):
            column.add_many(values)

    def _keep(self, values, rng):
        # Reservoir sampling: every row has the same chance to be in the sample.
        if self.n_rows < N_SAMPLE:
            self.sample.append(values)
        elif (slot := rng.randrange(self.n_rows + 1)) < N_SAMPLE:
            self.sample[slot] = values

    def column(self, name):
        return self.stats[self.header.index(name)]


def _check_magnitudes(header, stats):
    # Tree models read numbers as 32-bit floats: past about 3.4e38 a number is infinite to them,
    # and every trial on the file would fail the same way.
    for name, column in zip(header, stats):
        if column.numeric and column.numbers:
            largest = max(column.numbers, key=abs)
            if abs(largest) > LARGEST_NUMBER:
                raise CsvError(
                    f"column {name!r} holds {largest:g}, larger than the models can take (about 3.4e+38 "
                    "either way): rescale the column, e.g. give it in millions, then upload the file again"
                )


def _exclusion_reason(name, stats, n_rows):
    n_unique = stats.n_unique()
    if n_unique == 0:
        return "every value is missing"
    if n_unique == 1 and (stats.kind in NUMBER_KINDS or stats.n_missing == 0):
        return f"every row has the same value ('{next(iter(stats.counts))}'), so it cannot tell rows apart"
    # A date per row is a time line, whose trend a model can learn, not an ID.
    if stats.n_missing or n_unique < n_rows or n_rows < MIN_ID_ROWS or stats.kind == "date":
        return None
    if not stats.numeric:
        return "every row has a different value, like an ID or free text, so it teaches nothing that carries over to new rows"
    numbers = stats.numbers
    if not all(number.is_integer() for number in numbers):
        return None
    row_number = min(numbers) in (0, 1) and max(numbers) - min(numbers) + 1 == n_unique
    if row_number or ID_WORDS & set(_words(name)):
        return "every row has a different whole number, like an ID or a row number, so it teaches nothing about new rows"
    return None


def _words(name):
    return [word for word in re.split(r"[^a-z0-9]+", _CAMEL.sub(" ", name).lower()) if word]


def _suggest_target(scan):
    usable = [name for name in scan.header if name not in scan.exclusions] or scan.header
    for word in TARGET_WORDS:
        named = [name for name in usable if word in _words(name)]
        if named:
            return named[-1], f"'{named[-1]}' is named like the column to predict; change it if you want another."
    reason = "it is the last column" if usable[-1] == scan.header[-1] else "it is the last column that is not an ID or constant"
    return usable[-1], f"'{usable[-1]}' was picked because {reason}, where tables usually keep what to predict."


def _describe_target(scan, target, strict):
    stats = scan.column(target)
    try:
        check_target(target, stats.counts)
    except CsvError as exc:
        if strict:
            raise
        return {"task": None, "n_dropped": stats.n_missing, "class_balance": None, "metric": None,
                "metric_reason": None, "excluded": _excluded(scan, target), "leakage": [], "dates": [],
                "notes": [exc.message + "; choose another target."]}
    task = task_of(stats.counts)
    balance = _class_balance(target, stats.counts) if task == "classification" else None
    counts = {item["label"]: item["n_rows"] for item in balance} if balance else None
    metric, metric_reason = default_metric(task, counts)
    excluded = _excluded(scan, target)
    leaks, n_checked = _leaks(scan, target, task, {item["name"] for item in excluded})
    notes = _notes(target, stats.n_missing, excluded, leaks)
    if n_checked < len(scan.header) - 1 - len(excluded):
        notes.append(f"Only the first {n_checked} columns were checked for columns that give the answer away.")
    dates, date_notes = _date_notes(scan, target, {item["name"] for item in excluded})
    notes += date_notes
    return {"task": task, "n_dropped": stats.n_missing, "class_balance": balance, "metric": metric,
            "metric_reason": metric_reason, "excluded": excluded, "leakage": leaks, "dates": dates, "notes": notes}


# What looks like a date, read or not: 2024-03-31, 2024-03-31T09:30:00Z, 2024/03/31, 31/03/2024, 3/31/2024, 31.03.2024.
_DATE = re.compile(r"(\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?"
                   r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}( \d{1,2}:\d{2}(:\d{2})?)?)")
_DATE_VALUES_LOOKED_AT = 100
_DATE_NOTE = ("'{name}' holds dates: Tuner reads each as the days since 1 January 1970, so a model can learn a "
              "trend over time; a pattern by month or day of the week it cannot see, so put those in columns of "
              "their own if they matter.")
_SLASHED_NOTE = ("'{name}' holds dates with slashes, like '{example}', which Tuner does not read as dates: "
                 "03/04/2024 is 3 April in some countries and 4 March in others. So Tuner reads each date as a "
                 "category of its own, and a model learns no trend over time from it. To have them read as dates, "
                 "write them year first, like 2024-03-31 (in a spreadsheet, format the column as yyyy-mm-dd), "
                 "and upload the file again.")
_UNREAD_NOTE = ("'{name}' holds dates, but '{example}' is not a date Tuner can read, so Tuner reads each date as a "
                "category of its own, and a model learns no trend over time from it. To have them read as dates, "
                "write every one like 2024-03-31 and upload the file again.")
_UNDESCRIBED_NOTE = ("'{name}' holds dates, which Tuner reads as categories in this file, each date a value of its "
                     "own, because it was uploaded before Tuner read dates: a model learns no trend over time "
                     "from it. Upload the file again to have its dates read as dates.")


def _date_notes(scan, target, excluded):
    """``(names, notes)``: the used columns of dates, and a note on how each is read."""
    names, notes = [], []
    for name, stats in zip(scan.header, scan.stats):
        if name == target or name in excluded or stats.numeric or not stats.counts:
            continue
        note = _date_note(name, stats)
        if note:
            names.append(name)
            notes.append(note)
    return names, notes


def _date_note(name, stats):
    if stats.kind == "date":
        return _DATE_NOTE.format(name=name)
    if stats.undescribed_dates:
        return _UNDESCRIBED_NOTE.format(name=name)
    values = list(islice(stats.counts, _DATE_VALUES_LOOKED_AT))  # the first distinct ones, in file order
    if not all(_DATE.fullmatch(value) for value in values):
        return None
    if all(is_slashed_date(value) for value in values):
        return _SLASHED_NOTE.format(name=name, example=values[0])
    # Not every value reads, or the column would be a date column: name the first that does not.
    unread = next(value for value in stats.counts if parse_date(value) is None)
    return _UNREAD_NOTE.format(name=name, example=unread)


def _class_balance(target, counts):
    values = list(counts)
    by_label = Counter()
    for label, value in zip(labels(target, values, "classification").tolist(), values):
        by_label[label] += counts[value]
    total = sum(by_label.values())
    return [{"label": label, "n_rows": n, "share": round(n / total, 4)} for label, n in by_label.most_common()]


def _excluded(scan, target):
    return [{"name": name, "reason": reason} for name, reason in scan.exclusions.items() if name != target]


def _leaks(scan, target, task, excluded):
    index = scan.header.index(target)
    rows = [row for row in scan.sample if not is_missing(row[index])]
    y = labels(target, [row[index].strip() for row in rows], task)
    kinds, columns = {}, {}
    for j, (name, stats) in enumerate(zip(scan.header, scan.stats)):
        if name != target and name not in excluded and len(columns) < MAX_LEAK_COLUMNS:
            kinds[name] = stats.kind
            columns[name] = feature_column([row[j] for row in rows], stats.kind)
    leaks = find_leaks(columns, kinds, y, task)
    for leak in leaks:
        leak["reason"] = _leak_reason(leak, target)
    return leaks, len(columns)


def _leak_reason(leak, target):
    score = f"{leak['metric'].replace('_', ' ').replace('r2', 'R²')} {leak['score']:.3f}"
    if len(leak["columns"]) == 1:
        return (f"'{leak['columns'][0]}' alone predicts '{target}' almost perfectly ({score}), so it probably "
                "holds the answer itself; exclude it unless it is known before the answer is.")
    first, second = leak["columns"]
    return (f"'{first}' and '{second}' together give '{target}' almost exactly ({score}), as parts that add up "
            "to it would; exclude them unless they are known before the answer is.")


def _notes(target, n_dropped, excluded, leaks):
    notes = []
    if n_dropped:
        rows = "1 row has" if n_dropped == 1 else f"{n_dropped:,} rows have"
        notes.append(f"{rows} no value in '{target}' and will be left out.")
    notes += [f"'{item['name']}' is left out: {item['reason']}." for item in excluded]
    notes += [leak["reason"] for leak in leaks]
    return notes
