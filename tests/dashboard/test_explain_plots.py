"""The explanation's charts: one figure per chart from the stored records, user text (column
names, class labels) escaped for Plotly, and captions that say what the chart shows in words."""

from dashboard import explain, plots

COLUMNS = [{"name": "<b>tenure</b>", "importance": 0.12, "importance_std": 0.01},
           {"name": "2019", "importance": 0.0, "importance_std": 0.0}]
MATRIX = {"labels": ["no", "<i>yes</i>"], "counts": [[50, 2], [14, 34]], "caption": ""}


def test_column_names_are_escaped_and_read_as_names_not_numbers():
    figure = plots.column_importance(COLUMNS, "drop in accuracy when shuffled")

    trace = figure["traces"][0]
    assert trace["y"] == ["2019", "&lt;b>tenure&lt;/b>"], "the most important on top (last)"
    assert figure["layout"]["yaxis"]["type"] == "category"


def test_the_columns_caption_names_the_top_column_and_what_shuffling_it_costs():
    assert explain.columns_caption(COLUMNS, "accuracy").startswith(
        "Which columns the model leans on most: shuffling '<b>tenure</b>' among rows it had not seen lowers its "
        "accuracy by 0.12.")
    assert "raises its root mean squared error by 0.12" in explain.columns_caption(COLUMNS, "rmse")


def test_no_column_that_matters_is_said_so():
    assert explain.columns_caption(COLUMNS[1:], "r2") == (
        "No single column matters much: shuffling any one of them barely changes the model's R².")


def test_the_confusion_matrix_escapes_class_labels_and_counts_right_answers():
    figure = plots.confusion_matrix(MATRIX)

    assert figure["traces"][0]["x"] == ["no", "&lt;i>yes&lt;/i>"]
    assert explain.confusion_caption(MATRIX, "churn") == (
        "Right on 84 of 100 rows it had not seen (84%). Each row of boxes is a real 'churn', each column what the "
        "model answered: the boxes from top left to bottom right are right answers. Its most common mistake: "
        "answering 'no' for 14 rows that were '<i>yes</i>'.")


def test_partial_dependence_over_categories_draws_bars_one_series_per_class():
    curve = {"name": "plan", "kind": "categorical", "grid": ["monthly", "yearly"], "quantity": "probability",
             "series": [{"label": "a", "values": [0.1, 0.2]}, {"label": "b", "values": [0.9, 0.8]}], "caption": ""}

    figure = plots.partial_dependence(curve)

    assert [trace["type"] for trace in figure["traces"]] == ["bar", "bar"]
    assert figure["layout"]["showlegend"] and figure["layout"]["xaxis"]["type"] == "category"
    assert figure["layout"]["yaxis"]["title"]["text"] == "average chance"


def test_partial_dependence_over_a_date_column_shows_dates_not_day_counts():
    curve = {"name": "sold_on", "kind": "date", "grid": [19_813.0, 19_813.5, 19_844.0], "quantity": "prediction",
             "series": [{"label": "price", "values": [10, 11, 12]}], "caption": ""}

    figure = plots.partial_dependence(curve)

    assert figure["traces"][0]["x"] == ["2024-03-31", "2024-03-31 12:00:00", "2024-05-01"]
    assert figure["layout"]["xaxis"]["type"] == "date"


def test_predicted_against_actual_says_when_it_shows_a_sample():
    points = {"actual": [1.0, 2.0], "predicted": [1.5, 1.8], "n_rows": 5000, "caption": ""}

    figure = plots.predicted_vs_actual(points, "<price>")

    assert figure["note"] == "Showing 2 of 5,000 rows, a fixed sample."
    assert figure["traces"][1]["x"] == [1.0, 2.0], "the diagonal spans the values"
    assert figure["layout"]["xaxis"]["title"]["text"] == "real &lt;price>"
