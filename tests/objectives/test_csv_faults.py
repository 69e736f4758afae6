import pytest

from studies.objectives import CsvError, detect_task, inspect_csv, load_csv


def _fault(path, **caps):
    with pytest.raises(CsvError) as info:
        inspect_csv(path, **caps)
    return info.value.message


def test_empty_file(write_csv):
    assert _fault(write_csv("")) == "the file is empty"


def test_file_of_blank_lines_is_empty(write_csv):
    assert _fault(write_csv("\n\n\n")) == "the file is empty"


def test_header_only(write_csv):
    assert _fault(write_csv("a,b\n")) == "the file has a header but no data rows"


def test_duplicate_header_name_names_both_columns(write_csv):
    assert _fault(write_csv("a,b,a\n1,2,3\n")) == "duplicate column name 'a' (columns 1 and 3)"


def test_empty_header_name_names_the_column(write_csv):
    assert _fault(write_csv("a, ,c\n1,2,3\n")) == "column 2 has an empty header name"


def test_ragged_row_names_its_line(write_csv):
    assert _fault(write_csv("a,b\n1,2\n3,4\n5\n")) == "line 4 has 1 fields but the header has 2"


def test_ragged_row_after_a_multiline_field_names_the_right_line(write_csv):
    path = write_csv('a,b\n"x\ny",1\n2,3,4\n')

    assert _fault(path) == "line 4 has 3 fields but the header has 2"


def test_invalid_utf8_names_line_and_byte_offset(write_csv):
    path = write_csv(b"a,b\n1,2\n3,caf\xe9\n")  # offsets count from 0: 8 + len("3,caf")

    assert _fault(path) == "invalid UTF-8 on line 3 (byte offset 13); save the file as UTF-8"


def test_nul_byte_names_line_and_byte_offset(write_csv):
    path = write_csv(b"a,b\n1,\x002\n")

    assert _fault(path) == "NUL byte on line 2 (byte offset 6); is this a binary file?"


def test_unterminated_quote_names_the_line_it_opens_on(write_csv):
    path = write_csv('a,b\n1,2\n3,"four\n5,6\n')

    assert _fault(path) == "unterminated quote: the quoted field starting on line 3 never closes"


def test_text_after_a_closing_quote_is_malformed(write_csv):
    assert _fault(write_csv('a,b\n1,"2"x\n')).startswith("line 2: malformed CSV")


def test_too_many_rows(write_csv):
    path = write_csv("a\n" + "1\n" * 6)

    assert _fault(path, max_rows=5) == "more than 5 data rows"


def test_too_many_columns(write_csv):
    path = write_csv("a,b,c\n1,2,3\n")

    assert _fault(path, max_columns=2) == "the header has 3 columns, more than the 2 allowed"


def test_field_over_the_size_cap_names_line_and_column(write_csv):
    path = write_csv("a,b\n1,2\n3," + "x" * 11 + "\n")

    assert _fault(path, max_field=10) == "line 3, column 'b': the field has 11 characters, over the 10 allowed"


def test_default_field_cap_is_ten_thousand_characters(write_csv):
    path = write_csv("a,b\n1," + "x" * 10_001 + "\n")

    assert "over the 10,000 allowed" in _fault(path)


def test_quote_that_never_closes_before_the_csv_module_limit_is_named(write_csv):
    path = write_csv('a,b\n1,"' + "x" * 140_000)

    assert _fault(path) == "line 2: a field is longer than 10,000 characters (or a quote never closes)"


def test_line_without_newlines_beyond_any_legal_length_is_refused(write_csv):
    path = write_csv("a\n" + "x" * 200)

    assert _fault(path, max_columns=1, max_field=10) == "line 2 is longer than 92 bytes"


def test_target_missing_from_columns(write_csv):
    path = write_csv("a,b\n1,2\n")

    with pytest.raises(CsvError) as info:
        detect_task(path, "label")
    assert info.value.message == "target column 'label' is not in the file"
    assert info.value.field == "objective.target"


def test_constant_target(write_csv):
    path = write_csv("a,y\n1,yes\n2,yes\n3,yes\n")

    with pytest.raises(CsvError, match=r"^target column 'y' is constant \(every row is 'yes'\)$"):
        detect_task(path, "y")


@pytest.mark.parametrize("text, message", [
    ("a,y\n1,1\n2,1.0\n3,1e0\n", "is constant"),  # numerically constant
    ("a,y\n1,\n2,NA\n", r"^target column 'y' has no values$"),
    ("y\n1\n2\n", "no columns besides the target"),  # the target is the only column
], ids=["numerically-constant", "no-values", "only-column"])
def test_a_target_that_cannot_be_learned_is_refused(write_csv, text, message):
    path = write_csv(text)

    with pytest.raises(CsvError, match=message):
        load_csv(path, "y")


def test_regression_on_a_categorical_target_is_refused(write_csv):
    path = write_csv("a,y\n1,cat\n2,dog\n")

    with pytest.raises(CsvError, match="not numeric, so it cannot be a regression target"):
        load_csv(path, "y", task="regression")


def test_csv_error_is_a_value_error(write_csv):
    with pytest.raises(ValueError):
        inspect_csv(write_csv(""))


def test_a_file_separated_by_semicolons_says_so(write_csv):
    message = _fault(write_csv("age;income;churn\n31;1200,5;yes\n45;900;no\n"))

    assert message.startswith("the columns are separated by semicolons (;), not commas: save the file as CSV with commas")


def test_a_file_separated_by_tabs_says_so(write_csv):
    assert _fault(write_csv("age\tincome\tchurn\n31\t1200\tyes\n")).startswith("the columns are separated by tabs, not commas")


def test_a_single_column_file_without_separators_is_read(write_csv):
    assert inspect_csv(write_csv("income\n1\n2\n3\n"))["columns"][0]["name"] == "income"


def test_a_number_too_large_for_the_models_names_its_column(write_csv):
    message = _fault(write_csv("x,y\n1e300,1\n2,0\n3,1\n"))

    assert message.startswith("column 'x' holds 1e+300, larger than the models can take")


def test_a_large_but_usable_number_is_read(write_csv):
    assert inspect_csv(write_csv("x,y\n-1e30,1\n2,0\n3,1\n"))["columns"][0]["kind"] == "numeric"
