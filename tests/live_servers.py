"""A real web server (gunicorn, 2 processes) on a fresh PostgreSQL or SQLite database.

Each fresh database is a copy of one this test process migrated once (with the user `load` and
its API token): a copy takes a fraction of a second where a migrate took seconds.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sqlite3
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import stop_process

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("TUNER_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


USERNAME, PASSWORD = "load", "x-Pass-123"


def admin_sql(statement, admin_url=PG_ADMIN_URL):
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else None


def pg_url(name, admin_url=PG_ADMIN_URL):
    """The URL of database `name` in the cluster of `admin_url`."""
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def migrate_with_user(database_url, username=USERNAME, password=PASSWORD):
    """Migrate the database at `database_url` and give it a superuser `username` with an API token
    (returned), in one `manage.py shell`: each manage.py start costs seconds on a busy machine."""
    script = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.contrib.auth.models import User; from accounts.tokens import create_token;"
        f"user = User.objects.create_superuser({username!r}, email='{username}@example.com', password={password!r});"
        f"print('TOKEN=' + create_token(user, {username!r})[1])"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": "x" * 50}
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"preparing the database failed:\n{done.stdout}\n{done.stderr}")
    return next(line.split("=", 1)[1] for line in done.stdout.splitlines() if line.startswith("TOKEN="))


def create_template(admin_url=PG_ADMIN_URL, username=USERNAME, password=PASSWORD):
    """A migrated PostgreSQL database, with one user and its API token, to copy fresh databases
    from (one `CREATE DATABASE ... TEMPLATE` instead of a migrate per test): (name, token)."""
    name = f"tuner_tmpl_{uuid.uuid4().hex[:8]}"
    admin_sql(f'CREATE DATABASE "{name}"', admin_url)
    try:
        return name, migrate_with_user(pg_url(name, admin_url), username, password)
    except BaseException:
        drop_database(name, admin_url)
        raise


def drop_database(name, admin_url=PG_ADMIN_URL):
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', admin_url)


# This test process's migrated databases, made on first use and dropped at the end of the session
# (tests/conftest.py): {"postgresql": (template name, token), "sqlite": (file, token)}.
_TEMPLATES = {}


def _template(kind):
    if kind not in _TEMPLATES:
        if kind == "postgresql":
            _TEMPLATES[kind] = create_template()
        else:
            path = Path(tempfile.mkdtemp(prefix="tuner-sqlite-template-")) / "db.sqlite3"
            _TEMPLATES[kind] = path, migrate_with_user(f"sqlite:///{path}")
    return _TEMPLATES[kind]


def drop_templates():
    """Drop the migrated databases this process made (at the end of the test session)."""
    for kind, (where, _token) in _TEMPLATES.items():
        if kind == "postgresql":
            drop_database(where)
        else:
            shutil.rmtree(where.parent, ignore_errors=True)
    _TEMPLATES.clear()


@contextlib.contextmanager
def fresh_database(kind, directory):
    """A new copy of this process's migrated `kind` ("postgresql" or "sqlite") database, with the
    user `load` and its token; yields (DATABASE_URL, token) and drops the copy after."""
    where, token = _template(kind)
    if kind == "sqlite":
        path = Path(directory) / "db.sqlite3"
        with sqlite3.connect(where) as source, sqlite3.connect(path) as copy:
            source.backup(copy)  # the backup API, so nothing still in the template's WAL is left out
        yield f"sqlite:///{path}", token
        return
    name = f"tuner_conc_{uuid.uuid4().hex[:8]}"
    admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{where}"')
    try:
        yield pg_url(name), token
    finally:
        drop_database(name)


def script_output_on_postgresql(script):
    """Run `script` in `manage.py shell` on a fresh, migrated PostgreSQL database (dropped after);
    return the JSON object its last printed line holds."""
    with tempfile.TemporaryDirectory() as directory, fresh_database("postgresql", directory) as (url, _token):
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SECRET_KEY": "x" * 50}
        done = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])


class Server:
    def __init__(self, url, token, env, log_dir):
        self.url, self.token, self.env = url, token, env
        self.access_log, self.log = log_dir / "access.log", log_dir / "gunicorn.log"

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        ).stdout


@contextlib.contextmanager
def running_server(tmp_path, database="postgresql", **overrides):
    """A real gunicorn (2 processes, 4 threads each) on a fresh copy of the migrated `database`,
    its logs in `tmp_path`, environment `overrides`; stopped and its database dropped after."""
    with fresh_database(database, tmp_path) as (database_url, token):
        env = {**os.environ, "DATABASE_URL": database_url, "TUNER_VAR_DIR": str(tmp_path),
               # The suite's clients fail authentication on purpose (schemathesis' ignored_auth check);
               # throttling them would hide what they test. tests/security/test_auth_throttling_live.py
               # sets real limits. Counts of each server stay apart in the shared Redis.
               "TUNER_TOKEN_FAILURE_RATE": "100000/min", "TUNER_LOGIN_FAILURE_LIMIT": "100000",
               "TUNER_CACHE_PREFIX": f"test-{uuid.uuid4().hex[:8]}", **overrides}
        port = free_port()
        with open(tmp_path / "gunicorn.log", "w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "python:tuner_site.gunicorn_conf", "tuner_site.wsgi",
                 "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
                 "--access-logfile", str(tmp_path / "access.log")],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_answering(url, process, tmp_path / "gunicorn.log")
            yield Server(url, token, env, tmp_path)
        finally:
            stop_process(process)


def _wait_until_answering(url, process, log_path, timeout_s=120):
    """Until the server answers; a busy machine can take a minute to boot two workers."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{url}/api/schema/", timeout=10)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout_s} s:\n{log_path.read_text()[-3000:]}")


@pytest.fixture
def postgres_server(tmp_path):
    with running_server(tmp_path, "postgresql") as server:
        yield server


@pytest.fixture
def sqlite_server(tmp_path):
    with running_server(tmp_path, "sqlite") as server:
        yield server
