"""What baseline and ensemble jobs share: a worker claims a row, fills it in or fails it, and the
reconciler resends a queued row whose message may be lost and fails a running one whose worker
must be gone (as `model_exports` does for its own rows)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import dispatch

MAX_ERROR_CHARS = 2_000
# A running job still running this long after the hard time limit has lost its worker.
LOST_AFTER_LIMIT_S = 60
LOST = "the worker stopped while computing it (it may have run out of memory or time)"


def claim(model, pk):
    """Move a queued job to running and return its row, or None when another delivery has it."""
    claimed = model.objects.filter(pk=pk, state=model.State.QUEUED).update(
        state=model.State.RUNNING, started_at=timezone.now())
    return model.objects.filter(pk=pk).first() if claimed else None


def finish(model, pk, **fields):
    """Store a running job's result; False when it is no longer running (failed as lost, deleted)."""
    return bool(model.objects.filter(pk=pk, state=model.State.RUNNING).update(
        state=model.State.READY, finished_at=timezone.now(), **fields))


def fail(model, pk, message):
    """Fail a running job with the reason in words; returns the failed state."""
    model.objects.filter(pk=pk, state=model.State.RUNNING).update(
        state=model.State.FAILED, error=message[:MAX_ERROR_CHARS], finished_at=timezone.now())
    return model.State.FAILED


def send(job, task_name):
    """Send a stored job to the workers once the transaction commits, noting when."""
    job.sent_at = timezone.now()
    job.save(update_fields=["sent_at"])
    dispatch.send_on_commit(task_name, job.pk)


def repair(model, task_name, now):
    """Resend queued jobs whose message is old and fail running ones whose worker is gone.

    Returns:
        (resent, failed) counts.
    """
    resend_before = now - timedelta(seconds=settings.TUNER_RESEND_AFTER_S)
    resent = 0
    for pk, sent_at in model.objects.filter(state=model.State.QUEUED, sent_at__lt=resend_before).values_list(
            "pk", "sent_at"):
        # Conditional, so only one of several reconcilers sends it; a duplicate would do nothing
        # anyway, as the worker claims the job first.
        if model.objects.filter(pk=pk, state=model.State.QUEUED, sent_at=sent_at).update(sent_at=now):
            dispatch.send_on_commit(task_name, pk)
            resent += 1
    lost_before = now - timedelta(seconds=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S + LOST_AFTER_LIMIT_S)
    failed = model.objects.filter(state=model.State.RUNNING, started_at__lt=lost_before).update(
        state=model.State.FAILED, error=LOST, finished_at=now)
    return resent, failed
