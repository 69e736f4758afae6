"""When API tokens and share links were last used, noted without a database write per request.

A request that uses a token or opens a share link only notes the time in the cache shared by
every process; the reconciler writes the noted times to the database on its next pass (every
15 s by default). So no read — a GET of a page, a chart or the API — writes a row, and "last
used" on the profile page and in the share panel is at most one pass behind.
"""

from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

# A noted time lives this long in the cache if no pass collects it (the reconciler is down).
KEEP_S = 7 * 24 * 3600
# (model, field, rows) whose noted times the reconciler writes; apps register theirs in ready().
_TRACKED = []


def track(model, field, rows):
    """Have the reconciler write the noted times of `model` into `field`, for the rows that
    `rows()` returns (a callable, so the queryset is fresh on every pass)."""
    if all(model is not tracked for tracked, _, _ in _TRACKED):
        _TRACKED.append((model, field, rows))


def flush_all():
    """Write every tracked model's noted times (one reconciler step); return how many rows changed."""
    return sum(flush(model, field, rows()) for model, field, rows in _TRACKED)


def _key(model, pk):
    return f"usage:{model._meta.label_lower}:{pk}"


def note(model, pk, now=None):
    """Note that the row `pk` of `model` (ApiToken or ShareLink) was used now."""
    cache.set(_key(model, pk), (now or timezone.now()).timestamp(), KEEP_S)


def noted(model, pk):
    """The time noted for a row and not yet written, or None."""
    stamp = cache.get(_key(model, pk))
    return datetime.fromtimestamp(stamp, UTC) if stamp is not None else None


def with_noted(rows, field):
    """Rows (model instances) with `field` moved forward to any time noted and not yet written,
    so a list shows the latest use at once."""
    rows = list(rows)
    for row in rows:
        when = noted(type(row), row.pk)
        if when is not None and (getattr(row, field) is None or getattr(row, field) < when):
            setattr(row, field, when)
    return rows


def flush(model, field, rows):
    """Write the noted times of `rows` (a queryset of `model`) into `field`; return how many changed.

    A time only moves forward, so an older note never overwrites a newer write.
    """
    keys = {_key(model, pk): pk for pk in rows.values_list("pk", flat=True)}
    found = cache.get_many(list(keys))
    changed = 0
    for key, stamp in found.items():
        when = datetime.fromtimestamp(stamp, UTC)
        later = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": when})
        changed += model.objects.filter(later, pk=keys[key]).update(**{field: when})
    cache.delete_many(list(found))
    return changed
