"""Every trial of a study as CSV or JSON text, in chunks, so memory stays flat however large it is."""

import csv
import io
import json

from studies.objectives.csvsafe import neutralise_row

ROWS_PER_CHUNK = 500


_OBJECTS = ("params", "metrics", "attrs")


def csv_chunks(columns, names, rows, metric_names=(), attr_names=(), objective_names=()):
    """CSV text in chunks: one column per trial field, then `values.<name>` per objective of a
    study with several (`objective_names`, so a spreadsheet sorts by each), `params.<name>` per
    parameter, `metrics.<name>` per metric and `attrs.<key>` per attribute the study noted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    spread = {"params": list(names), "metrics": list(metric_names), "attrs": list(attr_names)}
    header = [c for c in columns if c not in _OBJECTS]
    header += [f"values.{name}" for name in objective_names]
    header += [f"{field}.{name}" for field in _OBJECTS if field in columns for name in spread[field]]
    writer.writerow(neutralise_row(header))
    for i, row in enumerate(rows):
        record = dict(zip(columns, row))
        objects = {field: record.pop(field) or {} for field in _OBJECTS if field in record}
        values = list(record.get("values") or [])
        objective_cells = [_cell(values[j]) if j < len(values) else "" for j in range(len(objective_names))]
        for listed in ("values", "constraints"):
            if listed in record:
                record[listed] = json.dumps(record[listed]) if record[listed] is not None else ""
        spread_cells = [_cell(objects[field].get(name), as_json=field == "attrs")
                        for field in objects for name in spread[field]]
        # A spreadsheet runs cells that start like a formula; the neutraliser defuses them.
        cells = [_cell(value) for value in record.values()] + objective_cells + spread_cells
        writer.writerow(neutralise_row(cells))
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


def _cell(value, as_json=False):
    if value is None:
        return ""
    if as_json and not isinstance(value, str):
        return json.dumps(value)  # an attr may be a list or an object: one cell of JSON text
    return value.isoformat() if hasattr(value, "isoformat") else value


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
