"""Throttling counts failures across every gunicorn worker: tokens in Redis, logins in the database.

A per-process count would let each of the 2 workers take its own 5 failures before refusing.
"""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests import live_servers

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_servers.running_server(tmp_path_factory.mktemp("throttle"), "sqlite",
                                     TUNER_TOKEN_FAILURE_RATE="5/min", TUNER_LOGIN_FAILURE_LIMIT="4") as server:
        yield server


def _status(opener, request):
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_bad_tokens_are_counted_across_workers(server):
    opener = urllib.request.build_opener()
    request = lambda: urllib.request.Request(f"{server.url}/api/studies/",  # noqa: E731  (a fresh connection each)
                                             headers={"Authorization": "Token " + "y" * 43, "Connection": "close"})

    statuses = [_status(opener, request())[0] for _ in range(12)]

    assert statuses == [401] * 5 + [429] * 7


def test_the_throttled_answer_says_when_to_retry(server):
    opener = urllib.request.build_opener()
    for _ in range(6):
        status, headers = _status(opener, urllib.request.Request(
            f"{server.url}/api/studies/", headers={"Authorization": "Token " + "z" * 43}))

    assert status == 429 and 0 < int(headers["Retry-After"]) <= 60


def test_failed_logins_lock_out_across_workers(server):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{server.url}/accounts/login/", timeout=30).read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")

    def login(password):
        form = urllib.parse.urlencode({"username": "load", "password": password, "csrfmiddlewaretoken": csrf}).encode()
        return _status(opener, urllib.request.Request(f"{server.url}/accounts/login/", data=form, method="POST",
                                                      headers={"Referer": f"{server.url}/accounts/login/",
                                                               "Connection": "close"}))[0]

    statuses = [login("wrong") for _ in range(4)] + [login("x-Pass-123")]

    assert statuses == [200, 200, 200, 429, 429]
