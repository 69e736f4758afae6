"""A user sees only their own studies; anything else answers 404, and anonymous requests are refused."""

import pytest
from rest_framework.test import APIClient

from studies.models import Study

from .helpers import ask, create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method,path", [
    ("get", "/api/studies/{id}/"),
    ("get", "/api/studies/{id}/trials/"),
    ("post", "/api/studies/{id}/trials/"),
    ("post", "/api/studies/{id}/start/"),
    ("post", "/api/studies/{id}/pause/"),
    ("post", "/api/studies/{id}/resume/"),
    ("post", "/api/studies/{id}/stop/"),
    ("post", "/api/studies/{id}/ask/"),
    ("delete", "/api/studies/{id}/"),
])
def test_another_users_study_answers_404(api, outsider_api, method, path):
    study_id = create(api)

    response = getattr(outsider_api, method)(path.format(id=study_id), {}, format="json")

    assert response.status_code == 404
    assert Study.objects.filter(pk=study_id, state="created").exists()


@pytest.mark.parametrize("path", ["/api/trials/{id}/", "/api/trials/{id}/tell/", "/api/trials/{id}/report/",
                                  "/api/trials/{id}/heartbeat/"])
def test_another_users_trial_answers_404(api, outsider_api, path):
    trial = ask(api, create(api))

    method = outsider_api.get if path == "/api/trials/{id}/" else outsider_api.post
    response = method(path.format(id=trial["id"]), {"step": 0, "value": 1.0}, format="json")

    assert response.status_code == 404


def test_list_shows_only_the_users_own_studies(api, outsider_api):
    create(api)

    response = outsider_api.get("/api/studies/")

    assert response.status_code == 200
    assert response.data["count"] == 0


def test_anonymous_request_is_refused(api):
    create(api)

    response = APIClient().get("/api/studies/")

    assert response.status_code in (401, 403)


def test_session_request_without_csrf_token_is_refused(owner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.post("/api/studies/", {"name": "x"}, format="json")

    assert response.status_code == 403
