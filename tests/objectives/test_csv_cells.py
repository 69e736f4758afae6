"""Cells are data and are kept as uploaded; column names are names and are checked as such."""

import pytest

from studies.objectives import CsvError, inspect_csv, load_csv

HOSTILE_CELLS = [
    "<=50K",
    "1. < HS Grad",
    "< 18",
    "<script>alert(1)</script>",
    "<b>bold</b>",
    '<a href="https://x.y">click</a>',
    "=HYPERLINK(\"http://x\")",
    "@SUM(A1)",
    "+cmd|' /C calc'!A0",
    "-",
    "- none",
    "\t=1+2",
    "{{ 7*7 }}",
    "'; DROP TABLE studies; --",
]


@pytest.mark.parametrize("cell", HOSTILE_CELLS)
def test_hostile_cells_are_stored_verbatim_in_the_preview(write_csv, cell):
    path = write_csv(f'name,y\n"{cell.replace(chr(34), 2 * chr(34))}",1\nb,0\n')

    assert inspect_csv(path)["preview"][0] == [cell, "1"]


@pytest.mark.parametrize("cell", HOSTILE_CELLS)
def test_hostile_cells_load_as_categories_unchanged_but_for_outer_spaces(write_csv, cell):
    path = write_csv(f'name,y\n"{cell.replace(chr(34), 2 * chr(34))}",1\nb,0\n')

    X, _, kinds = load_csv(path, "y")

    assert kinds == {"name": "categorical"}
    assert X[0, 0] == cell.strip()


def test_markup_in_a_header_name_is_a_name_like_any_other(write_csv):
    path = write_csv("<b>name</b>,y\na,1\nb,0\n")

    assert inspect_csv(path)["columns"][0]["name"] == "<b>name</b>"


def test_header_name_of_255_characters_is_accepted(write_csv):
    path = write_csv("a," + "n" * 255 + "\n1,2\n")

    assert inspect_csv(path)["columns"][1]["name"] == "n" * 255


def test_header_name_over_255_characters_names_the_column_number(write_csv):
    path = write_csv("a,b," + "n" * 256 + "\n1,2,3\n")

    with pytest.raises(CsvError) as info:
        inspect_csv(path)
    assert info.value.message == "column 3 has a header name of 256 characters; at most 255 are allowed"


@pytest.mark.parametrize("character", ["\n", "\r", "\t", "\x1b", "\u202e", "\u2066", "\x85"])
def test_control_characters_in_a_header_name_are_refused(write_csv, character):
    path = write_csv(f'a,"b{character}c"\n1,2\n')

    with pytest.raises(CsvError, match=rf"^column 2 has a header name holding the control character U\+{ord(character):04X};"):
        inspect_csv(path)
