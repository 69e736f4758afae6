"""Every trial of a study as CSV or JSON text, in chunks, so memory stays flat however large it is."""

import csv
import io
import json

from studies.objectives.csvsafe import neutralise_row

ROWS_PER_CHUNK = 500


def csv_chunks(columns, names, rows):
    """CSV text in chunks: one column per trial field, then `params.<name>` per parameter."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(neutralise_row([c for c in columns if c != "params"] + [f"params.{name}" for name in names]))
    for i, row in enumerate(rows):
        record = dict(zip(columns, row))
        params = record.pop("params") or {}
        record["values"] = json.dumps(record["values"]) if record["values"] is not None else ""
        # A spreadsheet runs cells that start like a formula; the neutraliser defuses them.
        writer.writerow(neutralise_row([_cell(value) for value in record.values()] +
                                       [_cell(params.get(name)) for name in names]))
        if i % ROWS_PER_CHUNK == ROWS_PER_CHUNK - 1:
            yield _drain(buffer)
    yield _drain(buffer)


def json_chunks(columns, rows):
    """A JSON array of trial objects, in chunks."""
    yield "["
    for i, row in enumerate(rows):
        record = {name: _cell(value) if name.endswith("_at") else value
                  for name, value in zip(columns, row)}
        yield ("," if i else "") + json.dumps(record)
    yield "]"


def _cell(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
