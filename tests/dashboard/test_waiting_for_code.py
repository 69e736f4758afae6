"""A study of your own code with no trial running waits for its code: no time left is promised."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.header import header
from studies.models import Study
from studies.services import read, share_links

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

PARAMS = {"lr": 0.01, "depth": 3, "kernel": "rbf"}


def _own_code_study(owner, last_state, objective=None):
    """A running study an hour old, ten of its twenty trials finished and the latest in `last_state`."""
    study = make_study(owner, state=Study.State.RUNNING, started_at=timezone.now() - timedelta(hours=1),
                       objective=objective)
    add_trials(study, [("complete", 0.5, PARAMS)] * 9 + [(last_state, 0.5, PARAMS)])
    return study


def _progress(study):
    return header(read.summarize(Study.objects.get(pk=study.pk)))["progress"]


def test_an_idle_study_of_own_code_waits_for_its_code_and_tells_no_time_left(owner):
    study = _own_code_study(owner, "complete")

    progress = _progress(study)

    assert progress["waiting_for_code"] is True
    assert progress["eta_s"] is None


def test_a_study_of_own_code_with_a_trial_running_tells_the_time_left(owner):
    study = _own_code_study(owner, "running")

    progress = _progress(study)

    assert progress["waiting_for_code"] is False
    assert progress["eta_s"] > 0


def test_a_built_in_study_between_trials_does_not_wait_for_code(owner):
    study = _own_code_study(owner, "complete", objective={"kind": "function", "name": "branin"})

    progress = _progress(study)

    assert progress["waiting_for_code"] is False
    assert progress["eta_s"] > 0


def test_a_share_link_says_the_study_waits_for_its_code_instead_of_a_time_left(client, owner):
    study = _own_code_study(owner, "complete")
    _, token = share_links.create_share_link(study.pk, owner)

    page = client.get(f"/share/{token}/").content.decode()

    assert '<span data-field="time_left" hidden>' in page
    assert "No trial is running now: the study goes on when its training code asks for the next trial." in page
