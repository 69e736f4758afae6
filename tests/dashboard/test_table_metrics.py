"""The trial table and the exports show the metrics and attrs trials were given."""

import csv
import io
import json

import pytest

from studies.models import Study, Trial

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

RECALLS = [0.7, None, 0.9, 0.2, 0.5]


@pytest.fixture
def measured_study(owner):
    """Five complete trials; all but trial 1 report a recall and a commit (trial 1 has neither)."""
    study = make_study(owner)
    trials = add_trials(study, [("complete", float(i), {"lr": 0.01, "depth": 3, "kernel": "rbf"}) for i in range(5)])
    for trial, recall in zip(trials, RECALLS):
        if recall is not None:
            Trial.objects.filter(pk=trial.pk).update(
                metrics={"recall": recall, "a__b": recall * 10}, attrs={"commit": f"c{trial.number}", "tags": ["x"]})
    Study.objects.filter(pk=study.pk).update(metric_names=["recall", "a__b"], attr_names=["commit", "tags"])
    study.refresh_from_db()
    return study


def _table(site, study, **query):
    response = site.get(f"/studies/{study.pk}/trials.json", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_rows_carry_metrics_and_attrs_and_the_table_names_them(site, measured_study):
    body = _table(site, measured_study)

    assert body["metric_names"] == ["recall", "a__b"] and body["attr_names"] == ["commit", "tags"]
    assert body["rows"][0]["metrics"]["recall"] == 0.7
    assert body["rows"][0]["attrs"] == {"commit": "c0", "tags": ["x"]}
    assert body["rows"][1]["metrics"] == {} and body["rows"][1]["attrs"] == {}


def test_sorts_by_a_metric_as_a_number_with_missing_ones_last(site, measured_study):
    rows = _table(site, measured_study, sort="metrics.recall", dir="desc")["rows"]

    assert [row["number"] for row in rows] == [2, 0, 4, 3, 1]


def test_sorts_by_a_metric_whose_name_holds_a_double_underscore(site, measured_study):
    rows = _table(site, measured_study, sort="metrics.a__b")["rows"]

    assert [row["number"] for row in rows] == [3, 4, 0, 2, 1]


def test_sorts_by_an_attr_as_text(site, measured_study):
    rows = _table(site, measured_study, sort="attrs.commit", dir="desc")["rows"]

    assert [row["number"] for row in rows] == [4, 3, 2, 0, 1]


def test_filters_by_a_metric_range(site, measured_study):
    rows = _table(site, measured_study, **{"min_metrics.recall": "0.5", "max_metrics.recall": "0.8"})["rows"]

    assert [row["number"] for row in rows] == [0, 4]


def test_sorting_by_an_unknown_metric_is_400(site, measured_study):
    response = site.get(f"/studies/{measured_study.pk}/trials.json", {"sort": "metrics.nope"})

    assert response.status_code == 400
    assert "no such metric" in response.json()["detail"]


def _export(site, study, fmt):
    response = site.get(f"/studies/{study.pk}/export.{fmt}")
    return b"".join(response.streaming_content).decode()


def test_csv_export_has_a_column_per_metric_and_attr(site, measured_study):
    rows = list(csv.DictReader(io.StringIO(_export(site, measured_study, "csv"))))

    assert {"metrics.recall", "metrics.a__b", "attrs.commit", "attrs.tags"} <= set(rows[0])
    assert (rows[0]["metrics.recall"], rows[0]["attrs.commit"], rows[0]["attrs.tags"]) == ("0.7", "c0", '["x"]')
    assert (rows[1]["metrics.recall"], rows[1]["attrs.commit"]) == ("", "")


def test_json_export_holds_metrics_and_attrs(site, measured_study):
    trials = json.loads(_export(site, measured_study, "json"))

    assert trials[2]["metrics"] == {"recall": 0.9, "a__b": 9.0}
    assert trials[2]["attrs"] == {"commit": "c2", "tags": ["x"]}


def test_an_attr_that_looks_like_a_formula_is_defused_in_the_csv(site, measured_study):
    Trial.objects.filter(study=measured_study, number=0).update(attrs={"commit": "=HYPERLINK(\"http://x\")"})

    rows = list(csv.DictReader(io.StringIO(_export(site, measured_study, "csv"))))

    assert rows[0]["attrs.commit"].startswith("'=")


def test_filters_by_text_an_attr_contains_in_any_case(site, measured_study):
    Trial.objects.filter(study=measured_study, number=3).update(attrs={"commit": "Release-C3"})

    rows = _table(site, measured_study, **{"attrs.commit": "c3"})["rows"]

    assert [row["number"] for row in rows] == [3]


def test_a_text_filter_on_an_unknown_attr_is_ignored(site, measured_study):
    rows = _table(site, measured_study, **{"attrs.nope": "x"})["rows"]

    assert len(rows) == 5
