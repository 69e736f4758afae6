"""The ensemble of a study's best trials: a job, like a model export."""

from django.db import models

from .job import Job
from .study import Study


class Ensemble(Job):
    """The average of a finished study's best trials of different families, cross-validated on the same folds.

    Offered as the study's result only when `beats` (`objectives.ensemble_beats`).
    """

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="ensemble")
    # The members' trial numbers, best first.
    members = models.JSONField(default=list)
    value = models.FloatField(null=True, blank=True)
    # `objectives.TrialDetails.to_json()` of the ensemble's cross-validation.
    details = models.JSONField(null=True, blank=True)
    # The best single trial it was compared with, and whether it beat it.
    best_trial = models.PositiveIntegerField(null=True, blank=True)
    best_value = models.FloatField(null=True, blank=True)
    beats = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return f"ensemble of study {self.study_id} ({self.state})"
