"""Fixtures shared by tests/client and tests/agent: a live server, a token, studies, agents."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

AGENT = Path(sys.executable).parent / "tuner-agent"
EXTERNAL_SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}}


@pytest.fixture
def token(owner):
    from tests.api_keys import api_key_for

    return api_key_for(owner)


@pytest.fixture
def server(live_server):
    """The live server's base URL (pytest-django runs it in a thread on the test database)."""
    return live_server.url


@pytest.fixture
def make_study(api):
    """Create an external study through the API; keyword arguments override the spec (None leaves a key out)."""

    def make(**overrides):
        body = {
            "name": "external study", "direction": "maximize", "search_space": EXTERNAL_SPACE,
            "sampler": {"name": "random", "seed": 5}, "objective": {"kind": "external"}, "budget": {"n_trials": 10},
            **overrides,
        }
        body = {key: value for key, value in body.items() if value is not None}
        response = api.post("/api/studies/", body, format="json")
        assert response.status_code == 201, response.data
        return response.data["id"]

    return make


@pytest.fixture
def write_script(tmp_path):
    """Write a Python script into tmp_path and return its path."""

    def write(source, name="train.py"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        return path

    return write


@pytest.fixture
def start_agent(server, token, tmp_path):
    """Start `tuner-agent` as a subprocess; returns the Popen (text mode, output captured)."""
    started = []

    def start(study_id, command, *options, token_=None, sigint_ignored=False):
        env = {**os.environ, "TUNER_URL": server, "TUNER_TOKEN": token_ or token}
        argv = [str(AGENT), "--study", str(study_id), "--heartbeat-s", "0.5", *options, "--", *command]
        # As a shell starts a background job: Ctrl-C ignored, which the agent inherits.
        ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None
        process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   cwd=tmp_path, preexec_fn=ignore)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def finish(process, timeout_s=60):
    """Wait for an agent; return (exit code, stdout, stderr)."""
    stdout, stderr = process.communicate(timeout=timeout_s)
    return process.returncode, stdout, stderr


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def reply_json(handler, status, payload):
    """Answer a request to a test HTTP server (`handler` is its BaseHTTPRequestHandler) with JSON bytes."""
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    handler.wfile.write(payload)
