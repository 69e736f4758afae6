"""The client's HTTP layer against a tiny local server: retries with backoff, and 4xx messages."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import tuner_client
from tuner_client._http import Transport

from tests.client.fixtures import reply_json


class _Scripted(BaseHTTPRequestHandler):
    """Answers each request with the next (status, body) of the server's script."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.seen.append((self.path, dict(self.headers)))
        status, body = self.server.answers.pop(0) if len(self.server.answers) > 1 else self.server.answers[0]
        payload = json.dumps(body).encode() if not isinstance(body, bytes) else body
        reply_json(self, status, payload)

    do_GET = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted():
    """Start a server that plays the given answers in order (the last one repeats)."""
    servers = []

    def start(*answers):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
        httpd.answers, httpd.seen = list(answers), []
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def _transport(url, delays, **options):
    return Transport(url, "secret", backoff_s=0.1, sleep=delays.append, **options)


def test_two_failures_are_retried_with_growing_backoff(scripted):
    httpd, url = scripted((503, {"detail": "busy"}), (502, b"bad gateway"), (200, {"ok": True}))
    delays = []

    answer = _transport(url, delays).request("POST", "/api/x/", {"a": 1})

    assert answer == {"ok": True}
    assert len(httpd.seen) == 3
    assert len(delays) == 2
    assert 0.05 <= delays[0] <= 0.1 and 0.1 <= delays[1] <= 0.2, "each wait doubles (with jitter)"


def test_a_server_that_keeps_failing_raises_server_error_after_the_last_retry(scripted):
    httpd, url = scripted((500, {"detail": "database down"}))
    delays = []

    with pytest.raises(tuner_client.ServerError) as caught:
        _transport(url, delays, max_retries=2).request("GET", "/api/x/")

    assert len(httpd.seen) == 3
    assert caught.value.status == 500 and caught.value.message == "database down"


def test_connection_refused_is_retried_then_raises_connection_failed():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    delays = []

    with pytest.raises(tuner_client.ConnectionFailed) as caught:
        _transport(f"http://127.0.0.1:{port}", delays, max_retries=3).request("GET", "/api/x/")

    assert len(delays) == 3
    assert f"127.0.0.1:{port}" in caught.value.message


@pytest.mark.parametrize(
    "status, body, error_class, message",
    [
        (400, {"value": ["value must be a finite number, got 'nan'"]}, tuner_client.BadRequest,
         "value: value must be a finite number, got 'nan'"),
        (401, {"detail": "Invalid token."}, tuner_client.AuthError, "Invalid token."),
        (403, {"detail": "You do not have permission."}, tuner_client.AuthError, "You do not have permission."),
        (404, {"detail": "Not found."}, tuner_client.NotFound, "Not found."),
        (409, {"detail": "budget exhausted: the study has all the trials its budget allows"}, tuner_client.Conflict,
         "budget exhausted: the study has all the trials its budget allows"),
    ],
)
def test_a_4xx_raises_its_error_class_with_the_servers_message_and_is_not_retried(
    scripted, status, body, error_class, message
):
    httpd, url = scripted((status, body))
    delays = []

    with pytest.raises(error_class) as caught:
        _transport(url, delays).request("POST", "/api/x/", {})

    assert caught.value.message == message and caught.value.status == status
    assert isinstance(caught.value, tuner_client.TunerError)
    assert len(httpd.seen) == 1 and delays == []


def test_requests_carry_the_token_and_json_headers(scripted):
    httpd, url = scripted((200, {}))

    _transport(url, []).request("POST", "/api/x/", {"a": 1}, headers={"X-Tuner-Worker": "box:42"})

    headers = httpd.seen[0][1]
    assert headers["Authorization"] == "Token secret"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Tuner-Worker"] == "box:42"


def test_an_answer_that_is_not_json_says_so(scripted):
    _, url = scripted((200, b"<html>hello</html>"))

    with pytest.raises(tuner_client.TunerError, match="not JSON"):
        _transport(url, []).request("GET", "/api/x/")


def test_study_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TUNER_URL", "http://example.invalid:8000/")
    monkeypatch.setenv("TUNER_TOKEN", "abc")
    monkeypatch.setenv("TUNER_STUDY", "7")

    study = tuner_client.Study()

    assert (study.transport.url, study.transport.token, study.id) == ("http://example.invalid:8000", "abc", 7)


def test_a_missing_setting_raises_config_error_naming_it(monkeypatch):
    monkeypatch.delenv("TUNER_TOKEN", raising=False)

    with pytest.raises(tuner_client.ConfigError, match="TUNER_TOKEN"):
        tuner_client.Study("http://127.0.0.1:8000", study_id=1)
