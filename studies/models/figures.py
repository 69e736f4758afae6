"""A large study's figures kept in the database by a worker, for a page opened with the cache cold."""

from django.db import models

from .study import Study


class StudyFigures(models.Model):
    """What the study page's first HTML reads that costs a scan of a large study's trials or a
    forest fit: the study's tally (`services/tally.py`) and its
    parameters' importance, kept by a worker (`services/figures.py`) and read when the cache
    lacks them, so that the first viewer after a cache flush does not count 100,000 trials
    and fit the forest again. Only ever a starting point: a reader folds forward the trials
    changed since, and uses an importance only under the cache key it was computed for."""

    study = models.OneToOneField(Study, on_delete=models.CASCADE, primary_key=True, related_name="figures")
    revision = models.PositiveBigIntegerField()  # the study revision the tally was brought up to
    tally = models.BinaryField()  # `tally.dumps`: zlib'd JSON, never queried into
    # Importance kind ("importance", "importance-objectives") -> {"key": its cache key, "found": the figures}.
    importance = models.JSONField(default=dict)
    kept_at = models.DateTimeField()

    def __str__(self):
        return f"figures of study {self.study_id} at revision {self.revision}"
