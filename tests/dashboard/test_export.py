"""Exports stream every trial as CSV or JSON."""

import csv
import io
import json

import pytest

from .conftest import add_trials, make_study

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


def test_csv_of_a_study_of_several_objectives_has_a_column_of_numbers_per_objective(site, owner):
    study = make_study(owner, directions=("maximize", "minimize"), objective_names=["accuracy", "latency_ms"])
    add_trials(study, [("complete", (0.9, 20.0), {"lr": 0.01, "depth": 3, "kernel": "rbf"}),
                       ("failed", None, {"lr": 0.02, "depth": 4, "kernel": "rbf"})])

    rows = list(csv.DictReader(io.StringIO(_body(site.get(f"/studies/{study.pk}/export.csv")))))

    assert [(row["values.accuracy"], row["values.latency_ms"]) for row in rows] == [("0.9", "20.0"), ("", "")]
    assert rows[0]["values"] == "[0.9, 20.0]"


def test_csv_of_a_study_of_one_objective_has_no_column_per_objective(site, busy_study):
    header = _body(site.get(f"/studies/{busy_study.pk}/export.csv")).splitlines()[0]

    assert "values." not in header
