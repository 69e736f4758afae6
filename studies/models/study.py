"""A study: its search space, objective, sampler, budget and state."""

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

    class StopReason(models.TextChoices):
        BUDGET = "budget"  # every trial of the budget ran (or its time ran out)
        USER = "user"  # someone pressed Stop
        TARGET = "target"  # the stop rules in the budget (engine/stopping.py)
        PATIENCE = "patience"
        REGRET_BOUND = "regret_bound"

    ACTIVE_STATES = (State.RUNNING,)
    FINISHED_STATES = (State.COMPLETED, State.STOPPED, State.FAILED)

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studies")
    name = models.CharField(max_length=200)
    directions = models.JSONField(default=list)  # ["minimize"] or several for multi-objective
    # What each objective measures ("accuracy", "latency_ms"), one per direction; empty: unnamed. A study
    # of a built-in model is given its metric's words when created without (services/specs.py).
    objective_names = models.JSONField(default=list, blank=True)
    search_space = models.JSONField()
    sampler = models.JSONField(default=dict)  # {"name": "random", ...options}
    pruner = models.JSONField(null=True, blank=True)
    objective = models.JSONField(default=dict)
    seed = models.BigIntegerField()
    n_trials = models.PositiveIntegerField(null=True, blank=True)
    timeout_s = models.PositiveIntegerField(null=True, blank=True)
    parallelism = models.PositiveIntegerField(default=1)
    # The budget's stop rules, as engine.StopRules.to_json() gives them; null when none is set.
    stop_rules = models.JSONField(null=True, blank=True)
    # Why a finished study ended; blank while it runs and for studies that ended before this was kept.
    stop_reason = models.CharField(max_length=16, choices=StopReason.choices, blank=True, default="")
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
    # The metric names and attribute keys its trials were given, first seen first (at most
    # trial_extras.MAX_NAMES each), so the trial table and the metric chart know their
    # columns without reading every trial.
    metric_names = models.JSONField(default=list, blank=True)
    attr_names = models.JSONField(default=list, blank=True)
    # The study this one continues in a narrower search space (null for every other study, and
    # once the parent is deleted), and how many finished trials it inherited from it: they are
    # counted apart from the budget, which counts only the study's own trials (services/caps.py).
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    n_inherited = models.PositiveIntegerField(default=0)
    # The study this one tunes again on new data (null for every other study, and once that one
    # is deleted): the same model, search space and budget on another CSV, whose first trials ran
    # that study's best settings (services/retuning.py).
    retuned_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="retunes")
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
    def objective_labels(self):
        """What the pages call each objective: its name, or unnamed "value" for a study with one and
        "objective 1"... for a study with several."""
        if len(self.objective_names) == len(self.directions):
            return list(self.objective_names)
        if len(self.directions) == 1:
            return ["value"]
        return [f"objective {i}" for i in range(1, len(self.directions) + 1)]

    @property
    def is_external(self):
        return self.objective.get("kind") == "external"
