"""Files attached to a trial through the API: an upload answers 201 with what the server found in
the bytes; a program, an image name on other bytes, or a file over a cap answers 400/413 naming the
fault and stores nothing; downloads never let the browser guess; roles apply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Artifact, Trial
from tests.roles import api_client, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _trial(study):
    return Trial.objects.get(study=study, number=0)


def _post(user, trial, name, content):
    return api_client(user).post(f"/api/trials/{trial.pk}/artifacts/", {"file": SimpleUploadedFile(name, content)},
                                 format="multipart")


def _nothing_stored(tmp_path):
    return Artifact.objects.count() == 0 and not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_an_uploaded_png_answers_201_with_its_sniffed_type(study, people):
    response = _post(people["owner"], _trial(study), "loss.png", PNG)

    body = response.json()
    assert response.status_code == 201
    assert (body["name"], body["size"], body["content_type"]) == ("loss.png", len(PNG), "image/png")
    assert body["url"].endswith(f"/api/artifacts/{body['id']}/")


def test_the_type_comes_from_the_bytes_not_the_header(study, people):
    upload = SimpleUploadedFile("notes.txt", b"plain words\n", content_type="image/png")

    response = api_client(people["owner"]).post(f"/api/trials/{_trial(study).pk}/artifacts/", {"file": upload},
                                                format="multipart")

    assert response.json()["content_type"] == "text/plain"


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("table.csv", b"a,b\n1,2\n", "text/csv"), ("table.tsv", b"a\tb\n1\t2\n", "text/tab-separated-values"),
    ("info.json", b'{"a": 1}', "application/json"), ("broken.json", b"{nope", "text/plain"),
    ("weights.bin", b"\x00\x01\x02\xff", "application/octet-stream"), ("paper.pdf", b"%PDF-1.7\n", "application/pdf"),
])
def test_each_kind_of_file_is_named_by_its_bytes(study, people, name, content, kind):
    assert _post(people["owner"], _trial(study), name, content).json()["content_type"] == kind


def test_the_list_holds_the_trials_files(study, people):
    _post(people["owner"], _trial(study), "loss.png", PNG)

    response = api_client(people["viewer"]).get(f"/api/trials/{_trial(study).pk}/artifacts/")

    assert response.status_code == 200 and [row["name"] for row in response.json()] == ["loss.png"]


def test_a_program_named_png_answers_400_naming_file_and_stores_nothing(study, people, tmp_path):
    response = _post(people["owner"], _trial(study), "plot.png", ELF)

    assert response.status_code == 400
    assert response.json() == {"file": ["this file is not a PNG image: its contents are an executable program"]}
    assert _nothing_stored(tmp_path)


def test_a_script_is_refused_whatever_its_name(study, people, tmp_path):
    response = _post(people["owner"], _trial(study), "run.txt", b"#!/bin/sh\nrm -rf /\n")

    assert response.status_code == 400 and "program" in response.json()["file"][0] and _nothing_stored(tmp_path)


def test_text_named_jpg_answers_400(study, people, tmp_path):
    response = _post(people["owner"], _trial(study), "photo.jpg", b"hello")

    assert response.json() == {"file": ["this file is not a JPEG image: its contents are text"]}


def test_a_file_over_the_per_file_cap_answers_413_naming_the_cap(study, people, settings, tmp_path):
    settings.TUNER_ARTIFACT_MAX_BYTES = 1024

    response = _post(people["owner"], _trial(study), "big.txt", b"x" * 5000)

    assert response.status_code == 413 and "1024 bytes" in response.json()["detail"]
    assert "one file" in response.json()["detail"] and _nothing_stored(tmp_path)


def test_a_file_that_passes_the_studys_cap_answers_413_and_stores_nothing(study, people, settings):
    settings.TUNER_STUDY_ARTIFACTS_MAX_BYTES = 1500
    _post(people["owner"], _trial(study), "first.txt", b"x" * 1000)

    response = _post(people["owner"], Trial.objects.get(study=study, number=1), "second.txt", b"y" * 1000)

    assert response.status_code == 413 and "for one study is 1500 bytes" in response.json()["detail"]
    assert Artifact.objects.count() == 1


def test_an_image_downloads_inline_and_is_never_sniffed(study, people):
    url = _post(people["owner"], _trial(study), "loss.png", PNG).json()["url"]

    response = api_client(people["viewer"]).get(url)

    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert not response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("name", ["page.html", "logo.svg", "table.csv", "weights.bin"])
def test_anything_not_an_image_or_plain_text_downloads_as_an_attachment(study, people, name):
    content = b"\x00\x01" if name.endswith(".bin") else b"<script>alert(1)</script>"
    url = _post(people["owner"], _trial(study), name, content).json()["url"]

    response = api_client(people["owner"]).get(url)

    assert response["Content-Disposition"].startswith("attachment") and "html" not in response["Content-Type"]


@pytest.mark.parametrize(("role", "status"), [("owner", 201), ("editor", 201), ("viewer", 403), ("stranger", 404)])
def test_who_may_attach(study, people, role, status):
    assert _post(people[role], _trial(study), "a.txt", b"hi").status_code == status


def test_a_stranger_cannot_list_or_download(study, people):
    url = _post(people["owner"], _trial(study), "a.txt", b"hi").json()["url"]

    listed = api_client(people["stranger"]).get(f"/api/trials/{_trial(study).pk}/artifacts/")

    assert listed.status_code == 404 and api_client(people["stranger"]).get(url).status_code == 404


def test_deleting_the_study_removes_the_files(study, people, tmp_path, django_capture_on_commit_callbacks):
    _post(people["owner"], _trial(study), "loss.png", PNG)

    with django_capture_on_commit_callbacks(execute=True):
        assert api_client(people["owner"]).delete(f"/api/studies/{study.pk}/").status_code == 204

    assert _nothing_stored(tmp_path)


def test_a_2_gb_upload_is_refused_before_its_body_is_read(study, people, tmp_path):
    body = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n" + PNG + b"\r\n--x--\r\n"

    response = api_client(people["owner"]).generic(
        "POST", f"/api/trials/{_trial(study).pk}/artifacts/", body, content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(2 * 1024**3))

    assert response.status_code == 413 and "the limit for one file is" in response.json()["detail"]
    assert _nothing_stored(tmp_path)
