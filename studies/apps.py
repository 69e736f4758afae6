from django.apps import AppConfig
from django.db.models.signals import post_delete


class StudiesConfig(AppConfig):
    name = "studies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .models import ModelExport, ShareLink
        from .services import model_exports, share_links, usage

        # Exports are deleted with their study or when a newer model is ready; their files must go too.
        post_delete.connect(model_exports.delete_model_file, sender=ModelExport, dispatch_uid="model-export-file")
        usage.track(ShareLink, "last_opened_at", share_links.live_links)
