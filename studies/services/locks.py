"""The study row lock that serialises every change to a study's trials."""

from studies.models import Study


def lock_study(study_id):
    """Lock and return the study row; call inside transaction.atomic().

    Every change to a study's trials goes through this lock: it makes trial numbers
    gapless, lets the sampler see every pending trial, and orders revisions. SQLite
    ignores FOR UPDATE, but our SQLite connections open IMMEDIATE transactions, which
    take the database write lock at BEGIN and so serialise the same way.
    """
    return Study.objects.select_for_update().get(pk=study_id)


def bump_revision(study):
    """Advance the study's change counter and return the new value (caller holds the lock)."""
    study.revision += 1
    study.save(update_fields=["revision", "updated_at"])
    return study.revision
