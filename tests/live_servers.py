"""Fixtures for a real web server (gunicorn, 2 processes) on a fresh PostgreSQL or SQLite database."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import stop_process

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("TUNER_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_database():
    import psycopg

    name = f"tuner_conc_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_postgres_database(name):
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def script_output_on_postgresql(script):
    """Run `script` in `manage.py shell` on a fresh, migrated PostgreSQL database (dropped after);
    return the JSON object its last printed line holds."""
    name, url = _postgres_database()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SECRET_KEY": "x" * 50}
    try:
        for args in (["migrate", "--noinput", "-v", "0"], ["shell", "-c", script]):
            done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                  text=True)
            assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        _drop_postgres_database(name)


class Server:
    def __init__(self, url, token, env, log_dir):
        self.url, self.token, self.env = url, token, env
        self.access_log, self.log = log_dir / "access.log", log_dir / "gunicorn.log"

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        ).stdout


def _start(database_url, tmp_path, **overrides):
    env = {**os.environ, "DATABASE_URL": database_url, "TUNER_VAR_DIR": str(tmp_path), "DJANGO_SUPERUSER_PASSWORD": "x-Pass-123",
           # The suite's clients fail authentication on purpose (schemathesis' ignored_auth check);
           # throttling them would hide what they test. tests/security/test_auth_throttling_live.py
           # sets real limits. Counts of each server stay apart in the shared Redis.
           "TUNER_TOKEN_FAILURE_RATE": "100000/min", "TUNER_LOGIN_FAILURE_LIMIT": "100000",
           "TUNER_CACHE_PREFIX": f"test-{uuid.uuid4().hex[:8]}", **overrides}
    run = lambda *args: subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,  # noqa: E731
                                       capture_output=True, text=True).stdout
    run("migrate", "--noinput", "-v", "0")
    run("createsuperuser", "--noinput", "--username", "load", "--email", "load@example.com")
    token = run("create_api_token", "load", "--name", "load").strip()
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:tuner_site.gunicorn_conf", "tuner_site.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--access-logfile", str(tmp_path / "access.log")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/schema/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return process, Server(url, token, env, tmp_path)


@pytest.fixture
def postgres_server(tmp_path):
    name, url = _postgres_database()
    process, server = _start(url, tmp_path)
    try:
        yield server
    finally:
        stop_process(process)
        _drop_postgres_database(name)


@pytest.fixture
def sqlite_server(tmp_path):
    process, server = _start(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    try:
        yield server
    finally:
        stop_process(process)
