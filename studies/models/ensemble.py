"""The ensemble of a study's best trials: a job, like a model export."""

from django.db import models

from .baseline import JobState
from .study import Study


class Ensemble(models.Model):
    """The average of a finished study's best trials of different families, cross-validated on the same folds.

    Offered as the study's result only when `beats` (`objectives.ensemble_beats`).
    """

    State = JobState
    PENDING_STATES = (JobState.QUEUED, JobState.RUNNING)

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="ensemble")
    # The members' trial numbers, best first.
    members = models.JSONField(default=list)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    value = models.FloatField(null=True, blank=True)
    # `objectives.TrialDetails.metrics()` of the ensemble's cross-validation.
    metrics = models.JSONField(null=True, blank=True)
    # The best single trial it was compared with, and whether it beat it.
    best_trial = models.PositiveIntegerField(null=True, blank=True)
    best_value = models.FloatField(null=True, blank=True)
    beats = models.BooleanField(default=False)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return f"ensemble of study {self.study_id} ({self.state})"
