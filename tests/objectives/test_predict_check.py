"""check_csv: the faults predict_csv would meet in a file, found before any model is fitted."""

import pytest

from studies.objectives import CsvError, MissingColumns
from studies.objectives.predict import check_csv

KINDS = {"age": "numeric", "plan": "categorical"}


def _file(tmp_path, text):
    path = tmp_path / "new.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_that_fits_gives_its_row_count(tmp_path):
    assert check_csv(KINDS, _file(tmp_path, "id,plan,age\n1,new plan,30\n2,,\n3,yearly,4.5\n"), batch_rows=2) == 3


def test_missing_columns_are_named_in_the_model_order(tmp_path):
    with pytest.raises(MissingColumns) as raised:
        check_csv(KINDS, _file(tmp_path, "id\n1\n"))

    assert raised.value.columns == ["age", "plan"] and raised.value.field == "file"


def test_a_word_in_a_numeric_column_is_found_on_any_batch(tmp_path):
    with pytest.raises(CsvError) as raised:
        check_csv(KINDS, _file(tmp_path, "age,plan\n1,a\n2,b\n3,c\nold,d\n"), batch_rows=2)

    assert raised.value.message.startswith("line 5, column 'age': 'old' is not a number")
    assert raised.value.field == "file"
