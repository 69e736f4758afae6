"""Infeasible trials on the pages: marked in the table (which can hide them), on the trial page
and in the live points, and never the live best."""

import csv
import io
import json

import pytest

from studies.models import Study, Trial
from studies.services import read

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db
PARAMS = {"lr": 0.01, "depth": 3, "kernel": "rbf"}


@pytest.fixture
def constrained_study(owner):
    """Four complete trials; trial 1 (the lowest value) broke its second constraint."""
    study = make_study(owner)
    trials = add_trials(study, [("complete", value, PARAMS) for value in (3.0, 1.0, 2.0, 4.0)])
    for trial in trials:
        broken = trial.number == 1
        Trial.objects.filter(pk=trial.pk).update(constraints=[-1.0, 0.5 if broken else -0.5], feasible=not broken)
    return study


def test_table_rows_carry_constraints_and_whether_they_hold(site, constrained_study):
    body = site.get(f"/studies/{constrained_study.pk}/trials.json").json()

    assert [row["feasible"] for row in body["rows"]] == [True, False, True, True]
    assert body["rows"][1]["constraints"] == [-1.0, 0.5]


def test_hide_infeasible_leaves_them_out_of_the_table(site, constrained_study):
    body = site.get(f"/studies/{constrained_study.pk}/trials.json", {"hide_infeasible": "1"}).json()

    assert [row["number"] for row in body["rows"]] == [0, 2, 3]
    assert body["n_total"] == 3


def test_live_points_mark_the_infeasible_trial_and_the_best_skips_it(site, constrained_study):
    body = site.get(f"/studies/{constrained_study.pk}/live.json?since=0").json()

    assert [point["n"] for point in body["points"] if point.get("f") is False] == [1]
    assert body["header"]["best"]["number"] == 2


def test_the_trial_page_shows_the_constraints_and_the_mark(site, constrained_study):
    html = site.get(f"/studies/{constrained_study.pk}/trials/1/").content.decode()

    assert 'class="infeasible-mark"' in html
    assert "constraint 2</dt><dd>0.5 (broken)" in html


def test_a_feasible_trial_page_has_no_mark(site, constrained_study):
    html = site.get(f"/studies/{constrained_study.pk}/trials/0/").content.decode()

    assert 'class="infeasible-mark"' not in html and "Every constraint holds" in html


def test_the_exports_carry_constraints_and_feasible(site, constrained_study):
    text = b"".join(site.get(f"/studies/{constrained_study.pk}/export.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    exported = json.loads(b"".join(site.get(f"/studies/{constrained_study.pk}/export.json").streaming_content))

    assert (rows[1]["constraints"], rows[1]["feasible"]) == ("[-1.0, 0.5]", "False")
    assert (exported[1]["constraints"], exported[1]["feasible"]) == ([-1.0, 0.5], False)


def test_the_study_list_best_leaves_out_the_infeasible_trial(constrained_study):
    annotated = read.with_summary(Study.objects.filter(pk=constrained_study.pk)).get()

    assert (annotated.value_min, annotated.value_max) == (2.0, 4.0)
