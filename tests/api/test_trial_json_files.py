"""A trial's JSON lists its files ({id, name, size, content_type, url, created_at}): one trial, the
study's trial list and its changes, and the trial a tell answers with; lists read every file of a
page in one query, however many trials it holds."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from studies import access
from studies.models import Trial
from studies.services import artifacts
from tests.roles import api_client, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _attach(study, people, number, name="loss.png", content=PNG):
    trial = Trial.objects.get(study=study, number=number)
    return artifacts.attach_artifact(trial, people["owner"], SimpleUploadedFile(name, content))


@pytest.mark.parametrize("role", ["owner", "editor", "viewer"])
def test_a_trial_lists_its_files_for_every_role(study, people, role):
    found = _attach(study, people, 0)

    body = api_client(people[role]).get(f"/api/trials/{found.trial_id}/").json()

    assert [{key: f[key] for key in ("id", "name", "size", "content_type")} for f in body["artifacts"]] == [
        {"id": found.pk, "name": "loss.png", "size": len(PNG), "content_type": "image/png"}]
    assert body["artifacts"][0]["url"] == f"http://testserver/api/artifacts/{found.pk}/"


def test_the_url_downloads_the_file(study, people):
    found = _attach(study, people, 0)
    client = api_client(people["viewer"])

    url = client.get(f"/api/trials/{found.trial_id}/").json()["artifacts"][0]["url"]

    assert b"".join(client.get(url).streaming_content) == PNG


def test_a_trial_without_files_lists_none(study, people):
    trial = Trial.objects.get(study=study, number=1)

    assert api_client(people["owner"]).get(f"/api/trials/{trial.pk}/").json()["artifacts"] == []


def test_every_role_that_reaches_the_api_may_see_files():
    # The API serves members only, so it lists files without asking; a share link never reaches it.
    assert access.ALLOWED["see_files"] == set(access.ROLES)


def test_the_study_trial_list_rows_carry_their_files(study, people):
    _attach(study, people, 2)
    _attach(study, people, 2, "log.txt", b"epoch 1\n")

    rows = api_client(people["owner"]).get(f"/api/studies/{study.pk}/trials/").json()["results"]

    assert [[f["name"] for f in row["artifacts"]] for row in rows][:3] == [[], [], ["loss.png", "log.txt"]]


def test_the_changes_carry_the_files_too(study, people):
    _attach(study, people, 3)

    rows = api_client(people["owner"]).get(f"/api/studies/{study.pk}/trials/", {"since": 0}).json()["results"]

    assert {row["number"]: [f["name"] for f in row["artifacts"]] for row in rows}[3] == ["loss.png"]


def _queries(client, url, **query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("query", [{}, {"since": 0}])
def test_a_list_reads_the_files_of_all_its_trials_in_one_query(study, people, query):
    client = api_client(people["owner"])
    url = f"/api/studies/{study.pk}/trials/"
    for number in range(10):
        _attach(study, people, number)

    assert _queries(client, url, page_size=1, **query) == _queries(client, url, page_size=11, **query)


def test_a_tell_answers_with_the_trials_files(study, people):
    running = Trial.objects.get(study=study, state="running")
    _attach(study, people, running.number)

    body = api_client(people["owner"]).post(f"/api/trials/{running.pk}/tell/", {"value": 0.1}, format="json").json()

    assert [f["name"] for f in body["artifacts"]] == ["loss.png"]


def test_the_schema_describes_the_trial_files(api):
    schema = api.get("/api/schema/?format=json").json()["components"]["schemas"]

    assert schema["Trial"]["properties"]["artifacts"]["items"]["$ref"] == "#/components/schemas/Artifact"
    assert {"id", "name", "size", "content_type", "url"} <= set(schema["Artifact"]["properties"])
