"""Re-checking the top trials through the API: the owner and editors start one, everyone who may
see the study reads it, bad numbers are named and nothing is queued."""

import pytest

from studies.models import Recheck, Study, Trial
from tests.roles import api_client, iris_study, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _url(study):
    return f"/api/studies/{study.pk}/recheck/"


def test_before_any_re_check_the_state_is_none(iris_study, people):
    response = api_client(people["viewer"]).get(_url(iris_study))

    assert response.status_code == 200
    assert response.json() == {"state": "none", "top_k": 0, "repeats": 0, "error": "", "trials": [],
                               "robust_best": None, "sentence": ""}


@pytest.mark.parametrize(("role", "status"), [("owner", 202), ("editor", 202), ("viewer", 403), ("stranger", 404)])
def test_who_may_start_a_re_check(role, status, iris_study, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        response = api_client(people[role]).post(_url(iris_study), {"top_k": 2, "repeats": 2}, format="json")

    assert response.status_code == status
    assert Recheck.objects.count() == len(sent) == (1 if status == 202 else 0)


def test_a_started_re_check_is_queued_with_the_best_trials_first(iris_study, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        body = api_client(people["owner"]).post(_url(iris_study), {"top_k": 5, "repeats": 2}, format="json").json()

    assert body["state"] == "queued" and body["top_k"] == 2 and body["repeats"] == 2
    assert Recheck.objects.get().numbers == [1, 0]


@pytest.mark.parametrize(("body", "field"), [
    ({"top_k": 0}, "top_k"), ({"top_k": 21}, "top_k"), ({"repeats": 0}, "repeats"), ({"repeats": 11}, "repeats"),
    ({"top_k": "many"}, "top_k"),
])
def test_numbers_out_of_range_are_named_and_nothing_is_queued(body, field, iris_study, people,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        response = api_client(people["owner"]).post(_url(iris_study), body, format="json")

    assert response.status_code == 400 and field in response.json()
    assert Recheck.objects.count() == 0 and sent == []


def test_a_second_re_check_while_one_is_under_way_is_refused(iris_study, people, django_capture_on_commit_callbacks):
    owner = api_client(people["owner"])
    with django_capture_on_commit_callbacks():
        owner.post(_url(iris_study), {}, format="json")

    response = owner.post(_url(iris_study), {}, format="json")

    assert response.status_code == 409 and Recheck.objects.count() == 1


def test_a_ready_re_check_shows_each_trial_the_robust_best_and_a_sentence(iris_study, people):
    Recheck.objects.create(study=iris_study, numbers=[1, 0], repeats=3, state=Recheck.State.READY,
                           fresh={"1": [0.93, 0.94, 0.95], "0": [0.95, 0.96, 0.97]})

    body = api_client(people["viewer"]).get(_url(iris_study)).json()

    assert body["state"] == "ready" and body["robust_best"] == 0
    assert [row["number"] for row in body["trials"]] == [0, 1]
    assert body["trials"][0]["mean"] == pytest.approx(0.96) and body["trials"][0]["n"] == 3
    assert body["trials"][0]["low"] < 0.96 < body["trials"][0]["high"]
    assert body["sentence"].startswith("#0")


def test_an_external_study_still_running_cannot_be_re_checked(study, people):
    response = api_client(people["owner"]).post(_url(study), {}, format="json")

    assert response.status_code == 409 and Trial.objects.filter(origin=Trial.Origin.RECHECK).count() == 0


def test_an_external_study_that_finished_gets_re_check_trials_with_the_same_params(study, people):
    Study.objects.filter(pk=study.pk).update(state=Study.State.COMPLETED)
    Trial.objects.filter(study=study, state=Trial.State.RUNNING).update(state=Trial.State.FAILED)

    response = api_client(people["editor"]).post(_url(study), {"top_k": 2, "repeats": 3}, format="json")

    assert response.status_code == 202 and response.json()["state"] == "running"
    made = Trial.objects.filter(study=study, origin=Trial.Origin.RECHECK).select_related("rechecks")
    assert sorted(t.rechecks.number for t in made) == [4, 4, 4, 5, 5, 5]
    assert all(t.params == t.rechecks.params and t.state == Trial.State.WAITING for t in made)

