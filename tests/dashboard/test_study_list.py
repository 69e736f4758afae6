"""The studies page: search, filter by state, progress."""

import pytest

from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db


def test_search_by_name(site, owner):
    make_study(owner, name="churn model")
    make_study(owner, name="fraud model")

    response = site.get("/?q=churn")

    assert [row["name"] for row in response.context["rows"]] == ["churn model"]


def test_filter_by_state(site, owner):
    make_study(owner, name="a", state="running")
    make_study(owner, name="b", state="completed")

    response = site.get("/?state=completed")

    assert [row["name"] for row in response.context["rows"]] == ["b"]


def test_rows_show_progress_and_best_value(site, owner):
    study = make_study(owner, name="p", n_trials=10)
    add_trials(study, [("complete", 3.0, {}), ("complete", 1.0, {}), ("failed", None, {})])

    row = site.get("/").context["rows"][0]

    assert row["progress"]["done"] == 3
    assert row["progress"]["percent"] == 30.0
    assert row["best_value"] == 1.0


def test_live_list_endpoint_answers_for_own_studies_only(site, owner, outsider):
    mine = make_study(owner, name="mine")
    theirs = make_study(outsider, name="theirs")

    body = site.get(f"/studies.json?ids={mine.pk},{theirs.pk}").json()

    assert [study["name"] for study in body["studies"]] == ["mine"]
