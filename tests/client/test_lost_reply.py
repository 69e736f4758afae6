"""A tell whose reply is lost is sent again by the client and recorded once by the server."""

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import tuner_client

from studies.models import Study, Trial
from tests.client.fixtures import reply_json

pytestmark = pytest.mark.django_db(transaction=True)

FORWARDED_HEADERS = ("Authorization", "Content-Type", "Accept", "X-Tuner-Worker")


class _LosesFirstTellReply(BaseHTTPRequestHandler):
    """Forwards to the real server, but drops the reply to the first tell after the server handled it."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, payload = self._forward(body)
        self.server.seen.append((self.path, status))
        if self.path.endswith("/tell/") and not self.server.dropped:
            self.server.dropped = True
            self.close_connection = True  # the tell was recorded; the client never hears so
            return
        reply_json(self, status, payload)

    do_GET = do_POST

    def _forward(self, body):
        headers = {name: self.headers[name] for name in FORWARDED_HEADERS if self.headers[name]}
        request = urllib.request.Request(self.server.target + self.path, data=body or None, method=self.command,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def log_message(self, *args):
        pass


@pytest.fixture
def lossy_proxy(server):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _LosesFirstTellReply)
    httpd.target, httpd.seen, httpd.dropped = server, [], False
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_tell_repeated_after_a_lost_reply_is_recorded_once(make_study, token, lossy_proxy):
    httpd, url = lossy_proxy
    study = tuner_client.Study(url, study_id=make_study(), token=token, backoff_s=0.05)
    trial = study.ask()
    trial.report(0, 0.4)
    revision_before = Study.objects.get(pk=study.id).revision

    stored = trial.tell(0.42)

    row = Trial.objects.get(pk=trial.id)
    tells = [status for path, status in httpd.seen if path.endswith("/tell/")]
    assert tells == [200, 200], "the server answered both tells; the first reply was lost on the way"
    assert stored["state"] == "complete" and stored["value"] == 0.42
    assert (row.state, row.value) == ("complete", 0.42)
    assert Study.objects.get(pk=study.id).revision == revision_before + 1, "the second tell changed nothing"
    assert Trial.objects.filter(study_id=study.id).count() == 1
