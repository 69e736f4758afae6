"""Trial files in an S3-compatible bucket (TUNER_ARTIFACT_BUCKET): a real Tuner server (gunicorn,
PostgreSQL) beside a real S3 server (moto's, on loopback). An upload lands in the bucket, not on the
server's disk; Tuner serves it back after checking roles; deleting the study empties the bucket; a
bucket that does not answer gives a 503 naming the file and stores nothing."""

import contextlib
import json
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest

import tuner_client
from tests.conftest import stop_process, wait_for
from tests.live_servers import free_port, running_server

pytestmark = pytest.mark.e2e  # real processes: a server, a database of its own

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "tuner-test", "AWS_SECRET_ACCESS_KEY": "tuner-test-secret",
               "AWS_DEFAULT_REGION": "us-east-1"}



@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    port, log_dir = free_port(), tmp_path_factory.mktemp("moto")
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=open(log_dir / "moto.log", "w"), stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"], region_name="us-east-1")
    bucket = f"tuner-{uuid.uuid4().hex[:8]}"
    wait_for(lambda: _answers(client), timeout_s=30)
    client.create_bucket(Bucket=bucket)
    try:
        yield {"endpoint": endpoint, "bucket": bucket, "client": client}
    finally:
        stop_process(process)


def _answers(client):
    try:
        client.list_buckets()
    except Exception:
        return False
    return True


@contextlib.contextmanager
def _server_on(bucket, endpoint, var_dir):
    with running_server(var_dir, TUNER_ARTIFACT_BUCKET=bucket, TUNER_ARTIFACT_ENDPOINT_URL=endpoint,
                        **CREDENTIALS) as server:
        yield server


@pytest.fixture(scope="module")
def server(s3, tmp_path_factory):
    with _server_on(s3["bucket"], s3["endpoint"], tmp_path_factory.mktemp("tuner")) as started:
        yield started


@pytest.fixture
def empty_bucket(s3):
    for key in _objects(s3):
        s3["client"].delete_object(Bucket=s3["bucket"], Key=key)
    return s3


def _objects(s3):
    listed = s3["client"].list_objects_v2(Bucket=s3["bucket"])
    return [item["Key"] for item in listed.get("Contents", [])]


def _open_trial(server):
    spec = {"name": "files in a bucket", "objective": {"kind": "external"}, "budget": {"n_trials": 3},
            "search_space": {"x": {"type": "float", "low": 0.0, "high": 1.0}}}
    study = tuner_client.Study.create(spec, server.url, server.token)
    return study, study.ask()


def _get(server, path):
    request = urllib.request.Request(server.url + path, headers={"Authorization": f"Token {server.token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def _delete(server, path):
    request = urllib.request.Request(server.url + path, method="DELETE",
                                     headers={"Authorization": f"Token {server.token}"})
    urllib.request.urlopen(request, timeout=30).close()


def test_an_uploaded_file_is_kept_in_the_bucket_not_on_the_servers_disk(server, empty_bucket, tmp_path):
    s3 = empty_bucket
    _, trial = _open_trial(server)
    (tmp_path / "loss.png").write_bytes(PNG)

    trial.upload(str(tmp_path / "loss.png"))

    keys = _objects(s3)
    assert len(keys) == 1 and keys[0].startswith("artifacts/") and keys[0].endswith(".png")
    assert s3["client"].get_object(Bucket=s3["bucket"], Key=keys[0])["Body"].read() == PNG
    media = server.log.parent / "media"
    assert not media.exists() or not [path for path in media.rglob("*") if path.is_file()]


def test_tuner_serves_the_file_from_the_bucket_after_checking_the_token(server, empty_bucket, tmp_path):
    _, trial = _open_trial(server)
    (tmp_path / "loss.png").write_bytes(PNG)
    uploaded = trial.upload(str(tmp_path / "loss.png"))

    downloaded = _get(server, f"/api/artifacts/{uploaded['id']}/")

    assert downloaded == PNG
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.url + f"/api/artifacts/{uploaded['id']}/", timeout=30)
    assert refused.value.code in (401, 403)


def test_deleting_the_study_removes_its_files_from_the_bucket(server, empty_bucket, tmp_path):
    s3 = empty_bucket
    study, trial = _open_trial(server)
    (tmp_path / "log.txt").write_text("epoch 1 loss 0.5\n")
    trial.upload(str(tmp_path / "log.txt"))
    assert len(_objects(s3)) == 1

    _delete(server, f"/api/studies/{study.id}/")

    assert wait_for(lambda: _objects(s3) == [], timeout_s=30)


def _upload_once(server, trial_id, name, content):
    """One multipart POST, no retries: what the server answers the first time."""
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(server.url + f"/api/trials/{trial_id}/artifacts/", data=body, method="POST",
                                     headers={"Authorization": f"Token {server.token}",
                                              "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_bucket_that_does_not_answer_gives_503_naming_the_file_and_stores_nothing(tmp_path):
    with _server_on("nowhere", f"http://127.0.0.1:{free_port()}", tmp_path) as server:
        _, trial = _open_trial(server)

        status, body = _upload_once(server, trial.id, "loss.png", PNG)

        assert status == 503
        assert body["detail"].startswith("file: the file store did not take the file")
        assert json.loads(_get(server, f"/api/trials/{trial.id}/artifacts/")) == []


def test_the_server_refuses_to_start_with_a_bucket_but_no_django_storages(tmp_path):
    probe = ("import sys; sys.modules['storages'] = None\n"
             "import django, os\n"
             "os.environ['DJANGO_SETTINGS_MODULE'] = 'tuner_site.settings'\n"
             "from django.conf import settings\n"
             "settings.STORAGES\n")
    env = {"TUNER_ARTIFACT_BUCKET": "some-bucket", "TUNER_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    finished = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                              cwd=ROOT)

    assert finished.returncode != 0
    assert "pip install -r requirements-s3.txt" in finished.stderr
