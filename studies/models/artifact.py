"""Files attached to a trial: plots, logs, tables its run wrote."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models

from .trial import Trial


def artifact_storage():
    """Where trial files are kept: settings.STORAGES["artifacts"] (the media folder, or a bucket)."""
    return storages["artifacts"]


class Artifact(models.Model):
    """One file attached to a trial, kept through Django's storage API (the media folder by default,
    an S3-compatible bucket when TUNER_ARTIFACT_BUCKET is set).

    `content_type` is what the server found in the bytes, never what the uploader claimed;
    downloads and the trial page go by it. The file goes with the row (and the row with its study).
    """

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="artifacts")
    name = models.CharField(max_length=255)  # the uploaded file's base name, for the download's
    file = models.FileField(upload_to="artifacts/%Y/%m/", storage=artifact_storage)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["trial", "created_at"])]

    def __str__(self):
        return f"artifact {self.name} of trial {self.trial_id}"
