"""Writing CSV cells safely: a cell a spreadsheet would run as a formula is neutralised (CSV injection)."""

# A cell that starts with one of these is read as a formula by Excel, LibreOffice and Sheets;
# tab and carriage return are included because some spreadsheets skip them before checking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """Prefix a text cell that starts like a formula with an apostrophe; leave everything else alone.

    Numbers stay numbers (a negative value is not a formula), so only `str` cells change.

    Example:
        >>> neutralise("=HYPERLINK(\\"http://x\\")")
        '\\'=HYPERLINK("http://x")'
        >>> neutralise(-0.5)
        -0.5
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def neutralise_row(row):
    return [neutralise(cell) for cell in row]
