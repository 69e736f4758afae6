"""A trial's model refitted on the whole dataset: a job, like a trial, run by a worker."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .study import Study
from .trial import Trial


class ModelExport(models.Model):
    """A trial's model refitted on the whole dataset by a worker, with the text that rebuilds it.

    Preparing the best model makes one; a worker fills in `file` and `text`. There is at most one
    export per trial that has not failed, so asking again for the same best trial reuses it.
    """

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        READY = "ready"
        FAILED = "failed"

    PENDING_STATES = (State.QUEUED, State.RUNNING)

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="model_exports")
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="model_exports")
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    error = models.TextField(blank=True, default="")
    file = models.FileField(upload_to="models/%Y/%m/", blank=True)  # the fitted pipeline, joblib format
    text = models.TextField(blank=True, default="")  # versions, how to load it, how to rebuild it
    # The trial numbers averaged when the study's ensemble beat its best trial (best first, `trial`
    # the first); null for one trial's model.
    members = models.JSONField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When the task message was last sent; a queued export whose message is old is sent again
    # by the reconciler, because Redis without persistence can lose queued messages.
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trial"], condition=~Q(state="failed"), name="model_export_one_live_per_trial"),
        ]
        indexes = [models.Index(fields=["study", "-created_at"]), models.Index(fields=["state"])]

    def __str__(self):
        return f"model export {self.pk} of trial {self.trial_id} ({self.state})"
