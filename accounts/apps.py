from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from studies.services import usage

        from . import known_tokens
        from .models import ApiToken

        known_tokens.connect_signals()
        usage.track(ApiToken, "last_used_at", lambda: ApiToken.objects.filter(revoked_at__isnull=True))
