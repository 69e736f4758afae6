"""Predicting on an uploaded CSV: columns matched by name, every bad file named, output safe to open."""

import csv
import io

import numpy as np
import pytest

from studies.objectives import CsvError, load_csv
from studies.objectives.estimators import ESTIMATORS, make_estimator
from studies.objectives.pipeline import build_pipeline
from studies.objectives.predict import MissingColumns, predict_csv

from .csvfiles import csv_text

TRAIN = csv_text(["plan", "tenure", "churn"],
                 [["basic" if i % 2 else "premium", i % 30, "yes" if i % 2 else "no"] for i in range(60)])


@pytest.fixture
def trained(write_csv):
    X, y, kinds = load_csv(write_csv(TRAIN, "train.csv"), "churn")
    model = build_pipeline(make_estimator("logistic_regression", "classification", {}), kinds.values(), True)
    return model.fit(X, y), kinds


def _read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_output_has_the_input_columns_then_prediction_and_a_probability_per_class(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv("tenure,plan\n3,basic\n5,premium\n", "new.csv")

    result = predict_csv(model, kinds, source, tmp_path / "out.csv")

    rows = _read(tmp_path / "out.csv")
    assert rows[0] == ["tenure", "plan", "prediction", "probability_no", "probability_yes"]
    assert [row[:3] for row in rows[1:]] == [["3", "basic", "yes"], ["5", "premium", "no"]]
    assert all(float(row[3]) + float(row[4]) == pytest.approx(1, abs=1e-5) for row in rows[1:])
    assert result == {"n_rows": 2, "columns": rows[0], "probabilities": True}


def test_a_classifier_without_probabilities_gives_only_the_prediction(write_csv, tmp_path):
    X, y, kinds = load_csv(write_csv(TRAIN, "train.csv"), "churn")
    svm = build_pipeline(make_estimator("svm", "classification", {}, "balanced_accuracy"), kinds.values(), True)
    source = write_csv("tenure,plan\n3,basic\n", "new.csv")

    result = predict_csv(svm.fit(X, y), kinds, source, tmp_path / "out.csv")

    assert _read(tmp_path / "out.csv")[0] == ["tenure", "plan", "prediction"]
    assert result["probabilities"] is False


def test_extra_columns_are_kept_in_the_output_and_ignored_by_the_model(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv("note,plan,tenure,churn\nhi,basic,3,no\n", "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    assert _read(tmp_path / "out.csv")[1][:5] == ["hi", "basic", "3", "no", "yes"]


def test_missing_columns_are_all_named_on_the_file_field(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv("note\nhi\n", "new.csv")

    with pytest.raises(MissingColumns) as info:
        predict_csv(model, kinds, source, tmp_path / "out.csv")
    assert info.value.field == "file"
    assert info.value.columns == ["plan", "tenure"]
    assert info.value.message == "the file lacks the columns the model needs: 'plan', 'tenure'"
    assert not (tmp_path / "out.csv").exists()


def test_a_category_the_model_never_saw_is_fine(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv("plan,tenure\ngold,3\n", "new.csv")

    assert predict_csv(model, kinds, source, tmp_path / "out.csv")["n_rows"] == 1


def test_missing_values_are_filled_as_in_training(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv("plan,tenure\n,NA\n", "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    assert _read(tmp_path / "out.csv")[1][:3] in (["", "NA", "yes"], ["", "NA", "no"])


def test_a_number_with_thousands_separators_is_read_as_in_training(write_csv, tmp_path, trained):
    model, kinds = trained
    grouped = write_csv('plan,tenure\nbasic,"1,000"\n', "grouped.csv")
    plain = write_csv("plan,tenure\nbasic,1000\n", "plain.csv")

    predict_csv(model, kinds, grouped, tmp_path / "grouped-out.csv")
    predict_csv(model, kinds, plain, tmp_path / "plain-out.csv")

    assert _read(tmp_path / "grouped-out.csv")[1][2:] == _read(tmp_path / "plain-out.csv")[1][2:]


def test_text_in_a_numeric_column_names_its_line_and_column_and_leaves_no_output(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv("plan,tenure\nbasic,3\nbasic,three\n", "new.csv")

    with pytest.raises(CsvError) as info:
        predict_csv(model, kinds, source, tmp_path / "out.csv", batch_rows=1)
    assert info.value.field == "file"
    assert info.value.message.startswith("line 3, column 'tenure': 'three' is not a number")
    assert not (tmp_path / "out.csv").exists()


def test_a_broken_file_is_an_error_on_the_file_field(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv(b"plan,tenure\nbasic,\xff\n", "new.csv")

    with pytest.raises(CsvError) as info:
        predict_csv(model, kinds, source, tmp_path / "out.csv")
    assert info.value.field == "file" and "UTF-8" in info.value.message


def test_the_uploaded_file_is_never_changed(write_csv, tmp_path, trained):
    model, kinds = trained
    content = "plan,tenure\n=cmd(),3\nbasic,4\n"
    source = write_csv(content, "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    assert source.read_text(encoding="utf-8") == content


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+cmd", "-cmd", " =1+2", "\n=1+2", "\t1"])
def test_cells_that_could_run_as_formulas_are_neutralised(write_csv, tmp_path, trained, cell):
    model, kinds = trained
    source = tmp_path / "new.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["plan", "tenure", "note"], ["basic", "3", cell]])
    source.write_text(buffer.getvalue(), encoding="utf-8", newline="")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    assert _read(tmp_path / "out.csv")[1][2] == "'" + cell


def test_numbers_and_plain_text_are_not_touched(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv("plan,tenure,delta\nbasic,3,-1.5\n", "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    assert _read(tmp_path / "out.csv")[1][:3] == ["basic", "3", "-1.5"]


def test_a_formula_like_class_label_is_neutralised_as_a_prediction(write_csv, tmp_path):
    X, y, kinds = load_csv(write_csv("a,y\n1,=x\n2,ok\n3,=x\n4,ok\n", "train.csv"), "y")
    model = build_pipeline(make_estimator("knn", "classification", {"n_neighbors": 1}), kinds.values(), True).fit(X, y)
    source = write_csv("a\n1\n", "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    assert _read(tmp_path / "out.csv") == [["a", "prediction", "probability_=x", "probability_ok"], ["1", "'=x", "1", "0"]]


def test_an_input_column_named_prediction_keeps_its_name_and_ours_moves_aside(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv("plan,tenure,prediction\nbasic,3,old\n", "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    assert _read(tmp_path / "out.csv")[0][:4] == ["plan", "tenure", "prediction", "prediction_2"]


def test_a_regressor_writes_only_the_prediction(write_csv, tmp_path):
    X, y, kinds = load_csv(write_csv(csv_text(["a", "y"], [[i, 2 * i + 0.5] for i in range(20)]), "train.csv"), "y")
    model = build_pipeline(make_estimator("ridge", "regression", {"alpha": 1e-6}), kinds.values(), True).fit(X, y)
    source = write_csv("a\n100\n", "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    rows = _read(tmp_path / "out.csv")
    assert rows[0] == ["a", "prediction"]
    assert float(rows[1][1]) == pytest.approx(200.5, rel=1e-3)


def test_a_classifier_without_probabilities_writes_only_the_prediction(write_csv, tmp_path):
    X, y, kinds = load_csv(write_csv(TRAIN, "train.csv"), "churn")
    model = build_pipeline(make_estimator("svm", "classification", {}), kinds.values(), True).fit(X, y)
    source = write_csv("plan,tenure\nbasic,3\n", "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    assert _read(tmp_path / "out.csv")[0] == ["plan", "tenure", "prediction"]


def test_progress_is_reported_after_each_batch(write_csv, tmp_path, trained):
    model, kinds = trained
    source = write_csv(csv_text(["plan", "tenure"], [["basic", i] for i in range(5)]), "new.csv")
    seen = []

    predict_csv(model, kinds, source, tmp_path / "out.csv", report=seen.append, batch_rows=2)

    assert seen == [2, 4, 5]


def test_the_output_never_overwrites_the_upload(write_csv, trained):
    model, kinds = trained
    source = write_csv("plan,tenure\nbasic,3\n", "new.csv")

    with pytest.raises(ValueError):
        predict_csv(model, kinds, source, source)
    assert source.exists()


def test_integer_class_labels_are_written_without_a_decimal_point(write_csv, tmp_path):
    X, y, kinds = load_csv(write_csv(csv_text(["a", "y"], [[i, i % 2] for i in range(20)]), "train.csv"), "y")
    model = build_pipeline(make_estimator("knn", "classification", {}), kinds.values(), True).fit(X, y)
    source = write_csv("a\n3\n", "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    rows = _read(tmp_path / "out.csv")
    assert rows[0][1:] == ["prediction", "probability_0", "probability_1"] and rows[1][1] in ("0", "1")
    assert np.isclose(float(rows[1][2]) + float(rows[1][3]), 1)


DATED = csv_text(["signed_up", "plan", "spend"],
                 [[f"2024-01-{1 + i % 28:02d}", "ab"[i % 2], 10 * (1 + i % 28)] for i in range(56)])


@pytest.fixture
def dated(write_csv):
    X, y, kinds = load_csv(write_csv(DATED, "train.csv"), "spend", dates={"signed_up"})
    model = build_pipeline(make_estimator("ridge", "regression", {"alpha": 1e-6}), kinds.values(), True)
    return model.fit(X, y), kinds


def test_dates_in_a_new_file_are_read_as_the_model_learned_them_in_any_form_it_reads(write_csv, tmp_path, dated):
    model, kinds = dated
    source = write_csv("plan,signed_up\na,2024-01-05\na,05.01.2024\na,2024-01-05T02:00+02:00\nb,\n", "new.csv")

    predict_csv(model, kinds, source, tmp_path / "out.csv")

    predictions = [float(row[2]) for row in _read(tmp_path / "out.csv")[1:]]
    assert predictions[0] == pytest.approx(50, abs=1)
    assert predictions[1] == predictions[2] == predictions[0]
    assert predictions[3] > 0  # a missing date takes the training median


def test_a_value_that_is_not_a_date_in_a_date_column_names_its_line_and_column(write_csv, tmp_path, dated):
    model, kinds = dated
    source = write_csv("plan,signed_up\na,2024-01-05\nb,next Tuesday\n", "new.csv")

    with pytest.raises(CsvError) as info:
        predict_csv(model, kinds, source, tmp_path / "out.csv")
    assert info.value.field == "file"
    assert info.value.message == ("line 3, column 'signed_up': 'next Tuesday' is not a date like 2024-03-31, but the "
                                  "model learned 'signed_up' as dates; fix the value or leave the cell empty")
    assert not (tmp_path / "out.csv").exists()
