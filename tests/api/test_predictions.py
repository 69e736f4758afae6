"""Predictions through the API: an upload that fits the model answers 202 at once and queues one
job; every bad file answers 400 (413 when too big) naming the fault, and stores nothing; the
owner, editors and viewers may predict, strangers and share links may not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Prediction
from studies.objectives import refit
from studies.services import predictions
from tests.roles import api_client, iris_study, link_token, people, study  # noqa: F401 (fixtures)
from tests.services.test_predictions import IRIS_COLUMNS, iris_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _no_refit_in_requests(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a request refitted the model")
    monkeypatch.setattr(refit, "refit", refuse)


def _post(user, study, content, django_capture_on_commit_callbacks, name="rows.csv"):
    with django_capture_on_commit_callbacks() as sent:
        response = api_client(user).post(f"/api/studies/{study.pk}/predictions/",
                                         {"file": SimpleUploadedFile(name, content)}, format="multipart")
    return response, sent


def _nothing_stored(tmp_path):
    return Prediction.objects.count() == 0 and not list(tmp_path.rglob("*.csv"))


@pytest.mark.parametrize("role", ["owner", "editor", "viewer"])
def test_a_member_with_a_file_that_fits_gets_202_and_one_queued_job(role, iris_study, people,
                                                                    django_capture_on_commit_callbacks):
    response, sent = _post(people[role], iris_study, iris_csv(), django_capture_on_commit_callbacks)

    body = response.json()
    assert response.status_code == 202
    assert (body["state"], body["rows"], body["url"], body["error"], body["trial"]) == ("queued", 0, None, "", 1)
    assert Prediction.objects.get(pk=body["id"]).owner == people[role] and len(sent) == 1


def test_a_stranger_gets_404_and_nothing_is_stored(iris_study, people, tmp_path, django_capture_on_commit_callbacks):
    response, _ = _post(people["stranger"], iris_study, iris_csv(), django_capture_on_commit_callbacks)

    assert response.status_code == 404 and _nothing_stored(tmp_path)


def test_a_share_link_has_no_way_to_predict(client, iris_study, people):
    from studies.services import share_links
    _, token = share_links.create_share_link(iris_study.pk, people["owner"])

    page = client.get(f"/share/{token}/")
    posted = client.post(f"/share/{token}/predictions/", {"file": SimpleUploadedFile("r.csv", iris_csv())})

    assert page.status_code == 200 and b'id="predict"' not in page.content
    assert posted.status_code in (404, 405) and Prediction.objects.count() == 0


def test_a_file_missing_a_column_answers_400_naming_it_and_stores_nothing(iris_study, people, tmp_path,
                                                                         django_capture_on_commit_callbacks):
    content = iris_csv().replace(b",petal width (cm)", b",petal wid")

    response, sent = _post(people["owner"], iris_study, content, django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert response.json() == {"file": ["the file lacks the column the model needs: 'petal width (cm)'"]}
    assert _nothing_stored(tmp_path) and sent == []


@pytest.mark.parametrize(("content", "fault"), [
    (b"", "The submitted file is empty."),
    (",".join(IRIS_COLUMNS).encode() + "\n1,2,3,é\n".encode("latin-1"), "UTF-8"),
    (b"GIF89a\x01\x00\x01\x00\x00\xff\x00,", "NUL byte"),
    (",".join(IRIS_COLUMNS).encode() + b"\n", "no data rows"),
    (",".join(IRIS_COLUMNS).encode() + b"\n1,2,3\n", "line 2 has 3 fields but the header has 4"),
    (",".join(IRIS_COLUMNS).encode() + b"\n1,2,three,4\n", "line 2, column 'petal length (cm)': 'three' is not a number"),
])
def test_a_bad_file_answers_400_naming_the_fault_and_stores_nothing(content, fault, iris_study, people, tmp_path,
                                                                    django_capture_on_commit_callbacks):
    response, sent = _post(people["owner"], iris_study, content, django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert fault in response.json()["file"][0]
    assert _nothing_stored(tmp_path) and sent == []


def test_a_file_over_the_upload_limit_answers_413_and_stores_nothing(iris_study, people, settings, tmp_path,
                                                                    django_capture_on_commit_callbacks):
    settings.TUNER_MAX_UPLOAD_BYTES = 2048

    response, _ = _post(people["owner"], iris_study, iris_csv(), django_capture_on_commit_callbacks)

    assert response.status_code == 413 and "limit is 2048 bytes" in response.json()["detail"]
    assert _nothing_stored(tmp_path)


def test_a_study_of_external_code_has_no_model_to_predict_with(study, people, tmp_path,
                                                              django_capture_on_commit_callbacks):
    response, _ = _post(people["owner"], study, iris_csv(), django_capture_on_commit_callbacks)

    assert response.status_code == 409 and _nothing_stored(tmp_path)


def test_too_many_predictions_under_way_answers_429(iris_study, people, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    monkeypatch.setattr(predictions, "MAX_PENDING_PER_USER", 1)
    _post(people["owner"], iris_study, iris_csv(5), django_capture_on_commit_callbacks)

    response, sent = _post(people["owner"], iris_study, iris_csv(5), django_capture_on_commit_callbacks)

    assert response.status_code == 429 and sent == [] and Prediction.objects.count() == 1


def test_someone_elses_prediction_answers_404(iris_study, people, django_capture_on_commit_callbacks):
    response, _ = _post(people["owner"], iris_study, iris_csv(5), django_capture_on_commit_callbacks)
    url = f"/api/predictions/{response.json()['id']}/"

    assert api_client(people["viewer"]).get(url).status_code == 404
    assert api_client(people["viewer"]).get(url + "predictions.csv").status_code == 404
    assert api_client(people["owner"]).get(url).status_code == 200


def test_the_csv_answers_409_until_ready(iris_study, people, django_capture_on_commit_callbacks):
    response, _ = _post(people["owner"], iris_study, iris_csv(5), django_capture_on_commit_callbacks)

    download = api_client(people["owner"]).get(f"/api/predictions/{response.json()['id']}/predictions.csv")

    assert download.status_code == 409 and "not ready" in download.json()["detail"]


def test_deleting_a_prediction_removes_it(iris_study, people, django_capture_on_commit_callbacks):
    response, _ = _post(people["owner"], iris_study, iris_csv(5), django_capture_on_commit_callbacks)

    deleted = api_client(people["owner"]).delete(f"/api/predictions/{response.json()['id']}/")

    assert deleted.status_code == 204 and Prediction.objects.count() == 0
