"""A tell that says its trial was lost (the code stopped from outside, not by its params) has the
params run again as the reaper does for a trial whose heartbeat stopped, when the study retries."""

import pytest

from studies.models import Trial

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db

INTERRUPTED = "interrupted: stopped by SIGTERM"


def _retries(study_id):
    return Trial.objects.filter(study_id=study_id, origin="retry")


def test_a_lost_trial_of_a_study_that_retries_is_failed_and_its_params_wait_to_run_again(api):
    study_id = create(api, retry_failed=1)
    trial = ask(api, study_id)

    response = tell(api, trial["id"], state="failed", error=INTERRUPTED, lost=True)

    lost = Trial.objects.get(pk=trial["id"])
    assert response.status_code == 200
    assert (lost.state, lost.error) == ("failed", INTERRUPTED)
    assert [(retry.state, retry.params) for retry in _retries(study_id)] == [("waiting", trial["params"])]


def test_the_next_ask_runs_the_lost_trials_params(api):
    study_id = create(api, retry_failed=1)
    trial = ask(api, study_id)
    tell(api, trial["id"], state="failed", error=INTERRUPTED, lost=True)

    again = ask(api, study_id)

    assert (again["number"], again["params"]) == (1, trial["params"])


def test_a_lost_trial_of_a_study_without_retries_is_only_failed(api):
    study_id = create(api)
    trial = ask(api, study_id)

    tell(api, trial["id"], state="failed", error=INTERRUPTED, lost=True)

    assert Trial.objects.get(pk=trial["id"]).state == "failed"
    assert not _retries(study_id).exists()


def test_a_failure_not_said_lost_is_not_retried(api):
    study_id = create(api, retry_failed=1)
    trial = ask(api, study_id)

    tell(api, trial["id"], state="failed", error="CUDA out of memory")

    assert not _retries(study_id).exists()


def test_a_lost_tell_repeated_after_a_lost_reply_retries_once(api):
    study_id = create(api, retry_failed=3)
    trial = ask(api, study_id)

    first = tell(api, trial["id"], state="failed", error=INTERRUPTED, lost=True)
    again = tell(api, trial["id"], state="failed", error=INTERRUPTED, lost=True)

    assert (first.status_code, again.status_code) == (200, 200)
    assert _retries(study_id).count() == 1


def test_lost_with_an_outcome_other_than_failed_is_400_naming_lost(api):
    study_id = create(api, retry_failed=1)
    trial = ask(api, study_id)

    response = tell(api, trial["id"], value=0.5, lost=True)

    assert response.status_code == 400
    assert "lost" in response.data
    assert Trial.objects.get(pk=trial["id"]).state == "running"


def test_a_lost_tell_that_asks_next_is_handed_the_lost_trials_params(api):
    study_id = create(api, retry_failed=1)
    trial = ask(api, study_id)

    response = tell(api, trial["id"], state="failed", error=INTERRUPTED, lost=True, ask_next=True)

    assert response.data["next_trial"]["params"] == trial["params"]
