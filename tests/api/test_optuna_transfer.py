"""POST /api/studies/import/optuna/ (an uploaded Optuna file) and GET /api/studies/{id}/export/optuna/."""

import sys

import optuna
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Study, Trial

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db

optuna.logging.set_verbosity(optuna.logging.ERROR)
IMPORT_URL = "/api/studies/import/optuna/"


def _journal(tmp_path, *names):
    path = tmp_path / "optuna.log"
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    for name in names:
        study = optuna.create_study(storage=storage, study_name=name)
        study.add_trial(optuna.trial.create_trial(
            params={"x": 0.25}, distributions={"x": optuna.distributions.FloatDistribution(0, 1)}, value=0.5,
            intermediate_values={0: 1.0, 1: 0.5}))
    return path


def _sqlite(tmp_path):
    path = tmp_path / "optuna.db"
    study = optuna.create_study(storage=f"sqlite:///{path}", study_name="in sqlite", direction="maximize")
    study.add_trial(optuna.trial.create_trial(
        params={"n": 3}, distributions={"n": optuna.distributions.IntDistribution(1, 5)}, value=2.0))
    return path


def _upload(api, path, **fields):
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return api.post(IMPORT_URL, {"file": upload, **fields}, format="multipart")


def test_an_uploaded_journal_file_becomes_a_study_of_imported_trials(api, tmp_path):
    response = _upload(api, _journal(tmp_path, "from journal"))

    assert response.status_code == 201, response.data
    assert (response.data["name"], response.data["state"], response.data["note"]) == ("from journal", "completed", "")
    trial = Trial.objects.get(study_id=response.data["id"])
    assert (trial.origin, trial.params, trial.value) == ("imported", {"x": 0.25}, 0.5)
    assert list(trial.reports.values_list("step", "value")) == [(0, 1.0), (1, 0.5)]


def test_an_uploaded_sqlite_file_becomes_a_study(api, tmp_path):
    response = _upload(api, _sqlite(tmp_path))

    assert response.status_code == 201, response.data
    assert response.data["directions"] == ["maximize"]
    assert response.data["n_trials_by_state"]["complete"] == 1


def test_the_imported_trials_say_so_in_the_api(api, tmp_path):
    study_id = _upload(api, _sqlite(tmp_path)).data["id"]

    response = api.get(f"/api/studies/{study_id}/trials/")

    assert [trial["origin"] for trial in response.data["results"]] == ["imported"]


def test_an_uploaded_file_brings_constraints_metrics_and_attrs(api, tmp_path):
    path = tmp_path / "constrained.db"
    source = optuna.create_study(storage=f"sqlite:///{path}", study_name="constrained")
    source.add_trial(optuna.trial.create_trial(
        params={"x": 0.5}, distributions={"x": optuna.distributions.FloatDistribution(0, 1)}, value=1.0,
        system_attrs={"constraints": [0.5]}, user_attrs={"metrics.size_mb": 12.5, "commit": "3f2a1c9"}))

    study_id = _upload(api, path).data["id"]

    [trial] = api.get(f"/api/studies/{study_id}/trials/").data["results"]
    assert (trial["constraints"], trial["feasible"]) == ([0.5], False)
    assert (trial["metrics"], trial["attrs"]) == ({"size_mb": 12.5}, {"commit": "3f2a1c9"})


def test_a_file_with_several_studies_needs_the_name_of_one(api, tmp_path):
    path = _journal(tmp_path, "first", "second")

    refused = _upload(api, path)
    chosen = _upload(api, path, study="second")

    assert refused.status_code == 400
    assert "'first', 'second'" in refused.data["study"][0]
    assert chosen.status_code == 201 and chosen.data["name"] == "second"


@pytest.mark.parametrize("content", [b"name,value\na,1\n", b"SQLite format 3\x00" + b"\x00" * 200,
                                     b'{"op_code": 99}\n'])
