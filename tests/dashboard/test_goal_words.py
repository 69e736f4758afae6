"""Which way is better is said as people say it, "highest is best", where "maximize" was jargon:
on the study page's header and best value, and in the report."""

import pytest

from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

PARAMS = {"lr": 0.01, "depth": 3, "kernel": "rbf"}


def test_the_study_page_says_which_way_is_better_in_words(site, owner):
    study = make_study(owner, directions=("maximize",), objective_names=["accuracy"])
    add_trials(study, [("complete", 0.9, PARAMS)])

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "· accuracy: highest is best ·" in page
    assert "Best accuracy (highest is best)" in page
    assert "maximize" not in page.split("<main", 1)[1].split("<script", 1)[0]


def test_the_report_says_which_way_is_better_in_words(site, owner):
    study = make_study(owner, directions=("minimize",))
    add_trials(study, [("complete", 0.3, PARAMS)])

    report = site.get(f"/studies/{study.pk}/report.html").content.decode()

    assert "· value: lowest is best ·" in report
    assert "Best value (lowest is best)" in report
