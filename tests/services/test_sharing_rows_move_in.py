"""Upgrading a database made when members, share links, notes and model exports lived in the
`sharing` app: `migrate` moves every row into the studies tables with its id, drops the old
tables and forgets the old app, on SQLite and on PostgreSQL."""

import os
import sqlite3
import subprocess
import sys
import uuid

import psycopg
import pytest

from tests.conftest import ROOT
from tests.live_servers import PG_ADMIN_URL

pytestmark = pytest.mark.e2e  # real processes: migrations of databases of its own

# The sharing tables as the old app's migrations made them (the columns the move copies).
OLD_TABLES = [
    'CREATE TABLE sharing_studymember (id {pk}, role varchar(16) NOT NULL, created_at {ts} NOT NULL, '
    'study_id bigint NOT NULL, user_id integer NOT NULL)',
    'CREATE TABLE sharing_sharelink (id {pk}, token_hash varchar(64) NOT NULL UNIQUE, created_at {ts} NOT NULL, '
    'expires_at {ts} NULL, revoked_at {ts} NULL, last_opened_at {ts} NULL, created_by_id integer NULL, '
    'study_id bigint NOT NULL)',
    'CREATE TABLE sharing_note (id {pk}, text text NOT NULL, updated_at {ts} NOT NULL, study_id bigint NOT NULL, '
    'trial_id bigint NULL, updated_by_id integer NULL)',
    'CREATE TABLE sharing_modelexport (id {pk}, state varchar(16) NOT NULL, error text NOT NULL, '
    'file varchar(100) NOT NULL, text text NOT NULL, created_at {ts} NOT NULL, sent_at {ts} NULL, '
    'started_at {ts} NULL, finished_at {ts} NULL, requested_by_id integer NULL, study_id bigint NOT NULL, '
    'trial_id bigint NOT NULL)',
]
T = "2026-11-30 12:00:00+00:00"
OLD_ROWS = [
    f"INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, "
    f"is_active, date_joined) VALUES (5, '!', {{false}}, 'olivia', '', '', '', {{false}}, {{true}}, '{T}')",
    f"INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, "
    f"is_active, date_joined) VALUES (6, '!', {{false}}, 'vera', '', '', '', {{false}}, {{true}}, '{T}')",
    f"INSERT INTO studies_study (id, owner_id, name, directions, search_space, sampler, objective, seed, "
    f"parallelism, grace_period_s, retry_failed, state, error, next_number, revision, created_at, updated_at) "
    f"VALUES (3, 5, 'old study', '[\"minimize\"]', '{{{{}}}}', '{{{{}}}}', '{{{{}}}}', 1, 1, 60, 0, 'completed', '', "
    f"1, 1, '{T}', '{T}')",
    f"INSERT INTO studies_trial (id, study_id, number, params, state, origin, error, worker, attempts, "
    f"request_key, revision, created_at) VALUES (9, 3, 0, '{{{{}}}}', 'complete', 'sampler', '', '', 1, '', 1, '{T}')",
    f"INSERT INTO sharing_studymember VALUES (7, 'viewer', '{T}', 3, 6)",
    f"INSERT INTO sharing_sharelink VALUES (11, '{'a' * 64}', '{T}', NULL, NULL, NULL, 5, 3)",
    f"INSERT INTO sharing_note VALUES (13, 'chosen for production', '{T}', 3, 9, 5)",
    f"INSERT INTO sharing_modelexport VALUES (17, 'ready', '', 'models/m.joblib', 'import joblib', '{T}', NULL, "
    f"NULL, '{T}', 5, 3, 9)",
    "INSERT INTO django_migrations (app, name, applied) VALUES ('sharing', '0001_initial', "
    f"'{T}'), ('sharing', '0002_model_export', '{T}')",
]


class SQLite:
    dialect = {"pk": "integer NOT NULL PRIMARY KEY AUTOINCREMENT", "ts": "datetime", "false": 0, "true": 1}

    def __init__(self, tmp_path):
        self.path = tmp_path / "old.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def sql(self, statement):
        with sqlite3.connect(self.path) as conn:
            return conn.execute(statement).fetchall()

    def drop(self):
        pass


class PostgreSQL:
    dialect = {"pk": "bigserial PRIMARY KEY", "ts": "timestamptz", "false": "false", "true": "true"}

    def __init__(self, tmp_path):
        self.name = f"tuner_move_{uuid.uuid4().hex[:8]}"
        self._admin(f'CREATE DATABASE "{self.name}"')
        self.url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{self.name}"

    def _admin(self, statement):
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(statement)

    def sql(self, statement):
        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module", params=[SQLite, PostgreSQL], ids=["sqlite", "postgresql"])
def upgraded(request, tmp_path_factory):
    """A database migrated to just before the move, holding sharing rows as the old app stored
    them, then migrated to today (once per database kind: a migrate takes seconds)."""
    database = request.param(tmp_path_factory.mktemp("old"))
    _migrate(database, "auth")
    _migrate(database, "studies", "0004")
    for statement in OLD_TABLES + OLD_ROWS:
        database.sql(statement.format(**database.dialect))
    _migrate(database)
    yield database
    database.drop()


def _migrate(database, *target):
    env = {**os.environ, "DATABASE_URL": database.url, "DJANGO_SECRET_KEY": "x" * 50}
    done = subprocess.run([sys.executable, "manage.py", "migrate", *target, "--noinput", "-v", "0"], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_row_moves_with_its_id(upgraded):
    assert upgraded.sql("SELECT id, role, study_id, user_id FROM studies_studymember") == [(7, "viewer", 3, 6)]
    assert upgraded.sql("SELECT id, study_id FROM studies_sharelink") == [(11, 3)]
    assert upgraded.sql("SELECT id, text, trial_id FROM studies_note") == [(13, "chosen for production", 9)]
    assert upgraded.sql("SELECT id, state, file, trial_id FROM studies_modelexport") == [
        (17, "ready", "models/m.joblib", 9)]


def test_the_old_tables_and_the_old_apps_migrations_are_gone(upgraded):
    tables = {row[0] for row in upgraded.sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'" if isinstance(upgraded, SQLite)
        else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert not {name for name in tables if name.startswith("sharing_")}
    assert upgraded.sql("SELECT name FROM django_migrations WHERE app = 'sharing'") == []


def test_a_row_made_after_the_move_takes_a_new_id(upgraded):
    upgraded.sql(f"INSERT INTO studies_sharelink (token_hash, created_at, study_id) VALUES ('{'b' * 64}', "
                     f"'{T}', 3)")

    assert upgraded.sql("SELECT id FROM studies_sharelink ORDER BY id")[-1][0] > 11
