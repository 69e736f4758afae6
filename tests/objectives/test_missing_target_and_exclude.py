"""Rows without a target are left out; any column can be left out by name."""

import pytest

from studies.objectives import CsvError, detect_task, inspect_target, load_csv

from .csvfiles import csv_text


def test_rows_whose_target_is_missing_are_left_out(write_csv):
    path = write_csv("a,y\n1,2\n2,\n3,NA\n4,5\n")

    X, y, _ = load_csv(path, "y")

    assert X[:, 0].tolist() == [1.0, 4.0]
    assert y.tolist() == [2, 5]


def test_inspection_says_how_many_rows_would_be_dropped(write_csv):
    path = write_csv("a,y\n1,2\n2,\n3,NA\n4,5\n")

    info = inspect_target(path, "y")

    assert info["n_dropped"] == 2
    assert "2 rows have no value in 'y' and will be left out." in info["notes"]


def test_task_detection_ignores_rows_without_a_target(write_csv):
    rows = [[i, i % 2] for i in range(10)] + [[10, ""]] * 50
    path = write_csv(csv_text(["x", "y"], rows))

    assert detect_task(path, "y") == "classification"


def test_excluded_columns_are_not_features(write_csv):
    path = write_csv("a,b,c,y\n1,x,3,0\n2,z,4,1\n")

    X, _, kinds = load_csv(path, "y", exclude=["b"])

    assert kinds == {"a": "numeric", "c": "numeric"}
    assert X.tolist() == [[1.0, 3.0], [2.0, 4.0]]


def test_excluding_an_unknown_column_names_it_on_the_exclude_field(write_csv):
    path = write_csv("a,b,y\n1,2,0\n2,3,1\n")

    with pytest.raises(CsvError) as info:
        load_csv(path, "y", exclude=["nope"])
    assert (info.value.field, info.value.message) == ("objective.exclude", "excluded column 'nope' is not in the file")


def test_excluding_every_feature_is_refused(write_csv):
    path = write_csv("a,b,y\n1,2,0\n2,3,1\n")

    with pytest.raises(CsvError, match="every column besides the target is excluded"):
        load_csv(path, "y", exclude=["a", "b"])
