"""Exports stream every trial as CSV or JSON."""

import csv
import io
import json

import pytest

pytestmark = pytest.mark.django_db


def _body(response):
    return b"".join(response.streaming_content).decode()


def test_csv_has_one_row_per_trial_and_a_column_per_param(site, busy_study):
    response = site.get(f"/studies/{busy_study.pk}/export.csv")

    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert response["Content-Type"] == "text/csv"
    assert len(rows) == 40
    assert {"number", "state", "value", "params.lr", "params.kernel", "params.degree"} <= set(rows[0])


def test_json_is_a_list_of_trials(site, busy_study):
    response = site.get(f"/studies/{busy_study.pk}/export.json")

    trials = json.loads(_body(response))
    assert len(trials) == 40
    assert trials[0]["params"]["kernel"] == "rbf"


def test_unknown_format_answers_404(site, busy_study):
    assert site.get(f"/studies/{busy_study.pk}/export.xml").status_code == 404
