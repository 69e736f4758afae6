"""What the upload page learns about a CSV: the guessed target, columns to leave out, balance, metric."""

import pytest

from studies.objectives import CsvError, inspect_csv, inspect_target

from .csvfiles import csv_text


def _churn_rows(n=40, share_yes=0.5):
    n_yes = round(n * share_yes)
    return [[1000 + i, f"c{i}", 20 + i % 7, "yes" if i < n_yes else "no", "x"] for i in range(n)]


def test_a_column_named_like_a_target_is_suggested_over_the_last(write_csv):
    path = write_csv(csv_text(["Churn", "age", "plan"], [["yes" if i % 2 else "no", i % 9, f"p{i % 3}"] for i in range(20)]))

    info = inspect_csv(path)

    assert info["suggested_target"] == "Churn"
    assert info["target_reason"] == "'Churn' is named like the column to predict; change it if you want another."


@pytest.mark.parametrize("name", ["target", "Label", "is_churn", "ClassLabel", "y", "Outcome (final)"])
def test_target_words_match_as_words_in_any_case(write_csv, name):
    path = write_csv(csv_text([name, "a", "b"], [[i % 2, i, i % 3] for i in range(20)]))

    assert inspect_csv(path)["suggested_target"] == name


@pytest.mark.parametrize("name", ["classic", "yield", "relabelled"])
def test_target_words_inside_other_words_do_not_match(write_csv, name):
    path = write_csv(csv_text([name, "a", "b"], [[i % 2, i % 4, i % 3] for i in range(20)]))

    assert inspect_csv(path)["suggested_target"] == "b"


def test_the_last_column_is_suggested_when_no_name_says_target(write_csv):
    path = write_csv(csv_text(["a", "price"], [[i % 5, i * 1.5] for i in range(20)]))

    info = inspect_csv(path)

    assert info["suggested_target"] == "price"
    assert "last column" in info["target_reason"]


def test_a_constant_last_column_is_passed_over_for_the_target(write_csv):
    path = write_csv(csv_text(["a", "b", "source"], [[i % 5, i % 2, "web"] for i in range(20)]))

    assert inspect_csv(path)["suggested_target"] == "b"


def test_text_and_integer_id_columns_are_excluded_with_a_reason(write_csv):
    path = write_csv(csv_text(["customer_id", "name", "age", "churn", "source"], _churn_rows()))

    excluded = {item["name"]: item["reason"] for item in inspect_csv(path)["excluded"]}

    assert set(excluded) == {"customer_id", "name", "source"}
    assert "like an ID" in excluded["customer_id"] and "like an ID" in excluded["name"]
    assert excluded["source"] == "every row has the same value ('x'), so it cannot tell rows apart"


def test_excluded_columns_each_have_a_note(write_csv):
    path = write_csv(csv_text(["customer_id", "name", "age", "churn", "source"], _churn_rows()))

    notes = inspect_csv(path)["notes"]

    assert any(note.startswith("'customer_id' is left out: every row has a different whole number") for note in notes)


def test_unique_whole_numbers_with_gaps_and_no_id_name_are_kept(write_csv):
    rows = [[i * i, i % 2] for i in range(30)]  # e.g. incomes: unique, but a measurement
    path = write_csv(csv_text(["income", "y"], rows))

    assert inspect_csv(path)["excluded"] == []


def test_a_row_number_counting_from_one_is_excluded(write_csv):
    path = write_csv(csv_text(["n", "a", "y"], [[i + 1, i % 3, i % 2] for i in range(20)]))

    assert [item["name"] for item in inspect_csv(path)["excluded"]] == ["n"]


def test_years_of_a_yearly_table_are_kept(write_csv):
    path = write_csv(csv_text(["year", "gdp"], [[1990 + i, 100 + 3 * i] for i in range(30)]))

    assert inspect_csv(path)["excluded"] == []


def test_unique_decimal_numbers_are_kept(write_csv):
    path = write_csv(csv_text(["weight", "y"], [[i + 0.5, i % 2] for i in range(30)]))

    assert inspect_csv(path)["excluded"] == []


def test_a_unique_column_in_a_tiny_table_is_kept(write_csv):
    path = write_csv(csv_text(["name", "y"], [[f"n{i}", i % 2] for i in range(9)]))

    assert inspect_csv(path)["excluded"] == []


def test_an_all_missing_column_is_excluded(write_csv):
    path = write_csv(csv_text(["empty", "a", "y"], [["", i % 4, i % 2] for i in range(20)]))

    assert inspect_csv(path)["excluded"] == [{"name": "empty", "reason": "every value is missing"}]


def test_a_category_that_is_sometimes_missing_is_kept(write_csv):
    path = write_csv(csv_text(["flag", "a", "y"], [["set" if i % 3 else "", i % 4, i % 2] for i in range(20)]))

    assert inspect_csv(path)["excluded"] == []


def test_the_chosen_target_is_never_in_the_excluded_list(write_csv):
    path = write_csv(csv_text(["customer_id", "name", "age", "churn", "source"], _churn_rows()))

    excluded = [item["name"] for item in inspect_target(path, "age")["excluded"]]

    assert "age" not in excluded and "customer_id" in excluded


def test_class_balance_of_the_suggested_target_most_common_first(write_csv):
    path = write_csv(csv_text(["a", "churn"], [[i, "yes" if i < 15 else "no"] for i in range(50)]))

    assert inspect_csv(path)["class_balance"] == [
        {"label": "no", "n_rows": 35, "share": 0.7},
        {"label": "yes", "n_rows": 15, "share": 0.3},
    ]


