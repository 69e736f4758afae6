"""Trials of a study and the intermediate values they report."""

from django.conf import settings
from django.db import models

from .study import Study


class Trial(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting"
        RUNNING = "running"
        COMPLETE = "complete"
        PRUNED = "pruned"
        FAILED = "failed"
        # Ended by its study being stopped (or deleted) while it waited or ran: not its fault.
        STOPPED = "stopped"

    FINISHED_STATES = (State.COMPLETE, State.PRUNED, State.FAILED, State.STOPPED)

    class Origin(models.TextChoices):
        SAMPLER = "sampler"
        MANUAL = "manual"
        RETRY = "retry"
        # Ran outside this study (in Optuna, a CSV, another study) and was brought in finished.
        IMPORTED = "imported"
        # The same params as an earlier trial, measured again by a re-check (`rechecks`): it
        # counts in the re-check only, never in the study's results or its sampler's history.
        RECHECK = "recheck"
        # Copied finished from the parent study when a child study narrowed its space; never
        # re-run, and not counted in the child's budget.
        INHERITED = "inherited"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="trials")
    number = models.PositiveIntegerField()
    params = models.JSONField(default=dict)
    value = models.FloatField(null=True, blank=True)
    values = models.JSONField(null=True, blank=True)
    # What a built-in trial's cross-validation found beyond its value (fold scores, their
    # spread, fit time: `objectives.TrialDetails.to_json()`), for the leaderboard and the
    # ensemble; null for external trials and trials run before it was stored.
    details = models.JSONField(null=True, blank=True)
    # What the user's code records about the trial beyond its value, given at report and tell
    # and merged (later keys win): `attrs`, any small JSON (tags, the git commit); `metrics`,
    # named numbers recorded but not optimised (training time, model size). Capped in
    # services/trial_extras.py.
    attrs = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    # The trial's constraint values, given at tell or report (Optuna's convention: feasible
    # when every one is <= 0), or null; `feasible` is derived from them when they are stored
    # (null without constraints) so that the best value and the table filter are one query.
    constraints = models.JSONField(null=True, blank=True)
    feasible = models.BooleanField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.SAMPLER)
    # The trial a re-check trial measures again; null for every other trial.
    rechecks = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="rechecked_by")
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
    # A finished trial a person left out of the study's results (a flaky machine, a leak they
    # found): it stays listed, marked, but no sampler, pruner, best value, summary or chart
    # counts it. Reversible: including it again clears all three.
    excluded_at = models.DateTimeField(null=True, blank=True)
    excluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    exclusion_reason = models.CharField(max_length=500, blank=True, default="")
    # The parent study's trial an inherited trial copies (null for every other origin, and once
    # that trial or its study is deleted).
    inherited_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

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
    def excluded(self):
        return self.excluded_at is not None

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
