"""Notes written on a study or on one of its trials."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .study import Study
from .trial import Trial


class Note(models.Model):
    """Markdown written on a study (trial null) or on one of its trials; one note per target."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="notes")
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, null=True, blank=True, related_name="notes")
    text = models.TextField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study"], condition=Q(trial__isnull=True), name="note_one_per_study"),
            models.UniqueConstraint(fields=["trial"], condition=Q(trial__isnull=False), name="note_one_per_trial"),
        ]

    def __str__(self):
        return f"note on study {self.study_id}" + (f" trial {self.trial_id}" if self.trial_id else "")
