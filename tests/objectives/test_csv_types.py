import math

import numpy as np
import pytest

from studies.objectives import detect_task, inspect_csv, load_csv

from .csvfiles import csv_text


def _column(info, name):
    return next(c for c in info["columns"] if c["name"] == name)


def test_inspect_describes_columns_rows_and_suggested_target(write_csv):
    path = write_csv("colour,size,label\nred,1,a\nblue,2.5,b\n,NA,a\n")

    info = inspect_csv(path)

    assert info["n_rows"] == 3
    assert info["columns"] == [
        {"name": "colour", "kind": "categorical", "n_missing": 1, "n_unique": 2},
        {"name": "size", "kind": "numeric", "n_missing": 1, "n_unique": 2},
        {"name": "label", "kind": "categorical", "n_missing": 0, "n_unique": 2},
    ]
    assert info["suggested_target"] == "label"


def test_preview_holds_the_first_ten_rows_as_strings(write_csv):
    path = write_csv(csv_text(["a", "b"], [[i, f"v{i}"] for i in range(15)]))

    preview = inspect_csv(path)["preview"]

    assert preview == [[str(i), f"v{i}"] for i in range(10)]


@pytest.mark.parametrize("token", ["", "NA", "n/a", "NaN", "null", "?", "  "])
def test_missing_value_tokens_are_counted_as_missing(write_csv, token):
    path = write_csv(csv_text(["a", "b"], [[1, 1], [token, 2]]))

    column = _column(inspect_csv(path), "a")

    assert (column["kind"], column["n_missing"]) == ("numeric", 1)


@pytest.mark.parametrize("value", ["1e5", "-2.5", "+3", ".5", "7."])
def test_decimal_numbers_are_numeric(write_csv, value):
    path = write_csv(csv_text(["a", "b"], [[value, 1], [2, 2]]))

    assert _column(inspect_csv(path), "a")["kind"] == "numeric"


@pytest.mark.parametrize("value", ["12,500", "-1,234.5", "1,000,000", "52,796.25", "$1,250.00", "-£3.5", "€12",
                                   "12.5%", "-4%"])
def test_numbers_as_spreadsheets_write_them_are_numeric(write_csv, value):
    path = write_csv(f'a,b\n"{value}",1\n2,2\n')

    assert _column(inspect_csv(path), "a")["kind"] == "numeric"


def test_numbers_with_thousands_separators_load_as_their_value(write_csv):
    path = write_csv('units,price,y\n"2,474",1.5,0\n"12,500.25",2.5,1\n3,3.5,0\n"-1,000",4.5,1\n')

    X, _, kinds = load_csv(path, "y", task="regression")

    assert kinds["units"] == "numeric"
    assert X[:, 0].tolist() == [2474.0, 12500.25, 3.0, -1000.0]


def test_money_and_percentages_load_as_the_number_shown(write_csv):
    path = write_csv('price,share,y\n"$1,250.00",12.5%,1\n-£3.5,-4%,2\n€12,100%,3\n')

    X, y, kinds = load_csv(path, "y", task="regression")

    assert (kinds["price"], kinds["share"]) == ("numeric", "numeric")
    assert X.tolist() == [[1250.0, 12.5], [-3.5, -4.0], [12.0, 100.0]]


def test_a_money_target_is_a_regression_target(write_csv):
    path = write_csv("x,price\n" + "".join(f'{i},"${1000 + 37 * i:,}.50"\n' for i in range(40)))

    _, y, _ = load_csv(path, "price", task="regression")

    assert y[:2].tolist() == [1000.5, 1037.5]


@pytest.mark.parametrize("value", ["inf", "1_000", "0x10", "1,5", "12,50", "1,2345", "1,234,56", "12 kg", "1e999",
                                   "$", "%", "5$", "$1,5", "abc%"])
def test_non_decimal_or_non_finite_values_make_a_column_categorical(write_csv, value):
    path = write_csv(f'a,b\n"{value}",1\n2,2\n')

    assert _column(inspect_csv(path), "a")["kind"] == "categorical"


def test_numeric_unique_values_are_counted_by_number(write_csv):
    path = write_csv(csv_text(["a", "b"], [["1", 1], ["1.0", 2], ["2", 3]]))

    assert _column(inspect_csv(path), "a")["n_unique"] == 2


def test_byte_order_mark_is_not_part_of_the_first_name(write_csv):
    path = write_csv(b"\xef\xbb\xbfa,b\n1,2\n")

    assert inspect_csv(path)["columns"][0]["name"] == "a"


def test_blank_lines_and_crlf_line_ends_are_accepted(write_csv):
    path = write_csv("a,b\r\n1,2\r\n\r\n3,4\r\n")

    assert inspect_csv(path)["n_rows"] == 2


def test_quoted_fields_may_hold_commas_and_newlines(write_csv):
    path = write_csv('a,b\n"x, y","two\nlines"\n')

    assert inspect_csv(path)["preview"] == [["x, y", "two\nlines"]]


# Few distinct integer values, each with enough rows, read as classes; otherwise numbers are a quantity.
@pytest.mark.parametrize("target_of, n_rows, task", [
    (lambda i: "cat" if i % 2 else "dog", 40, "classification"),  # text values
    (lambda i: i % 2, 6, "classification"),  # binary integers, even with few rows
    (lambda i: i % 4, 20, "classification"),  # 4 values, 5 rows each
    (lambda i: i % 4, 19, "regression"),  # 4 values, one with too few rows
    (lambda i: i % 21, 420, "regression"),  # too many distinct integers
    (lambda i: i % 2 + 0.5, 40, "regression"),  # fractional numbers
], ids=["categorical", "binary-small", "few-integers-enough-rows", "few-integers-too-few-rows",
        "many-integers", "fractional"])
def test_the_task_follows_the_target_values(write_csv, target_of, n_rows, task):
    path = write_csv(csv_text(["x", "y"], [[i, target_of(i)] for i in range(n_rows)]))

    assert detect_task(path, "y") == task


def test_all_numeric_features_load_as_a_float_array_with_nan_for_missing(write_csv):
    path = write_csv("a,b,y\n1,2.5,0\n,3,1\n")

    X, y, kinds = load_csv(path, "y")

    assert X.dtype == float
    assert math.isnan(X[1, 0]) and X[0, 1] == 2.5
    assert kinds == {"a": "numeric", "b": "numeric"}


def test_categorical_features_load_as_stripped_strings_beside_floats(write_csv):
    path = write_csv("colour,y,size\n red ,0,1\nNA,1,2\n")

    X, y, kinds = load_csv(path, "y")

    assert kinds == {"colour": "categorical", "size": "numeric"}
    assert X[0, 0] == "red" and math.isnan(X[1, 0]) and X[1, 1] == 2.0


def test_integer_class_labels_load_as_ints(write_csv):
    path = write_csv(csv_text(["x", "y"], [[i, i % 2] for i in range(6)]))

    _, y, _ = load_csv(path, "y")

    assert y.dtype == np.int64 and y.tolist() == [0, 1, 0, 1, 0, 1]


def test_text_class_labels_load_as_strings(write_csv):
    path = write_csv("x,y\n1, yes\n2,no\n")

    _, y, _ = load_csv(path, "y")

    assert y.tolist() == ["yes", "no"]


def test_regression_target_loads_as_floats(write_csv):
    path = write_csv(csv_text(["x", "y"], [[i, i % 2] for i in range(6)]))

    _, y, _ = load_csv(path, "y", task="regression")

    assert y.dtype == float
