"""Excluding a trial from a study's results through the API: who may, what it answers, what is kept."""

import pytest

from studies.models import Study, Trial

from tests.roles import api_client, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _trial(study, number):
    return Trial.objects.get(study=study, number=number)


def _exclude(user, trial, body):
    return api_client(user).post(f"/api/trials/{trial.pk}/exclude/", body, format="json")


def test_excluding_marks_the_trial_with_its_reason_and_who(people, study):
    trial = _trial(study, 5)

    response = _exclude(people["editor"], trial, {"reason": "ran on the flaky machine"})

    assert response.status_code == 200
    body = response.json()
    assert (body["excluded"], body["exclusion_reason"], body["excluded_by"]) == (
        True, "ran on the flaky machine", "edgar")
    assert body["excluded_at"] is not None
    trial.refresh_from_db()
    assert (trial.excluded, trial.exclusion_reason, trial.excluded_by) == (True, "ran on the flaky machine",
                                                                           people["editor"])


def test_including_again_clears_the_mark(people, study):
    trial = _trial(study, 5)
    _exclude(people["owner"], trial, {"reason": "leak"})

    response = api_client(people["owner"]).post(f"/api/trials/{trial.pk}/include/")

    assert response.status_code == 200
    assert (response.json()["excluded"], response.json()["exclusion_reason"], response.json()["excluded_by"]) == (
        False, "", None)
    trial.refresh_from_db()
    assert (trial.excluded_at, trial.excluded_by, trial.exclusion_reason) == (None, None, "")


def test_the_best_trial_moves_when_the_best_is_excluded_and_back_when_included(people, study):
    client = api_client(people["owner"])
    best = _trial(study, 5)  # value 0.0, the lowest

    _exclude(people["owner"], best, {"reason": "leak"})
    without = client.get(f"/api/studies/{study.pk}/").json()["best_trial"]["number"]
    client.post(f"/api/trials/{best.pk}/include/")
    again = client.get(f"/api/studies/{study.pk}/").json()["best_trial"]["number"]

    assert (without, again) == (4, 5)


def test_an_excluded_trial_is_still_listed_with_its_mark(people, study):
    _exclude(people["owner"], _trial(study, 2), {"reason": "wrong data"})

    rows = api_client(people["viewer"]).get(f"/api/studies/{study.pk}/trials/").json()["results"]

    assert len(rows) == 11
    assert [(row["number"], row["exclusion_reason"]) for row in rows if row["excluded"]] == [(2, "wrong data")]


def test_excluding_bumps_the_revision_so_pollers_see_the_change(people, study):
    trial = _trial(study, 3)
    cursor = Study.objects.get(pk=study.pk).revision

    _exclude(people["owner"], trial, {"reason": "leak"})
    changed = api_client(people["owner"]).get(f"/api/studies/{study.pk}/trials/?since={cursor}").json()

    assert [(row["number"], row["excluded"]) for row in changed["results"]] == [(3, True)]
    assert changed["cursor"] == cursor + 1


def test_a_viewer_may_not_exclude_and_nothing_changes(people, study):
    trial = _trial(study, 3)

    response = _exclude(people["viewer"], trial, {"reason": "leak"})

    assert response.status_code == 403
    assert _trial(study, 3).excluded_at is None


def test_a_viewer_may_not_include(people, study):
    trial = _trial(study, 3)
    _exclude(people["owner"], trial, {"reason": "leak"})

    response = api_client(people["viewer"]).post(f"/api/trials/{trial.pk}/include/")

    assert response.status_code == 403
    assert _trial(study, 3).excluded


def test_a_stranger_gets_404(people, study):
    response = _exclude(people["stranger"], _trial(study, 3), {"reason": "leak"})

    assert response.status_code == 404


def test_an_unknown_trial_answers_404(people, study):
    response = api_client(people["owner"]).post("/api/trials/999999/exclude/", {"reason": "leak"}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": None}])
def test_a_missing_empty_or_too_long_reason_answers_400_naming_reason(people, study, body):
    trial = _trial(study, 3)

    response = _exclude(people["owner"], trial, body)

    assert (response.status_code, list(response.json())) == (400, ["reason"])
    assert _trial(study, 3).excluded_at is None


def test_a_reason_with_a_nul_character_in_a_form_body_answers_400_naming_reason(people, study):
    response = api_client(people["owner"]).post(f"/api/trials/{_trial(study, 3).pk}/exclude/", {"reason": "a\x00b"})

    assert (response.status_code, list(response.json())) == (400, ["reason"])


def test_a_reason_of_500_characters_is_kept_whole(people, study):
    response = _exclude(people["owner"], _trial(study, 3), {"reason": "x" * 500})

    assert (response.status_code, len(_trial(study, 3).exclusion_reason)) == (200, 500)


def test_a_running_trial_cannot_be_excluded(people, study):
    running = study.trials.get(state="running")

    response = _exclude(people["owner"], running, {"reason": "leak"})

    assert response.status_code == 409
    assert "running" in response.json()["detail"]
    assert _trial(study, running.number).excluded_at is None


def test_excluding_again_replaces_the_reason(people, study):
    trial = _trial(study, 3)
    _exclude(people["owner"], trial, {"reason": "leak"})

    _exclude(people["editor"], trial, {"reason": "leak in the date column"})

    trial.refresh_from_db()
    assert (trial.exclusion_reason, trial.excluded_by) == ("leak in the date column", people["editor"])


def test_including_a_trial_that_is_not_excluded_changes_nothing(people, study):
    trial = _trial(study, 3)
    revision = Study.objects.get(pk=study.pk).revision

    response = api_client(people["owner"]).post(f"/api/trials/{trial.pk}/include/")

    assert response.status_code == 200
    assert Study.objects.get(pk=study.pk).revision == revision
