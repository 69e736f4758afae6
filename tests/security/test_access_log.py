"""Share-link tokens are masked in gunicorn's access log and the app's log: a log reader gets no working link.

Runs the real gunicorn with the deployment's settings (tuner_site/gunicorn_conf.py).
"""

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests import live_servers
from tests.live_servers import ROOT

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_servers.running_server(tmp_path_factory.mktemp("access-log"), "sqlite") as server:
        yield server


def _share_token(server):
    """A working share link's token, made on the server's database."""
    code = ("import django; django.setup()\n"
            "from django.contrib.auth import get_user_model\n"
            "from studies.models import Study\n"
            "from studies.services.share_links import create_share_link\n"
            "owner = get_user_model().objects.get(username='load')\n"
            "study = Study.objects.create(owner=owner, name='s', search_space={'x': {'type': 'float', 'low': 0, 'high': 1}},"
            " seed=1, objective={'kind': 'external'}, directions=['minimize'])\n"
            "print(create_share_link(study.pk, owner)[1])\n")
    env = {**server.env, "DJANGO_SETTINGS_MODULE": "tuner_site.settings"}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def _get(url, **headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _log_text(path, needle, timeout_s=10):
    """The log's text once it holds `needle` (gunicorn writes access lines after the answer)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = path.read_text()
        if needle in text:
            return text
        time.sleep(0.1)
    return path.read_text()


def test_a_share_page_request_logs_only_the_first_six_characters_of_its_token(server):
    token = _share_token(server)

    status = _get(f"{server.url}/share/{token}/live.json?since=0")

    log = _log_text(server.access_log, "live.json")
    assert status == 200
    assert token not in log
    assert f"/share/{token[:6]}…/live.json?since=0" in log


def test_a_token_in_the_referer_is_masked_too(server):
    token = _share_token(server)

    _get(f"{server.url}/static/nothing.css", Referer=f"{server.url}/share/{token}/")

    log = _log_text(server.access_log, "nothing.css")
    assert token not in log and f"/share/{token[:6]}…/" in log


def test_a_revoked_or_mistyped_token_is_masked_in_the_apps_not_found_warning(server):
    token = "Zq9" + "x" * 40

    status = _get(f"{server.url}/share/{token}/")

    log = _log_text(server.log, "Not Found")
    assert status == 404
    assert token not in log and "Not Found: /share/Zq9xxx…/" in log
