"""Keys made before named tokens (DRF's authtoken table) keep working after the migration."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from rest_framework.test import APIClient

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db
migration = importlib.import_module("accounts.migrations.0002_import_authtoken_tokens")
OLD_KEY = "0123456789abcdef0123456789abcdef01234567"  # authtoken keys were 40 hex characters


@pytest.fixture
def old_token(owner):
    """The authtoken table as DRF made it, holding one key of the owner, and its migrations recorded."""
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE "authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, '
                       '"created" timestamp NOT NULL, "user_id" integer NOT NULL UNIQUE)')
        cursor.execute('INSERT INTO "authtoken_token" VALUES (%s, %s, %s)', [OLD_KEY, "2024-05-01 10:00:00", owner.pk])
    MigrationRecorder(connection).record_applied("authtoken", "0001_initial")


def test_an_old_key_still_authenticates(old_token):
    migration.import_authtoken_tokens(apps, connection.schema_editor())

    response = APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {OLD_KEY}")

    assert response.status_code == 200


def test_an_old_key_becomes_a_named_token_holding_only_its_hash(old_token, owner):
    migration.import_authtoken_tokens(apps, connection.schema_editor())

    token = ApiToken.objects.get(user=owner)
    assert token.name == "token created before named tokens" and token.prefix == OLD_KEY[:8]
    assert token.key_hash != OLD_KEY and token.created_at.isoformat() == "2024-05-01T10:00:00+00:00"


def test_the_old_table_of_clear_keys_is_dropped_and_its_migrations_forgotten(old_token):
    migration.import_authtoken_tokens(apps, connection.schema_editor())

    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder(connection).migration_qs.filter(app="authtoken").exists()


def test_a_database_without_the_old_table_is_left_alone(owner):
    migration.import_authtoken_tokens(apps, connection.schema_editor())

    assert not ApiToken.objects.exists()
