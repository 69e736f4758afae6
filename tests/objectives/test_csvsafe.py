"""Cells written to a CSV for people to open cannot run as spreadsheet formulas."""

import csv
import io

import pytest

from studies.objectives.csvsafe import neutralise, neutralise_row


@pytest.mark.parametrize("cell", ["=1+2", "+cmd", "-cmd", "@SUM(A1)", " =1+2", "   @x", "\n=1+2", "\r\n+1", "\t=1",
                                  "\tplain", "\rplain", "-", "+", "- 5", "-1+2"])
def test_formula_like_text_gets_an_apostrophe(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-1.5", "+3", "-2e3", "plain", "1. < HS Grad", "<=50K", "", "a=b", " plain"])
def test_numbers_and_other_text_are_left_alone(cell):
    assert neutralise(cell) == cell


@pytest.mark.parametrize("cell", [-0.5, 3, None])
def test_non_text_cells_are_left_alone(cell):
    assert neutralise(cell) == cell
