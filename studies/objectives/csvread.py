"""Reading an uploaded CSV safely: UTF-8 only, bounded sizes, every fault named with its line.

Only the stdlib csv module touches the bytes; nothing is ever evaluated or unpickled.
Blank lines are skipped; header names are stripped of surrounding spaces.

Cells are data and are kept exactly as uploaded: ``<=50K``, ``1. < HS Grad``, ``-`` or
``=1+2`` are all legal values. Whatever shows them escapes them, and whatever exports them
neutralises formulas (see `csvsafe`). Column names are names: at most `MAX_NAME`
characters, and no control characters or Unicode bidi controls, which could break the
line of a generated file or make one name look like another.
"""

import csv
import re

from .errors import CsvError

MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
MAX_FIELD = 10_000
# Column names end up in database columns of this size (the dataset's suggested target).
MAX_NAME = 255
_BAD_NAME_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def open_table(path, *, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_field=MAX_FIELD):
    """Open a CSV file and read its header.

    Args:
        path: Path of the file on disk.
        max_rows: Most data rows allowed (the header not counted).
        max_columns: Most columns allowed.
        max_field: Most characters allowed in one field.

    Returns:
        ``(header, rows)``: the list of column names, and a generator of
        ``(line, values)`` per data row, ``line`` being the 1-based line it starts on.
        The generator raises `CsvError` when it meets a fault, including a file with a
        header but no data rows. Byte offsets in messages count from 0.

    Raises:
        CsvError: Empty file, bad header, invalid UTF-8 or NUL bytes in the header line.
    """
    reader = _Reader(path, max_columns, max_field)
    header = _check_header(reader.next_record(), max_columns, max_field)
    return header, _data_rows(reader, header, max_rows, max_field)


class _Reader:
    """csv.reader over strictly decoded lines, translating csv.Error into CsvError."""

    def __init__(self, path, max_columns, max_field):
        self._max_field = max_field
        # Bounds memory on a file with no newlines: a legal line holds at most every
        # column at full size, quotes doubled, 4 bytes a character.
        self._max_line_bytes = 4 * (2 * max_field + 3) * max_columns
        self._csv = csv.reader(self._lines(path), strict=True)
        self.line = 0  # the last physical line consumed

    def next_record(self):
        """Return ``(start_line, values)`` of the next non-blank record, or None at the end."""
        while True:
            start = self.line + 1
            try:
                values = next(self._csv)
            except StopIteration:
                return None
            except csv.Error as exc:
                raise self._translate(exc, start) from None
            self.line = self._csv.line_num
            if values:
                return start, values

    def _translate(self, exc, start):
        text = str(exc)
        if "unexpected end of data" in text:
            return CsvError(f"unterminated quote: the quoted field starting on line {start} never closes")
        if "field larger than field limit" in text:
            # The csv module refuses fields over its own limit (131,072 by default) before
            # we see them; raising that process-wide limit would change every other reader
            # in the worker, so we report the smaller of the two.
            limit = min(self._max_field, csv.field_size_limit())
            return CsvError(
                f"line {start}: a field is longer than {limit:,} characters (or a quote never closes)"
            )
        return CsvError(f"line {start}: malformed CSV ({text})")

    def _lines(self, path):
        with open(path, "rb") as f:
            offset, number = 0, 0
            while raw := f.readline(self._max_line_bytes + 1):
                number += 1
                yield _decode(raw, number, offset, self._max_line_bytes)
                offset += len(raw)


def _decode(raw, number, offset, max_line_bytes):
    if len(raw) > max_line_bytes:
        raise CsvError(f"line {number} is longer than {max_line_bytes:,} bytes")
    if (nul := raw.find(b"\x00")) >= 0:
        raise CsvError(f"NUL byte on line {number} (byte offset {offset + nul}); is this a binary file?")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CsvError(
            f"invalid UTF-8 on line {number} (byte offset {offset + exc.start}); save the file as UTF-8"
        ) from None
    # Excel writes a byte-order mark before the first header name.
    return text.removeprefix("\ufeff") if number == 1 else text


def _check_header(record, max_columns, max_field):
    if record is None:
        raise CsvError("the file is empty")
    _, values = record
    if len(values) > max_columns:
        raise CsvError(f"the header has {len(values):,} columns, more than the {max_columns:,} allowed")
    header = [name.strip() for name in values]
    _check_separator(header)
    seen = {}
    for position, name in enumerate(header, 1):
        _check_name(name, position, seen, max_field)
    return header


def _check_separator(header):
    # A spreadsheet set to a European locale saves its "CSV" with semicolons between columns
    # (and decimal commas inside them), and a copy from a table gives tabs: read with commas,
    # the whole header would be one column. Said here, before that one name is judged.
    if len(header) == 1:
        for separator, said in ((";", "semicolons (;)"), ("\t", "tabs")):
            if separator in header[0]:
                raise CsvError(
                    f"the columns are separated by {said}, not commas: save the file as CSV with commas "
                    "between columns and dots in decimal numbers (e.g. 12.5), then upload it again"
                )


def _check_name(name, position, seen, max_field):
    if not name:
        raise CsvError(f"column {position} has an empty header name")
    limit = min(MAX_NAME, max_field)
    if len(name) > limit:
        raise CsvError(f"column {position} has a header name of {len(name):,} characters; at most {limit:,} are allowed")
    if match := _BAD_NAME_CHARACTER.search(name):
        raise CsvError(
            f"column {position} has a header name holding the control character "
            f"U+{ord(match.group()):04X}; column names must be plain text on one line"
        )
    if name in seen:
        raise CsvError(f"duplicate column name {name!r} (columns {seen[name]} and {position})")
    seen[name] = position


def _data_rows(reader, header, max_rows, max_field):
    n_rows = 0
    while record := reader.next_record():
        n_rows += 1
        if n_rows > max_rows:
            raise CsvError(f"more than {max_rows:,} data rows")
        _check_row(record, header, max_field)
        yield record
    if n_rows == 0:
        raise CsvError("the file has a header but no data rows")


def _check_row(record, header, max_field):
    line, values = record
    if len(values) != len(header):
        raise CsvError(f"line {line} has {len(values)} fields but the header has {len(header)}")
    for name, value in zip(header, values):
        if len(value) > max_field:
            raise CsvError(
                f"line {line}, column {name!r}: the field has {len(value):,} characters, "
                f"over the {max_field:,} allowed"
            )
