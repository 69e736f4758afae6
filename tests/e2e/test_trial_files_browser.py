"""In Chromium: the owner ticks "Share link shows files" when making a link, and the link's trial
page draws the PNG attached to the trial."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Trial
from studies.services import artifacts
from tests.e2e.conftest import log_in, open_tab
from tests.roles import add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _png(width=4, height=3):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_a_link_made_to_show_files_draws_the_trials_png(browser, live_server, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    study = make_study(people["owner"], name="With files")
    add_trials(study, [("complete", 0.5, {"x": 0.5, "y": 0.5})])
    artifacts.attach_artifact(Trial.objects.get(study=study), people["owner"], SimpleUploadedFile("loss.png", _png()))
    errors = []
    tab = open_tab(browser, errors, viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")
    tab.goto(f"/studies/{study.pk}/")
    tab.click("[data-open-dialog=share-dialog]")
    tab.wait_for_selector("[data-link-rows] td:has-text('No links yet.')")

    tab.check("[data-link-form] input[name=show_files]")
    tab.click("[data-link-form] button[type=submit]")

    tab.wait_for_selector("[data-link-rows] td:has-text('shown')")
    visitor = open_tab(browser, errors, viewport={"width": 1280, "height": 900})
    visitor.goto(tab.input_value("[data-new-link-url]") + "trials/0/")
    visitor.wait_for_function("document.querySelector('#files img') && document.querySelector('#files img').complete")
    assert visitor.evaluate("document.querySelector('#files img').naturalWidth") == 4
    for each in (tab, visitor):
        each.context.close()
    assert not errors, errors
