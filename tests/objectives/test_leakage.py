"""Columns that give the target away are flagged; honest strong columns are not."""

import numpy as np

from studies.objectives import inspect_csv, inspect_target
from studies.objectives.leakage import find_leaks

from .csvfiles import csv_text


def _noisy_churn(n=300, seed=0):
    """Rows where 'tenure' predicts 'churn' well but not perfectly (about 85%)."""
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 60, n)
    churn = np.where(tenure + rng.normal(0, 12, n) < 20, "yes", "no")
    return tenure, churn


def test_a_relabelled_copy_of_the_target_is_flagged(write_csv):
    tenure, churn = _noisy_churn()
    copy = np.where(churn == "yes", "left", "stayed")
    path = write_csv(csv_text(["tenure", "status", "churn"], zip(tenure, copy, churn)))

    leaks = inspect_csv(path)["leakage"]

    assert [leak["columns"] for leak in leaks] == [["status"]]
    assert leaks[0]["metric"] == "balanced_accuracy" and leaks[0]["score"] == 1.0


def test_a_numeric_code_of_a_text_target_is_flagged(write_csv):
    tenure, churn = _noisy_churn()
    path = write_csv(csv_text(["tenure", "churn_flag", "churn"], zip(tenure, (churn == "yes").astype(int), churn)))

    assert [leak["columns"] for leak in inspect_target(path, "churn")["leakage"]] == [["churn_flag"]]


def test_a_strong_honest_column_is_not_flagged(write_csv):
    tenure, churn = _noisy_churn()
    path = write_csv(csv_text(["tenure", "churn"], zip(tenure, churn)))

    assert inspect_csv(path)["leakage"] == []


def test_a_leak_has_a_note_that_says_to_exclude_it(write_csv):
    tenure, churn = _noisy_churn()
    copy = np.where(churn == "yes", "left", "stayed")
    path = write_csv(csv_text(["tenure", "status", "churn"], zip(tenure, copy, churn)))

    info = inspect_csv(path)

    assert info["leakage"][0]["reason"] in info["notes"]
    assert info["leakage"][0]["reason"].startswith("'status' alone predicts 'churn' almost perfectly (balanced accuracy 1.000)")


def test_parts_that_add_up_to_a_regression_target_are_flagged_as_a_pair(write_csv):
    rng = np.random.default_rng(1)
    casual, registered, temp = rng.integers(0, 300, 200), rng.integers(0, 900, 200), rng.normal(20, 5, 200)
    rows = zip(temp.round(2), casual, registered, casual + registered)
    path = write_csv(csv_text(["temp", "casual", "registered", "bikers"], rows))

    leaks = inspect_csv(path)["leakage"]

    assert [sorted(leak["columns"]) for leak in leaks] == [["casual", "registered"]]
    assert leaks[0]["metric"] == "r2" and leaks[0]["score"] >= 0.999


def test_a_regression_target_in_other_units_is_flagged(write_csv):
    rng = np.random.default_rng(2)
    celsius = rng.normal(15, 8, 200)
    rows = zip(rng.normal(size=200).round(3), (celsius * 9 / 5 + 32).round(2), celsius.round(3))
    path = write_csv(csv_text(["noise", "fahrenheit", "celsius"], rows))

    assert [leak["columns"] for leak in inspect_csv(path)["leakage"]] == [["fahrenheit"]]


def test_independent_regression_columns_are_not_flagged():
    rng = np.random.default_rng(3)
    columns = {name: rng.normal(size=300) for name in "abcd"}
    y = columns["a"] + columns["b"] + rng.normal(0, 0.5, 300)  # strong, but not exact

    assert find_leaks(columns, dict.fromkeys(columns, "numeric"), y, "regression") == []


def test_excluded_id_columns_are_not_tested_for_leakage(write_csv):
    tenure, churn = _noisy_churn()
    path = write_csv(csv_text(["customer_id", "tenure", "churn"], zip(range(len(churn)), tenure, churn)))

    info = inspect_csv(path)

    assert [item["name"] for item in info["excluded"]] == ["customer_id"]
    assert info["leakage"] == []


def test_fewer_than_ten_rows_are_not_tested():
    assert find_leaks({"a": [1.0, 2.0]}, {"a": "numeric"}, np.array([1, 2]), "classification") == []


def test_a_wide_file_is_checked_on_its_first_columns_and_says_so(write_csv, monkeypatch):
    monkeypatch.setattr("studies.objectives.inspection.MAX_LEAK_COLUMNS", 2)
    tenure, churn = _noisy_churn()
    copy = np.where(churn == "yes", "left", "stayed")
    path = write_csv(csv_text(["tenure", "age", "status", "churn"], zip(tenure, tenure % 7, copy, churn)))

    info = inspect_csv(path)

    assert info["leakage"] == []
    assert "Only the first 2 columns were checked for columns that give the answer away." in info["notes"]


def test_a_text_column_beside_a_whole_number_regression_target_is_checked_without_failing(write_csv):
    # Prices in whole pounds look like class labels to scikit-learn's guess of the target's
    # type; the upload failed with a 500 on such a file.
    rng = np.random.default_rng(4)
    city = rng.choice(["Leeds", "York", "Hull", "Bath"], 300)
    sqft = rng.integers(400, 3000, 300)
    price = (50 * sqft + np.where(city == "Bath", 60_000, 0) + rng.normal(0, 20_000, 300)).round().astype(int)
    path = write_csv(csv_text(["city", "sqft", "price"], zip(city, sqft, price)))

    info = inspect_csv(path)

    assert info["task"] == "regression"
    assert info["leakage"] == []


def test_a_text_copy_of_a_whole_number_regression_target_is_flagged():
    rng = np.random.default_rng(5)
    price = rng.integers(100, 120, 300)
    columns = {"price_band": [f"band {p}" for p in price], "noise": rng.normal(size=300)}

    leaks = find_leaks(columns, {"price_band": "categorical", "noise": "numeric"}, price.astype(float), "regression")

    assert [leak["columns"] for leak in leaks] == [["price_band"]]


def test_a_date_the_target_is_counted_from_is_flagged_as_a_number(write_csv):
    # Days as a customer, counted from the signup date: the date gives the answer away, which a
    # date read as categories (each seen once or twice) could not show.
    rng = np.random.default_rng(0)
    days = rng.permutation(2000)[:100]
    days[1] = days[0]  # one date twice: not an ID
    dates = [str(np.datetime64("2020-01-01") + int(day)) for day in days]
    path = write_csv(csv_text(["signed_up", "visits", "days_as_customer"],
                              zip(dates, rng.integers(0, 9, 100), 2500 - days)))

    leaks = inspect_csv(path)["leakage"]

    assert [leak["columns"] for leak in leaks] == [["signed_up"]]