def test_whole_number_labels_are_counted_by_number_and_typed_as_ints(write_csv):
    path = write_csv(csv_text(["a", "y"], [[i, ["1", "1.0", "0"][i % 3]] for i in range(30)]))

    assert inspect_csv(path)["class_balance"] == [
        {"label": 1, "n_rows": 20, "share": 0.6667},
        {"label": 0, "n_rows": 10, "share": 0.3333},
    ]


def test_regression_target_has_no_class_balance_and_defaults_to_r2(write_csv):
    path = write_csv(csv_text(["a", "price"], [[i % 5, i * 1.5] for i in range(20)]))

    info = inspect_csv(path)

    assert (info["task"], info["class_balance"], info["metric"]) == ("regression", None, "r2")


def test_an_imbalanced_target_defaults_to_balanced_accuracy_with_the_reason(write_csv):
    path = write_csv(csv_text(["a", "churn"], [[i % 7, "yes" if i < 9 else "no"] for i in range(50)]))

    info = inspect_csv(path)

    assert info["metric"] == "balanced_accuracy"
    assert info["metric_reason"].startswith("82% of rows are 'no', so a model that always answers 'no' would score 82% accuracy")


def test_a_balanced_target_defaults_to_accuracy(write_csv):
    path = write_csv(csv_text(["a", "churn"], [[i % 7, "yes" if i < 20 else "no"] for i in range(50)]))

    assert inspect_csv(path)["metric"] == "accuracy"


def test_an_unusable_suggested_target_is_a_note_not_a_refusal(write_csv):
    path = write_csv("a,b\n1,x\n1,x\n")

    info = inspect_csv(path)

    assert info["task"] is None
    assert info["notes"] == ["target column 'b' is constant (every row is 'x'); choose another target."]


def test_inspecting_a_constant_target_is_an_error_on_the_target(write_csv):
    path = write_csv("a,b\n1,x\n2,x\n")

    with pytest.raises(CsvError) as info:
        inspect_target(path, "b")
    assert info.value.field == "objective.target"


def test_inspecting_an_absent_target_is_an_error_on_the_target(write_csv):
    path = write_csv("a,b\n1,x\n2,y\n")

    with pytest.raises(CsvError, match="'nope' is not in the file"):
        inspect_target(path, "nope")


@pytest.mark.parametrize("dates", [
    ["2024-01-03", "2024-02-13", "2024-01-03", "2024-10-26"],
    ["03.01.2024", "13.02.2024", "03.01.2024", "26.10.2024"],
    ["2024-01-03T09:30:00Z", "2024-02-13 17:05", "2024-01-03T10:30:00+01:00", "2024-10-26 08:00:00"],
])
def test_a_column_of_dates_is_described_as_dates_with_a_note_on_what_a_model_learns_from_it(write_csv, dates):
    rows = [(dates[i % 4], i % 7, i % 2) for i in range(40)]

    info = inspect_csv(write_csv(csv_text(["sold_on", "rooms", "sold"], rows)))

    assert info["columns"][0] == {"name": "sold_on", "kind": "date", "n_missing": 0, "n_unique": 3}
    assert info["dates"] == ["sold_on"]
    assert info["notes"][-1] == (
        "'sold_on' holds dates: Tuner reads each as the days since 1 January 1970, so a model can learn a trend "
        "over time; a pattern by month or day of the week it cannot see, so put those in columns of their own if "
        "they matter.")


def test_slashed_dates_stay_categories_with_a_note_on_why_and_what_to_write_instead(write_csv):
    rows = [(("03/01/2024", "13/02/2024")[i % 2], i % 7, i % 2) for i in range(40)]

    info = inspect_csv(write_csv(csv_text(["sold_on", "rooms", "sold"], rows)))

    assert info["columns"][0]["kind"] == "categorical"
    assert info["notes"][-1].startswith(
        "'sold_on' holds dates with slashes, like '03/01/2024', which Tuner does not read as dates: 03/04/2024 is "
        "3 April in some countries and 4 March in others.")
    assert "write them year first, like 2024-03-31" in info["notes"][-1]


def test_a_column_of_dates_with_one_impossible_date_names_it_in_its_note(write_csv):
    rows = [(("2024-01-03", "2024-02-30")[i % 2], i % 7, i % 2) for i in range(40)]

    info = inspect_csv(write_csv(csv_text(["sold_on", "rooms", "sold"], rows)))

    assert info["columns"][0]["kind"] == "categorical"
    assert info["notes"][-1].startswith("'sold_on' holds dates, but '2024-02-30' is not a date Tuner can read")


def test_dates_a_file_was_described_without_stay_categories_and_the_note_says_to_upload_it_again(write_csv):
    rows = [(("2024-01-03", "2024-02-13")[i % 2], i % 7, i % 2) for i in range(40)]

    info = inspect_target(write_csv(csv_text(["sold_on", "rooms", "sold"], rows)), "sold", dates=frozenset())

    assert info["dates"] == ["sold_on"]
    assert info["notes"][-1].startswith("'sold_on' holds dates, which Tuner reads as categories in this file")
    assert "Upload the file again" in info["notes"][-1]


def test_a_different_date_on_every_row_is_a_time_line_not_an_id(write_csv):
    rows = [(f"2024-01-{1 + i:02d}", i % 7, i % 2) for i in range(20)]

    info = inspect_csv(write_csv(csv_text(["day", "rooms", "sold"], rows)))

    assert info["excluded"] == []


def test_a_text_column_that_only_starts_like_a_date_has_no_date_note(write_csv):
    rows = [(("2024-01-03 meeting", "2024-02-13 call")[i % 2], i % 7, i % 2) for i in range(40)]

    notes = inspect_csv(write_csv(csv_text(["event", "rooms", "sold"], rows)))["notes"]

    assert not any("holds dates" in note for note in notes)
