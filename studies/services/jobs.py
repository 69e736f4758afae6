"""What the jobs a worker runs share (model exports, baselines, ensembles, explanations,
predictions): sending one, claiming it, storing its result or failing it with a reason, and the
reconciler's repair of lost ones.

A job is a row with a state (see `studies.models.job.Job`); its message only says "run job X".
Every job's worker function follows one contract: it claims the row first, so a duplicate
delivery does nothing; every failure is stored on the row with its reason in words and never
raised, so a job never crashes a worker; it returns the new state ("ready" or "failed"), or None
when there was nothing to do.
"""

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from studies import objectives

from . import dispatch
from .datasets import MissingDataset

log = logging.getLogger(__name__)

MAX_ERROR_CHARS = 2_000
# A running job still running this long after the hard time limit has lost its worker.
LOST_AFTER_LIMIT_S = 60
LOST = "the worker stopped while computing it (it may have run out of memory or time)"


def send(job, task_name):
    """Send a stored job to the workers once the transaction commits, noting when."""
    job.sent_at = timezone.now()
    job.save(update_fields=["sent_at"])
    dispatch.send_on_commit(task_name, job.pk)


def claim(model, job_id, *related):
    """The queued job, now running, or None when another delivery claimed it (or it is gone)."""
    claimed = model.objects.filter(pk=job_id, state=model.State.QUEUED).update(
        state=model.State.RUNNING, started_at=timezone.now())
    return model.objects.filter(pk=job_id).select_related(*related).first() if claimed else None


def finish(job, **fields):
    """Store a running job's result; False when it is no longer running (failed as lost, deleted)."""
    return bool(type(job).objects.filter(pk=job.pk, state=job.State.RUNNING).update(
        state=job.State.READY, finished_at=timezone.now(), **fields))


def fail(job, message):
    """Mark a running job failed with the reason in words; returns the new state."""
    type(job).objects.filter(pk=job.pk, state=job.State.RUNNING).update(
        state=job.State.FAILED, error=message[:MAX_ERROR_CHARS], finished_at=timezone.now())
    return job.State.FAILED


def repair(model, task_name, now, lost=LOST):
    """Send a queued job again when its message may be lost; fail a running one whose worker
    must be gone, with the reason `lost`. Returns (resent, failed)."""
    resend_before = now - timedelta(seconds=settings.TUNER_RESEND_AFTER_S)
    resent = 0
    for job in model.objects.filter(state=model.State.QUEUED, sent_at__lt=resend_before).only("pk", "sent_at"):
        # Conditional, so only one of several reconcilers sends it; a duplicate would do nothing
        # anyway, as the worker claims the job first.
        if model.objects.filter(pk=job.pk, state=model.State.QUEUED, sent_at=job.sent_at).update(sent_at=now):
            dispatch.send_on_commit(task_name, job.pk)
            resent += 1
    lost_before = now - timedelta(seconds=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S + LOST_AFTER_LIMIT_S)
    failed = model.objects.filter(state=model.State.RUNNING, started_at__lt=lost_before).update(
        state=model.State.FAILED, error=lost, finished_at=now)
    return resent, failed


def guarded(job, work, doing):
    """Run `work()` for a claimed job; a failure is recorded on the job in words, not raised.

    A fit can raise anything (MemoryError, a bad CSV value), and a job never crashes a worker.

    Args:
        job: The running job.
        work: What to do; its result is returned.
        doing: The work as a noun phrase for messages, e.g. "explaining the model".

    Returns:
        (result, None) when it worked, else (None, the new state "failed").
    """
    try:
        return work(), None
    except MissingDataset:
        reason = "the study's dataset was deleted"
    except (objectives.ObjectiveError, objectives.CsvError) as exc:
        reason = exc.message
    except SoftTimeLimitExceeded:
        reason = f"{doing} took longer than {settings.TUNER_TRIAL_SOFT_TIME_LIMIT_S} s, the time limit of one job"
    except OSError as exc:  # a file is gone or unreadable; its path is no one's business
        log.warning("%s %s: a file could not be read: %s", type(job).__name__, job.pk, exc)
        reason = f"a file could not be read ({exc.strerror or type(exc).__name__})"
    except Exception as exc:
        log.exception("%s %s failed", type(job).__name__, job.pk)
        reason = f"{doing} failed: {type(exc).__name__}: {exc}"
    return None, fail(job, reason)
