"""Columns of dates: read as the days since 1970-01-01 when the dataset's description says so,
taken by the models as numbers, and left as categories when a date could be read two ways."""

import math

import numpy as np
import pytest

from studies.objectives import DatasetFile, evaluate, load_csv, load_table
from studies.objectives.csvdates import parse_date
from studies.objectives.pipeline import build_pipeline
from studies.objectives.estimators import make_estimator

from .csvfiles import csv_text


def _dated(write_csv, dates):
    rows = [(dates[i % len(dates)], i % 7, i % 2) for i in range(40)]
    return write_csv(csv_text(["signed_up", "visits", "churn"], rows))


@pytest.mark.parametrize("dates", [
    ["2024-01-03", "2024-02-13", "2024-10-26"],
    ["2024/01/03", "2024/2/13", "2024/10/26"],
    ["2024-01-03T09:30:00Z", "2024-02-13 17:05", "2024-10-26T08:00:00.250+02:00"],
    ["03.01.2024", "13.02.2024", "26.10.2024 08:00"],
], ids=["iso", "year-first-slashes", "with-time-and-offset", "day-first-dots"])
def test_a_column_described_as_dates_whose_values_are_all_dates_is_a_date_column(write_csv, dates):
    _, _, kinds = load_csv(_dated(write_csv, dates), "churn", dates={"signed_up"})

    assert kinds == {"signed_up": "date", "visits": "numeric"}


def test_slashed_dates_with_the_year_last_stay_categorical_as_day_and_month_could_be_either_way(write_csv):
    path = _dated(write_csv, ["03/01/2024", "13/02/2024", "26/10/2024"])

    _, _, kinds = load_csv(path, "churn", dates={"signed_up"})

    assert kinds["signed_up"] == "categorical"


def test_a_column_of_dates_with_one_value_that_is_not_a_date_stays_categorical(write_csv):
    path = _dated(write_csv, ["2024-01-03", "2024-02-13", "soon"])

    _, _, kinds = load_csv(path, "churn", dates={"signed_up"})

    assert kinds["signed_up"] == "categorical"


def test_a_column_of_dates_the_description_does_not_name_stays_categorical(write_csv):
    path = _dated(write_csv, ["2024-01-03", "2024-02-13"])

    X, _, kinds = load_csv(path, "churn")

    assert kinds["signed_up"] == "categorical"
    assert X[0, 0] == "2024-01-03"


def test_a_date_is_the_days_since_1970_with_the_time_as_a_fraction():
    assert parse_date("1970-01-01") == 0.0
    assert parse_date("2024-03-31") == 19_813.0
    assert parse_date("31.03.2024") == 19_813.0
    assert parse_date("2024-03-31T18:00") == 19_813.75
    assert parse_date("1969-12-31") == -1.0


def test_a_time_with_an_offset_is_converted_to_utc():
    assert parse_date("2024-03-31T02:00:00+02:00") == 19_813.0
    assert parse_date("2024-03-30T18:00-0600") == 19_813.0
    assert parse_date("2024-03-31T00:00:00Z") == 19_813.0


@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-01", "2024-03-31T24:00", "2024-03-31T09:30+25:00",
                                   "2024-03/31", "31/03/2024", "2024-03-31Z", "2024-03-31 tomorrow"])
def test_an_impossible_or_ambiguous_date_is_not_read(value):
    assert parse_date(value) is None


def test_a_date_column_reaches_the_model_as_days_and_a_missing_date_as_nan(write_csv):
    path = write_csv("signed_up,plan,churn\n1970-01-02,a,1\n,b,0\n1970-01-01T12:00,a,1\n1970-01-03,b,0\n")

    X, _, kinds = load_csv(path, "churn", dates={"signed_up"})

    assert kinds == {"signed_up": "date", "plan": "categorical"}
    assert X[0, 0] == 1.0 and math.isnan(X[1, 0]) and X[2, 0] == 0.5


def test_the_pipeline_imputes_a_date_column_with_its_median_and_scales_it_as_a_number():
    model = build_pipeline(make_estimator("ridge", "regression", {}), ["date", "categorical"], True)
    X = np.array([[0.0, "a"], [np.nan, "b"], [10.0, "a"]], dtype=object)

    prepared = model.named_steps["prepare"].fit_transform(X)

    assert prepared[:, 0].tolist() == pytest.approx([-1.2247449, 0.0, 1.2247449])
    assert prepared.shape == (3, 3)  # the date one column, the category two


def test_a_dataset_file_names_its_date_columns_to_the_loader(write_csv):
    path = _dated(write_csv, ["2024-01-03", "2024-02-13"])
    spec = {"dataset": "csv:1", "target": "churn", "task": "classification"}

    table = load_table(spec, DatasetFile(str(path), frozenset({"signed_up"})))

    assert table.kinds["signed_up"] == "date"


def _trend(write_csv):
    # A price rising a unit a week, read on days none of which repeats: only a trend carries over
    # to days a fold has not seen.
    rng = np.random.default_rng(0)
    start = np.datetime64("2021-01-01")
    rows = []
    for i in range(300):
        day = start + np.timedelta64(int(i * 2.4), "D")
        rows.append((str(day), "ab"[i % 2], round(i * 2.4 / 7 + rng.normal(0, 1), 3)))
    return write_csv(csv_text(["sold_on", "shop", "price"], rows))


def test_a_model_learns_a_trend_over_time_from_dates_that_as_categories_it_cannot(write_csv):
    path = str(_trend(write_csv))
    spec = {"kind": "sklearn", "estimator": "random_forest", "dataset": "csv:1", "target": "price",
            "metric": "r2", "cv": 5}

    as_dates = evaluate(spec, {"n_estimators": 50}, dataset_path=DatasetFile(path, frozenset({"sold_on"})))
    as_categories = evaluate(spec, {"n_estimators": 50}, dataset_path=path)

    assert as_dates > 0.9
    assert as_categories < 0.1
