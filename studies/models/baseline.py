"""The baseline of a dataset: what a study's result is measured against.

A job, like a model export: a request stores the row, a worker fills it in, the reconciler
resends or fails what was lost.
"""

from django.db import models

from .dataset import Dataset
from .job import Job


class Baseline(Job):
    """The cross-validated score of a constant guess (`objectives.baseline`), once per data and metric.

    It depends only on the dataset, the target, the metric and the folds, so every study on
    the same data and metric reads the same row; a study finds it by `key_of(objective)`.
    """

    # The objective's dataset reference: a bundled name ("iris") or "csv:<id>".
    dataset = models.CharField(max_length=80)
    # Deleting an uploaded dataset deletes its baselines; bundled datasets have none.
    upload = models.ForeignKey(Dataset, on_delete=models.CASCADE, null=True, blank=True, related_name="baselines")
    target = models.CharField(max_length=255, blank=True, default="")
    metric = models.CharField(max_length=32)
    cv = models.PositiveSmallIntegerField()
    # The objective of the study that asked first: what the worker computes from.
    objective = models.JSONField(default=dict)
    value = models.FloatField(null=True, blank=True)
    cv_std = models.FloatField(null=True, blank=True)
    strategy = models.CharField(max_length=32, blank=True, default="")
    # The target's most common class and, for two classes, the one F1 and ROC AUC score
    # (`objectives.class_roles`), so the result can be worded without reading the data again.
    roles = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "target", "metric", "cv"],
                                    name="baseline_one_per_data_and_metric"),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return f"baseline of {self.dataset} → {self.target or 'its target'} ({self.metric}, {self.state})"

    @staticmethod
    def key_of(objective):
        """The lookup of a sklearn objective's baseline, or None when it has none (no metric yet)."""
        if objective.get("kind") != "sklearn" or not objective.get("metric"):
            return None
        return {"dataset": str(objective.get("dataset", "")), "target": objective.get("target") or "",
                "metric": objective["metric"], "cv": int(objective.get("cv") or 5)}
