"""Who may see a study besides its owner: members (viewer or editor) and read-only share links."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .study import Study


class StudyMember(models.Model):
    """A user other than the owner who may see (viewer) or also run (editor) a study.

    The owner invites by username; the row gives access only once the user accepts
    (`accepted_at`). Until then the owner is not told whether the username exists.
    """

    class Role(models.TextChoices):
        VIEWER = "viewer"
        EDITOR = "editor"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["study", "user"], name="study_member_unique")]
        indexes = [models.Index(fields=["user", "study"])]

    def __str__(self):
        return f"{self.user_id} as {self.role} of study {self.study_id}"


class ShareLink(models.Model):
    """A read-only link to a study for people without an account: the viewer role, held by a link.

    Only the SHA-256 of the token is stored: a leaked database does not leak working links.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    # The files attached to trials are shown to the link's holders only if the owner says so.
    # A database default too: a row written by code that predates the column (a web process of
    # the previous release during a rolling upgrade) shows no files rather than failing.
    show_files = models.BooleanField(default=False, db_default=False)

    class Meta:
        indexes = [models.Index(fields=["study", "-created_at"])]

    def __str__(self):
        return f"share link {self.pk} of study {self.study_id}"

    @property
    def is_live(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
