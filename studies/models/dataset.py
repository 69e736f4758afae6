"""Uploaded CSV datasets."""

from django.conf import settings
from django.db import models


class Dataset(models.Model):
    class Task(models.TextChoices):
        CLASSIFICATION = "classification"
        REGRESSION = "regression"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="datasets")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="datasets/%Y/%m/")
    n_rows = models.PositiveIntegerField()
    columns = models.JSONField(default=list)  # [{"name", "kind", "n_missing", "n_unique"}]
    preview = models.JSONField(default=list)
    suggested_target = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"{self.name} (#{self.pk})"

    @property
    def column_names(self):
        return [column["name"] for column in self.columns]
