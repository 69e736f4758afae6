"""The best model on the web: prepare, poll and download through the API (with a token or the
page's session), for everyone who may see the study; nothing is refitted inside a request."""

import io

import joblib
import pytest

from studies.models import ModelExport
from studies.objectives import refit
from studies.services import model_exports
from tests.roles import api_client, iris_study, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
ROLES = [("owner", True), ("editor", True), ("viewer", True), ("stranger", False)]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ready(iris_study, people, django_capture_on_commit_callbacks):
    """The iris study with its best model prepared, as a worker would leave it."""
    with django_capture_on_commit_callbacks():
        export, _ = model_exports.prepare_best_model(iris_study.pk, people["owner"])
    model_exports.refit_model(export.pk)
    return ModelExport.objects.get(pk=export.pk)


@pytest.fixture
def no_refit_in_requests(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a request refitted the model")
    monkeypatch.setattr(refit, "refit", refuse)


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_prepare_answers_202_with_the_queued_export(iris_study, people, no_refit_in_requests,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        response = api_client(people["viewer"]).post(f"/api/studies/{iris_study.pk}/best-model/")

    body = response.json()
    assert response.status_code == 202
    assert (body["state"], body["trial"], body["is_best"], body["requested_by"]) == ("queued", 1, True, "vera")
    assert body["joblib_url"] is None and len(sent) == 1


def test_prepare_answers_200_when_the_model_is_ready(ready, iris_study, people, no_refit_in_requests):
    response = api_client(people["editor"]).post(f"/api/studies/{iris_study.pk}/best-model/")

    assert response.status_code == 200
    assert response.json()["id"] == ready.pk and response.json()["state"] == "ready"


def test_prepare_answers_409_for_a_study_without_a_model(study, people):
    response = api_client(people["owner"]).post(f"/api/studies/{study.pk}/best-model/")

    assert response.status_code == 409
    assert "built-in scikit-learn model" in response.json()["detail"]


def test_prepare_answers_503_and_stores_nothing_when_the_queue_is_unreachable(iris_study, people):
    from tuner_site.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = api_client(people["owner"]).post(f"/api/studies/{iris_study.pk}/best-model/")
    finally:
        app.conf.broker_url = previous

    assert response.status_code == 503
    assert "task queue is unreachable" in response.json()["detail"]
    assert not ModelExport.objects.exists()


def test_status_shows_the_ready_export_with_its_download_urls(ready, iris_study, people):
    response = api_client(people["viewer"]).get(f"/api/studies/{iris_study.pk}/best-model/")

    body = response.json()
    assert response.status_code == 200
    assert (body["state"], body["trial"], body["is_best"], body["error"]) == ("ready", 1, True, "")
    assert body["joblib_url"] == f"http://testserver/api/studies/{iris_study.pk}/best-model.joblib"
    assert body["py_url"] == f"http://testserver/api/studies/{iris_study.pk}/best-model.py"


def test_status_answers_404_before_anything_was_prepared(iris_study, people):
    response = api_client(people["owner"]).get(f"/api/studies/{iris_study.pk}/best-model/")

    assert response.status_code == 404
    assert "no best model has been prepared" in response.json()["detail"]


def test_session_download_serves_the_stored_model_as_an_attachment(ready, client, iris_study, people,
                                                                 no_refit_in_requests):
    client.force_login(people["viewer"])

    response = client.get(f"/api/studies/{iris_study.pk}/best-model.joblib")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="study-{iris_study.pk}-best-model.joblib"'
    assert joblib.load(io.BytesIO(_body(response))).named_steps["model"].C == 7.5


def test_session_download_of_the_text_serves_the_stored_snippet(ready, client, iris_study, people, no_refit_in_requests):
    client.force_login(people["owner"])

    response = client.get(f"/api/studies/{iris_study.pk}/best-model.py")

    assert response["Content-Disposition"] == f'attachment; filename="study-{iris_study.pk}-best-model.py"'
    assert _body(response).decode() == ready.text


@pytest.mark.parametrize("suffix", ["joblib", "py"])
def test_session_download_before_the_model_is_prepared_says_to_prepare_it(client, iris_study, people, suffix,
                                                                       no_refit_in_requests):
    client.force_login(people["owner"])

    response = client.get(f"/api/studies/{iris_study.pk}/best-model.{suffix}")

    assert response.status_code == 409
    assert "not prepared yet" in response.content.decode()


def test_session_download_of_a_study_without_a_model_answers_404(client, people, study):
    client.force_login(people["owner"])

    assert client.get(f"/api/studies/{study.pk}/best-model.joblib").status_code == 404


def test_api_download_serves_the_model_whatever_the_client_accepts(ready, iris_study, people):
    response = api_client(people["viewer"]).get(f"/api/studies/{iris_study.pk}/best-model.joblib",
                                                HTTP_ACCEPT="application/octet-stream")

    assert response.status_code == 200
    assert joblib.load(io.BytesIO(_body(response))).named_steps["model"].C == 7.5


def test_api_download_before_the_model_is_prepared_answers_409(iris_study, people):
    response = api_client(people["owner"]).get(f"/api/studies/{iris_study.pk}/best-model.py")

    assert response.status_code == 409
    assert "not prepared yet" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/studies/{s}/best-model.joblib", "/api/studies/{s}/best-model.py"])
@pytest.mark.parametrize("role,allowed", ROLES)
def test_session_downloads_follow_the_role(ready, client, iris_study, people, path, role, allowed):
    client.force_login(people[role])

    assert client.get(path.format(s=iris_study.pk)).status_code == (200 if allowed else 404)


@pytest.mark.parametrize("method,path", [("get", "/api/studies/{s}/best-model/"),
                                         ("post", "/api/studies/{s}/best-model/"),
                                         ("get", "/api/studies/{s}/best-model.joblib"),
                                         ("get", "/api/studies/{s}/best-model.py")])
@pytest.mark.parametrize("role,allowed", ROLES)
def test_api_follows_the_role(ready, iris_study, people, method, path, role, allowed):
    response = getattr(api_client(people[role]), method)(path.format(s=iris_study.pk))

    assert response.status_code == (200 if allowed else 404)


def test_study_page_shows_the_prepare_button_and_the_latest_export(ready, client, iris_study, people):
    client.force_login(people["viewer"])

    html = client.get(f"/studies/{iris_study.pk}/").content.decode()

    assert "data-model-prepare" in html and f'data-url="/api/studies/{iris_study.pk}/best-model/"' in html
    assert f'href="/api/studies/{iris_study.pk}/best-model.joblib"' in html


def test_study_page_of_a_study_without_a_model_has_no_model_panel(client, study, people):
    client.force_login(people["owner"])

    html = client.get(f"/studies/{study.pk}/").content.decode()

    assert 'id="best-model"' not in html
