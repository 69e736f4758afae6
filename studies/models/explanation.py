"""What drives a study's best model: column importance, partial dependence and its mistakes."""

from django.db import models
from django.db.models import Q

from .job import Job
from .study import Study
from .trial import Trial


class Explanation(Job):
    """The explanation of one trial's model (the study's best), computed by a worker.

    `result` holds what `objectives.explain_for` returns, once ready. There is at most one
    explanation per trial that has not failed, so asking again for the same best trial reuses it.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="explanations")
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="explanations")
    result = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trial"], condition=~Q(state="failed"), name="explanation_one_live_per_trial"),
        ]
        indexes = [models.Index(fields=["study", "-created_at"]), models.Index(fields=["state"])]

    def __str__(self):
        return f"explanation {self.pk} of trial {self.trial_id} ({self.state})"
