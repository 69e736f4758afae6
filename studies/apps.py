from django.apps import AppConfig
from django.db.models.signals import post_delete


class StudiesConfig(AppConfig):
    name = "studies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .models import Artifact, ModelExport, Prediction, ShareLink
        from .services import artifacts, model_exports, predictions, share_links, usage

        # Exports and predictions are deleted with their study or when newer ones replace them; their files must go too.
        post_delete.connect(model_exports.delete_model_file, sender=ModelExport, dispatch_uid="model-export-file")
        post_delete.connect(predictions.delete_prediction_files, sender=Prediction, dispatch_uid="prediction-files")
        post_delete.connect(artifacts.delete_artifact_file, sender=Artifact, dispatch_uid="artifact-files")
        usage.track(ShareLink, "last_opened_at", share_links.live_links)
