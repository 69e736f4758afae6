"""Neutralising CSV cells that a spreadsheet would run as a formula (CSV injection).

Uploaded cells are stored as they came; this guard applies where Tuner writes a CSV for
someone to open. Excel, LibreOffice and Sheets treat a cell as a formula when it starts
with ``= + - @``, and some of them skip leading spaces, tabs and line breaks before
looking, so those count too. A cell that is a number as the datasets read them (``-1.5``,
``+3``, ``-$1,250.00``, ``-4%``: `csvdata.parse_number`) stays as it is: it cannot run
anything, and an apostrophe would turn it into text.
"""

import re

from .csvdata import parse_number

_FORMULA_START = re.compile(r"[ \t\r\n]*[=+\-@]|[\t\r\n]")
_RISKY_FIRST = frozenset(" \t\r\n=+-@")


def neutralise(cell):
    """Prefix a text cell that could run as a formula with an apostrophe.

    Args:
        cell: A value about to be written to a CSV; only ``str`` values can change.

    Returns:
        The cell, with ``'`` in front when it starts like a formula (after any leading
        spaces, tabs or line breaks) or with a tab or line break, and is not a plain number.

    Example:
        >>> neutralise("=HYPERLINK(\\"http://x\\")")
        '\\'=HYPERLINK("http://x")'
        >>> neutralise(" \\n+cmd")
        "' \\n+cmd"
        >>> neutralise("-0.5")
        '-0.5'
        >>> neutralise("-$1,250.00")
        '-$1,250.00'
    """
    if not isinstance(cell, str) or not cell or cell[0] not in _RISKY_FIRST:
        return cell  # the common case, decided on one character
    if _FORMULA_START.match(cell) and parse_number(cell) is None:
        return "'" + cell
    return cell


def neutralise_row(row):
    """Return a list with every cell of ``row`` passed through `neutralise`."""
    return [neutralise(cell) for cell in row]
