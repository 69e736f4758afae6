"""A built-in study's limits on the pages: the trial page names each limit in words beside the
figure measured, and the study page hands the limits' words to its table script."""

import json
import re

import pytest

from studies.models import Trial

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db
OBJECTIVE = {"kind": "sklearn", "estimator": "random_forest", "dataset": "breast_cancer", "target": None,
             "metric": "accuracy", "cv": 3, "task": "classification", "exclude": [],
             "constraints": [{"metric": "fit_time_s", "max": 2.0}, {"metric": "recall", "min": 0.8}]}
SPACE = {"n_estimators": {"type": "int", "low": 10, "high": 100}}


@pytest.fixture
def limited_study(owner):
    """Two trials: trial 1 broke the fit-time limit."""
    study = make_study(owner, space=SPACE, directions=("maximize",), objective=OBJECTIVE)
    held, broken = add_trials(study, [("complete", 0.95, {"n_estimators": 10}), ("complete", 0.97, {"n_estimators": 90})])
    Trial.objects.filter(pk=held.pk).update(constraints=[-1.5, -0.1], feasible=True,
                                            metrics={"fit_time_s": 0.5, "recall": 0.9})
    Trial.objects.filter(pk=broken.pk).update(constraints=[1.1, -0.15], feasible=False,
                                              metrics={"fit_time_s": 3.1, "recall": 0.95})
    return study


def test_the_trial_page_names_the_broken_limit_and_the_figure_measured(site, limited_study):
    html = site.get(f"/studies/{limited_study.pk}/trials/1/").content.decode()

    assert "<dt>fit time per fold at most 2 seconds</dt><dd>3.1 seconds (broken)</dd>" in html
    assert "<dt>recall at least 0.8</dt><dd>0.95</dd>" in html
    assert "The model broke a limit of the study" in html


def test_a_measured_time_shows_three_significant_digits(site, limited_study):
    Trial.objects.filter(study=limited_study, number=1).update(metrics={"fit_time_s": 3.580634, "recall": 0.95})

    html = site.get(f"/studies/{limited_study.pk}/trials/1/").content.decode()

    assert "<dd>3.58 seconds (broken)</dd>" in html


def test_a_trial_within_the_limits_says_it_can_be_the_best(site, limited_study):
    html = site.get(f"/studies/{limited_study.pk}/trials/0/").content.decode()

    assert "keeps within every limit of the study, so this trial can be the best" in html
    assert "(broken)" not in html


def test_a_built_in_trials_measured_figures_are_said_to_be_tuners_not_the_users_code(site, limited_study):
    html = site.get(f"/studies/{limited_study.pk}/trials/0/").content.decode()

    assert "What Tuner measured in this trial's cross-validation" in html
    assert "What the code running the trial recorded" not in html


def test_the_study_page_gives_its_script_the_limits_in_words(site, limited_study):
    html = site.get(f"/studies/{limited_study.pk}/").content.decode()

    data = json.loads(re.search(r'<script id="page-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["limits"] == ["fit time per fold at most 2 seconds", "recall at least 0.8"]


def test_when_every_complete_trial_broke_a_limit_the_best_card_says_so(site, owner):
    study = make_study(owner, space=SPACE, directions=("maximize",), objective=OBJECTIVE)
    trials = add_trials(study, [("complete", 0.95, {"n_estimators": 10}), ("complete", 0.97, {"n_estimators": 90})])
    Trial.objects.filter(pk__in=[t.pk for t in trials]).update(constraints=[1.1, -0.1], feasible=False)

    html = site.get(f"/studies/{study.pk}/").content.decode()

    assert "no complete trial has met every limit yet" in html
    assert "2 trials have finished, but none met every limit the study sets" in html
