"""CSV cells that a spreadsheet would run as formulas are neutralised."""

import csv
import io

import pytest

from studies.objectives.csvwrite import neutralise, neutralise_row


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://evil")',
                                  "=cmd|' /C calc'!A0"])
def test_formula_like_text_gets_an_apostrophe(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["rbf", "", "1e-3", "a=b", -0.5, 3, None, True])
def test_other_cells_are_left_alone(cell):
    assert neutralise(cell) == cell


def test_a_neutralised_row_reads_back_as_text():
    buffer = io.StringIO()
    csv.writer(buffer).writerow(neutralise_row(["=2+3", -1.5, "ok"]))

    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'=2+3", "-1.5", "ok"]
