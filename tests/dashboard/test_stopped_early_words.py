"""A pruned trial reads as "stopped early" wherever the history shows it: the page scripts get the
words with the state colours, and the history's caption says what its open circles are."""

import pytest

from dashboard import states
from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

SAID = "Amber open circles are trials stopped early, shown at the last value they reported: not a final result."


def test_the_page_scripts_read_a_pruned_trial_as_stopped_early():
    assert states.for_scripts()["words"]["pruned"] == "stopped early"


def test_the_history_caption_of_a_study_with_a_pruner_says_what_its_open_circles_are(site, owner):
    study = make_study(owner, pruner={"name": "median"})

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert SAID in page


def test_the_history_caption_of_a_study_without_a_pruner_says_nothing_of_stopping_early(site, owner):
    study = make_study(owner, pruner=None)

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "stopped early, shown at" not in page


def test_the_report_s_history_caption_says_it_too(site, owner):
    study = make_study(owner, pruner={"name": "median"})
    add_trials(study, [("complete", 0.5, {"lr": 0.01, "depth": 3, "kernel": "rbf"}),
                       ("pruned", 0.9, {"lr": 0.02, "depth": 4, "kernel": "rbf"})])

    report = site.get(f"/studies/{study.pk}/report.html").content.decode()

    assert SAID in report


def test_a_pruned_trial_s_page_says_it_was_stopped_early(site, owner):
    study = make_study(owner, pruner={"name": "median"})
    trial = add_trials(study, [("pruned", 0.9, {"lr": 0.02, "depth": 4, "kernel": "rbf"})])[0]

    page = site.get(f"/studies/{study.pk}/trials/{trial.number}/").content.decode()

    assert '<span class="badge badge-pruned" style="--state: #d97706" data-field="state">stopped early</span>' in page
    assert "it was stopped early, after the last one, because it looked unpromising" in page
