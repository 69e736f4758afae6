"""Studies, their trials, the values trials report, and uploaded datasets."""

from django.conf import settings
from django.db import models


class Study(models.Model):
    class State(models.TextChoices):
        CREATED = "created"
        RUNNING = "running"
        PAUSED = "paused"
        COMPLETED = "completed"
        STOPPED = "stopped"
        FAILED = "failed"

    ACTIVE_STATES = (State.RUNNING,)
    FINISHED_STATES = (State.COMPLETED, State.STOPPED, State.FAILED)

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studies")
    name = models.CharField(max_length=200)
    directions = models.JSONField(default=list)  # ["minimize"] or several for multi-objective
    search_space = models.JSONField()
    sampler = models.JSONField(default=dict)  # {"name": "random", ...options}
    pruner = models.JSONField(null=True, blank=True)
    objective = models.JSONField(default=dict)
    seed = models.BigIntegerField()
    n_trials = models.PositiveIntegerField(null=True, blank=True)
    timeout_s = models.PositiveIntegerField(null=True, blank=True)
    parallelism = models.PositiveIntegerField(default=1)
    # A running trial silent for longer than this is failed as "worker lost" by the reaper,
    # and its params are retried up to retry_failed times.
    grace_period_s = models.PositiveIntegerField(default=60)
    retry_failed = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=State.choices, default=State.CREATED)
    error = models.TextField(blank=True, default="")
    # Next trial number; taken and incremented under the study row lock so numbers have no gaps.
    next_number = models.PositiveIntegerField(default=0)
    # Bumped under the study row lock on every trial change; trials carry the revision of their
    # last change, so "?since=<revision>" is a cursor that never misses a late commit.
    revision = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "studies"
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"{self.name} (#{self.pk})"

    @property
    def direction(self):
        return self.directions[0] if len(self.directions) == 1 else None

    @property
    def is_external(self):
        return self.objective.get("kind") == "external"


class Trial(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting"
        RUNNING = "running"
        COMPLETE = "complete"
        PRUNED = "pruned"
        FAILED = "failed"

    FINISHED_STATES = (State.COMPLETE, State.PRUNED, State.FAILED)

    class Origin(models.TextChoices):
        SAMPLER = "sampler"
        MANUAL = "manual"
        RETRY = "retry"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="trials")
    number = models.PositiveIntegerField()
    params = models.JSONField(default=dict)
    value = models.FloatField(null=True, blank=True)
    values = models.JSONField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.SAMPLER)
    error = models.TextField(blank=True, default="")
    worker = models.CharField(max_length=255, blank=True, default="")
    # How many times a worker or client has taken this trial; capped so a trial that kills its
    # worker every time ends failed instead of looping.
    attempts = models.PositiveIntegerField(default=0)
    # The client's Idempotency-Key of the request that created or handed out this trial, so a
    # retried ask after a lost reply returns the same trial instead of a second one.
    request_key = models.CharField(max_length=128, blank=True, default="")
    revision = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When a run message was last sent for this waiting trial; the reconciler sends another
    # when it is old, because Redis without persistence can lose queued messages.
    enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["study", "number"]
        constraints = [
            models.UniqueConstraint(fields=["study", "number"], name="trial_number_unique_in_study"),
            models.UniqueConstraint(
                fields=["study", "request_key"], condition=~models.Q(request_key=""), name="trial_request_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["study", "state"]),
            models.Index(fields=["study", "revision"]),
            models.Index(fields=["study", "value"]),
        ]

    def __str__(self):
        return f"trial {self.number} of study {self.study_id}"

    @property
    def duration_s(self):
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class TrialReport(models.Model):
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="reports")
    step = models.PositiveIntegerField()
    value = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trial", "step"]
        constraints = [models.UniqueConstraint(fields=["trial", "step"], name="report_step_unique_in_trial")]


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
