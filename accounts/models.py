from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiToken(models.Model):
    """One named API token of a user, e.g. one per machine that runs the client or the agent.

    Only the SHA-256 of the key is stored: a leaked database does not leak working keys. The
    prefix (the key's first characters) lets the user tell their tokens apart.
    """

    NAME_MAX_LENGTH = 80
    PREFIX_LENGTH = 8

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A revoked token frees its name: the machine's replacement may take it again.
            models.UniqueConstraint(fields=["user", "name"], condition=Q(revoked_at__isnull=True),
                                    name="api_token_name_unique_per_user"),
        ]

    def __str__(self):
        return f"API token {self.name!r} of user {self.user_id}"

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()
