from django.apps import AppConfig
from django.db.models.signals import post_delete


class SharingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sharing"

    def ready(self):
        # Exports are deleted with their study (a cascade in studies' services) or when a newer
        # model is ready; either way their files must go too.
        from . import services
        from .models import ModelExport

        post_delete.connect(services.delete_model_file, sender=ModelExport, dispatch_uid="model-export-file")

