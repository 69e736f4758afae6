"""`tuner-agent --artifact GLOB` attaches the files the command wrote to its trial, against the real
server: a PNG that the trial page then shows; a file the server refuses is reported and the trial
still completes; a file left by an earlier trial is not attached again."""

import sys

import pytest

from studies.models import Artifact, Trial
from tests.client.fixtures import finish

pytestmark = pytest.mark.django_db(transaction=True)

WRITES_FILES = r"""
    import os, sys
    number = int(sys.argv[1])
    os.makedirs("out", exist_ok=True)
    if number == 0:  # only the first trial writes files; the second must not get them
        open("out/loss.png", "wb").write(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
        open("out/fake.png", "wb").write(b"\x7fELF" + b"\0" * 40)
    print("tuner: value=0.5")
"""


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_agent_attaches_the_png_its_command_wrote_and_the_trial_page_shows_it(
    make_study, write_script, start_agent, client, owner
):
    study_id = make_study()
    script = write_script(WRITES_FILES)

    code, _, stderr = finish(start_agent(study_id, [sys.executable, str(script), "{trial_number}"], "--count", "2",
                                         "--artifact", "out/*.png"))

    first, second = Trial.objects.filter(study_id=study_id).order_by("number")
    assert code == 0, stderr
    assert (first.state, second.state) == ("complete", "complete")
    assert [(a.name, a.content_type) for a in Artifact.objects.filter(trial=first)] == [("loss.png", "image/png")]
    assert not Artifact.objects.filter(trial=second).exists()
    assert "could not attach out/fake.png to trial 0: file: this file is not a PNG image" in stderr
    client.force_login(owner)
    page = client.get(f"/studies/{study_id}/trials/0/").content.decode()
    artifact = Artifact.objects.get(trial=first)
    assert f'<img src="files/{artifact.pk}/" alt="loss.png"' in page
    assert client.get(f"/studies/{study_id}/trials/0/files/{artifact.pk}/")["Content-Type"] == "image/png"
