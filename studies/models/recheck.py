"""Re-checking a study's top trials: is the winner real?"""

from django.db import models

from .job import Job
from .study import Study


class Recheck(Job):
    """The top trials of a study measured again, `repeats` times each (`services.rechecks`).

    A built-in study's re-check is a job: a worker cross-validates each trial's params on new
    folds and stores the values in `fresh`. An external study's re-check is trials the user's
    own code runs (origin "recheck", `Trial.rechecks` naming the trial they measure again);
    its row stays running, never sent to a worker, and the results are read from those trials.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="rechecks")
    # The numbers of the trials re-checked, best first, as they ranked when it was asked.
    numbers = models.JSONField(default=list)
    repeats = models.PositiveSmallIntegerField()
    # Built-in: {"<number>": [one value per repeat]}, once ready.
    fresh = models.JSONField(null=True, blank=True)
    # External: {"<number>": [the numbers of its re-check trials]}; null for a built-in study.
    runs = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["study", "-created_at"]), models.Index(fields=["state"])]

    def __str__(self):
        return f"re-check {self.pk} of study {self.study_id} ({self.state})"
