"""Who a study is shared with, its read-only links, and the notes written on it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from studies.models import Study, Trial


class StudyMember(models.Model):
    """A user other than the owner who may see (viewer) or also run (editor) a study."""

    class Role(models.TextChoices):
        VIEWER = "viewer"
        EDITOR = "editor"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["study", "user"], name="member_unique_in_study")]
        indexes = [models.Index(fields=["user", "study"])]

    def __str__(self):
        return f"{self.user_id} as {self.role} of study {self.study_id}"


class ShareLink(models.Model):
    """A read-only link to a study for people without an account.

    Only the SHA-256 of the token is stored: a leaked database does not leak working links.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["study", "-created_at"])]

    def __str__(self):
        return f"share link {self.pk} of study {self.study_id}"

    @property
    def is_live(self):
        from django.utils import timezone

        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class Note(models.Model):
    """Markdown written on a study (trial null) or on one of its trials; one note per target."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="notes")
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, null=True, blank=True, related_name="notes")
    text = models.TextField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study"], condition=Q(trial__isnull=True), name="one_study_note"),
            models.UniqueConstraint(fields=["trial"], condition=Q(trial__isnull=False), name="one_note_per_trial"),
        ]

    def __str__(self):
        return f"note on study {self.study_id}" + (f" trial {self.trial_id}" if self.trial_id else "")


class ModelExport(models.Model):
    """A trial's model refitted on the whole dataset by a worker, with the text that rebuilds it.

    Preparing the best model makes one; a worker fills in `file` and `text`. There is at most one
    export per trial that has not failed, so asking again for the same best trial reuses it.
    """

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        READY = "ready"
        FAILED = "failed"

    PENDING_STATES = (State.QUEUED, State.RUNNING)

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="model_exports")
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="model_exports")
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    error = models.TextField(blank=True, default="")
    file = models.FileField(upload_to="models/%Y/%m/", blank=True)  # the fitted pipeline, joblib format
    text = models.TextField(blank=True, default="")  # versions, how to load it, how to rebuild it
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When the task message was last sent; a queued export whose message is old is sent again,
    # because Redis without persistence can lose queued messages.
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trial"], condition=~Q(state="failed"), name="one_live_export_per_trial"),
        ]
        indexes = [models.Index(fields=["study", "-created_at"])]

    def __str__(self):
        return f"model export {self.pk} of trial {self.trial_id} ({self.state})"
