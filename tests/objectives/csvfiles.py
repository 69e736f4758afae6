"""Building small CSV files for the tests."""


def csv_text(header, rows):
    """Join a header and rows of values into CSV text (no quoting needed by callers)."""
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"
