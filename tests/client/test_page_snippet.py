"""The study page's Python loop, run as a user copies it, against the real server (live_server)."""

import html
import re

import pytest

from studies.models import Trial, TrialReport

pytestmark = pytest.mark.django_db(transaction=True)


def _page_loop(site, study_id, server):
    page = site.get(f"/studies/{study_id}/").content.decode()
    code = html.unescape(re.search(r'data-testid="python-snippet">(.*?)</pre>', page, re.S).group(1))
    # The page names the address it was opened at: the test client's, not the live server's.
    return code.replace("http://testserver", server)


def _user_code():
    """What the loop leaves to the user: a model, and one epoch of training that returns the metric."""
    return {"build": lambda **params: params, "train_one_epoch": lambda model: model["x"]}


def test_the_study_pages_python_loop_completes_the_trials_and_reports_every_epoch(
        site, make_study, server, token, monkeypatch):
    study_id = make_study(budget={"n_trials": 2})
    monkeypatch.setenv("TUNER_TOKEN", token)

    exec(_page_loop(site, study_id, server), _user_code())

    trials = Trial.objects.filter(study_id=study_id).order_by("number")
    assert [trial.state for trial in trials] == ["complete", "complete"]
    assert [trial.value for trial in trials] == [trial.params["x"] for trial in trials]
    assert TrialReport.objects.filter(trial__study_id=study_id).count() == 2 * 30
