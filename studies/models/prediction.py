"""Predictions on an uploaded CSV with a study's best model, made by a worker."""

from django.conf import settings
from django.db import models

from .job import Job
from .study import Study
from .trial import Trial


class Prediction(Job):
    """An uploaded CSV and, once ready, a copy of it with the model's prediction for every row.

    The uploaded file is only ever read; the worker writes `output` beside it. `rows` counts
    the rows predicted so far, of `n_rows`, so a page can show progress. Both files go with the row.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="predictions")
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="predictions")  # the model used
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="predictions")
    name = models.CharField(max_length=255)  # the uploaded file's name, for the download's
    input = models.FileField(upload_to="predictions/%Y/%m/")
    output = models.FileField(upload_to="predictions/%Y/%m/", blank=True)
    rows = models.PositiveIntegerField(default=0)
    n_rows = models.PositiveIntegerField(default=0)  # the upload's data rows, counted when it was checked
    # Whether the output has a probability_<class> column per class: a model that cannot say how
    # sure it is (an SVM tuned for a metric that needs no probabilities) gives only the answer.
    probabilities = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["owner", "study", "-created_at"]), models.Index(fields=["state"])]

    def __str__(self):
        return f"prediction {self.pk} of study {self.study_id} ({self.state})"
