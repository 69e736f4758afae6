"""Each token of DRF's authtoken app becomes a named ApiToken with the same key, then the old table goes.

The old table kept keys in clear; ApiToken keeps only their SHA-256, so the table is dropped
once copied. Its app is no longer installed, so it is read with SQL when it exists (databases
made before named tokens) and its migrations are forgotten, so that installing it again would
start clean.
"""

import hashlib
from datetime import timezone as dt_timezone

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"
OLD_TOKEN_NAME = "token created before named tokens"
PREFIX_LENGTH = 8  # ApiToken.PREFIX_LENGTH; a historical model carries no class constants


def hash_token(key):
    # The same SHA-256 as studies.services.tokens, written here so the migration never changes.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def import_authtoken_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} FROM {quote(OLD_TABLE)}")
        rows = cursor.fetchall()
    ApiToken.objects.using(connection.alias).bulk_create([
        ApiToken(user_id=user_id, name=OLD_TOKEN_NAME, key_hash=hash_token(key), prefix=key[:PREFIX_LENGTH],
                 created_at=_aware(created))
        for key, user_id, created in rows
    ])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quote(OLD_TABLE)}")
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()


def _aware(created):
    # Raw SQL on SQLite may answer a string or a naive UTC datetime; PostgreSQL an aware one.
    if isinstance(created, str):
        created = parse_datetime(created)
    if created is None:
        return timezone.now()
    return timezone.make_aware(created, dt_timezone.utc) if timezone.is_naive(created) else created


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(import_authtoken_tokens, migrations.RunPython.noop)]
