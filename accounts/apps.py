from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from studies.services import usage

        from .models import ApiToken

        usage.track(ApiToken, "last_used_at", lambda: ApiToken.objects.filter(revoked_at__isnull=True))