def test_a_file_that_is_not_an_optuna_storage_is_refused_on_file(api, tmp_path, content):
    path = tmp_path / "upload.db"
    path.write_bytes(content)

    response = _upload(api, path)

    assert response.status_code == 400
    assert "this is not an Optuna storage file" in response.data["file"][0]
    assert not Study.objects.exists()


def test_a_sqlite_file_of_another_program_is_refused(api, tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")

    response = _upload(api, path)

    assert response.status_code == 400 and "not an Optuna storage file" in response.data["file"][0]


def test_a_file_over_the_upload_limit_is_refused_in_words(api, tmp_path, settings):
    settings.TUNER_MAX_UPLOAD_BYTES = 1024
    path = tmp_path / "big.log"
    path.write_bytes(b"x" * 200_000)

    response = _upload(api, path)

    assert response.status_code == 413
    assert "the limit is 1024 bytes" in response.data["detail"]


def test_without_optuna_the_import_answers_501_in_words(api, tmp_path, monkeypatch):
    path = _journal(tmp_path, "s")
    monkeypatch.setitem(sys.modules, "optuna", None)

    response = _upload(api, path)

    assert response.status_code == 501
    assert "pip install -r requirements-optuna.txt" in response.data["detail"]


def test_the_export_downloads_a_journal_that_optuna_loads_with_the_same_trials(api, tmp_path):
    study_id = create(api)
    for value in (0.3, 0.1):
        trial = ask(api, study_id)
        api.post(f"/api/trials/{trial['id']}/report/", {"step": 0, "value": value * 2}, format="json")
        tell(api, trial["id"], value=value)
    failed = ask(api, study_id)
    tell(api, failed["id"], state="failed", error="out of memory")

    response = api.get(f"/api/studies/{study_id}/export/optuna/")

    assert response.status_code == 200
    assert 'filename="study-' in response["Content-Disposition"]
    path = tmp_path / "export.log"
    path.write_bytes(b"".join(response.streaming_content))
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    loaded = optuna.load_study(storage=storage, study_name="ask/tell study")
    ours = Trial.objects.filter(study_id=study_id).order_by("number")
    assert [t.params for t in loaded.trials] == [t.params for t in ours]
    assert [t.value for t in loaded.trials] == [0.3, 0.1, None]
    assert [t.state.name for t in loaded.trials] == ["COMPLETE", "COMPLETE", "FAIL"]
    assert loaded.trials[0].intermediate_values == {0: 0.6}
    assert loaded.trials[2].system_attrs["fail_reason"] == "out of memory"


def test_an_outsider_cannot_export_a_study(api, outsider_api):
    study_id = create(api)

    response = outsider_api.get(f"/api/studies/{study_id}/export/optuna/")

    assert response.status_code == 404


def test_without_optuna_the_export_answers_501_in_words(api, monkeypatch):
    study_id = create(api)
    monkeypatch.setitem(sys.modules, "optuna", None)

    response = api.get(f"/api/studies/{study_id}/export/optuna/")

    assert response.status_code == 501
    assert "pip install -r requirements-optuna.txt" in response.json()["detail"]


def test_the_schema_lists_the_optuna_and_warm_start_endpoints(api):
    paths = api.get("/api/schema/?format=json").json()["paths"]

    assert {"/api/studies/import/optuna/", "/api/studies/{id}/export/optuna/",
            "/api/studies/{id}/trials/import/"} <= set(paths)


def test_the_study_page_links_to_the_optuna_export(site, api):
    study_id = create(api)

    page = site.get(f"/studies/{study_id}/").content.decode()

    assert f'href="/api/studies/{study_id}/export/optuna/"' in page


def test_an_optuna_file_with_rows_optuna_cannot_read_is_refused_on_file(api, tmp_path):
    import sqlite3

    path = _sqlite(tmp_path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE trials SET state = 'WEIRD'")

    response = _upload(api, path)

    assert response.status_code == 400
    assert "cannot be read" in response.data["file"][0]
    assert not Study.objects.exists()
