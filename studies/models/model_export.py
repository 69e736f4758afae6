"""A trial's model refitted on the whole dataset: a job, like a trial, run by a worker."""

from django.db import models
from django.db.models import Q

from .job import Job
from .study import Study
from .trial import Trial


class ModelExport(Job):
    """A trial's model refitted on the whole dataset by a worker, with the text that rebuilds it.

    Preparing the best model makes one; a worker fills in `file` and `text`. There is at most one
    export per trial that has not failed, so asking again for the same best trial reuses it.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="model_exports")
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="model_exports")
    file = models.FileField(upload_to="models/%Y/%m/", blank=True)  # the fitted pipeline, joblib format
    text = models.TextField(blank=True, default="")  # versions, how to load it, how to rebuild it
    # The trial numbers averaged when the study's ensemble beat its best trial (best first, `trial`
    # the first); null for one trial's model.
    members = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trial"], condition=~Q(state="failed"), name="model_export_one_live_per_trial"),
        ]
        indexes = [models.Index(fields=["study", "-created_at"]), models.Index(fields=["state"])]

    def __str__(self):
        return f"model export {self.pk} of trial {self.trial_id} ({self.state})"
