"""What every job a worker runs for a study shares: its state, its reason for failing, and its times."""

from django.conf import settings
from django.db import models


class Job(models.Model):
    """A piece of work stored as a row, sent to the workers by id and claimed by one of them.

    The row is the record: a lost message is sent again by the reconciler while the job is
    queued (`sent_at` is old), and a job running past every time limit is failed as lost.
    """

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        READY = "ready"
        FAILED = "failed"

    PENDING_STATES = (State.QUEUED, State.RUNNING)

    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    error = models.TextField(blank=True, default="")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When the task message was last sent; Redis without persistence can lose queued messages.
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
