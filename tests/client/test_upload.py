"""trial.upload(path) against the real server: the file is stored on the trial as what its bytes
are; a file the server refuses raises with the server's words and stores nothing."""

import pytest
import tuner_client

from studies.models import Artifact

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def trial(server, token, make_study):
    return tuner_client.Study(server, study_id=make_study(), token=token).ask()


def test_upload_attaches_the_file_to_the_trial(trial, tmp_path):
    path = tmp_path / 'loss "curve".png'
    path.write_bytes(PNG)

    stored = trial.upload(str(path))

    assert (stored["name"], stored["size"], stored["content_type"]) == ('loss %22curve%22.png', len(PNG), "image/png")
    artifact = Artifact.objects.get(pk=stored["id"])
    assert artifact.trial_id == trial.id and artifact.file.read() == PNG


def test_a_file_holding_the_multipart_framing_arrives_whole(trial, tmp_path):
    content = b"--boundary\r\n\r\nContent-Disposition: form-data\r\n--\r\n" * 100
    path = tmp_path / "frames.txt"
    path.write_bytes(content)

    stored = trial.upload(str(path))

    assert Artifact.objects.get(pk=stored["id"]).file.read() == content


def test_a_program_named_png_raises_bad_request_and_stores_nothing(trial, tmp_path):
    path = tmp_path / "plot.png"
    path.write_bytes(b"\x7fELF" + b"\x00" * 60)

    with pytest.raises(tuner_client.BadRequest, match="file: this file is not a PNG image"):
        trial.upload(str(path))

    assert not Artifact.objects.exists()


def test_a_file_over_the_cap_raises_with_status_413(trial, tmp_path, settings):
    settings.TUNER_ARTIFACT_MAX_BYTES = 1024
    path = tmp_path / "big.log"
    path.write_bytes(b"x" * 4096)

    with pytest.raises(tuner_client.TunerError) as raised:
        trial.upload(str(path))

    assert raised.value.status == 413 and "1024 bytes" in raised.value.message and not Artifact.objects.exists()
