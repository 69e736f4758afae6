"""The database's clock, so leases mean the same on every machine whatever its own clock says."""

from datetime import datetime, timezone

from django.db import connection


def db_now():
    """The current time as the database server sees it, timezone-aware (UTC)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite has no timezone and CURRENT_TIMESTAMP drops the milliseconds.
            cursor.execute("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
            return datetime.fromisoformat(cursor.fetchone()[0]).replace(tzinfo=timezone.utc)
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        return cursor.fetchone()[0].astimezone(timezone.utc)
