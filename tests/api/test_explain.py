"""The explanation through the API: everyone who may see the study reads it; the owner and
editors may have it computed now; nothing is computed inside a request."""

import pytest

from studies.models import Explanation
from studies.objectives import refit
from tests.roles import api_client, iris_explanation, iris_study, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _url(study):
    return f"/api/studies/{study.pk}/explain/"


@pytest.fixture
def ready(iris_explanation):
    return iris_explanation


def test_before_any_is_computed_the_state_is_none(iris_study, people):
    response = api_client(people["viewer"]).get(_url(iris_study))

    assert response.status_code == 200
    assert response.json() == {"state": "none", "trial": None, "error": "", "columns": [], "partial_dependence": []}


def test_a_ready_explanation_is_served_to_a_viewer(ready, iris_study, people):
    body = api_client(people["viewer"]).get(_url(iris_study)).json()

    assert body["state"] == "ready" and body["trial"] == 1
    assert set(body["columns"][0]) == {"name", "importance", "importance_std"}
    assert body["columns"][0]["name"].startswith("petal")
    assert len(body["confusion_matrix"]["counts"]) == 3 and body["partial_dependence"][0]["caption"]


@pytest.mark.parametrize(("role", "status"), [("owner", 202), ("editor", 202), ("viewer", 403), ("stranger", 404)])
def test_who_may_have_it_computed_now(role, status, iris_study, people, monkeypatch,
                                      django_capture_on_commit_callbacks):
    monkeypatch.setattr(refit, "refit", lambda *args, **kwargs: pytest.fail("a request refitted the model"))

    with django_capture_on_commit_callbacks() as sent:
        response = api_client(people[role]).post(_url(iris_study))

    assert response.status_code == status
    assert Explanation.objects.count() == len(sent) == (1 if status == 202 else 0)


def test_asking_when_it_is_ready_answers_200_and_computes_nothing(ready, iris_study, people,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        response = api_client(people["editor"]).post(_url(iris_study))

    assert response.status_code == 200 and response.json()["state"] == "ready" and sent == []


def test_a_study_of_external_code_has_no_explanation(study, people):
    assert api_client(people["owner"]).get(_url(study)).status_code == 404
