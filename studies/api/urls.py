from django.urls import path
from rest_framework.routers import DefaultRouter

from . import artifacts, best_model, explain, imports, leaderboard, notes, people, predictions, surrogates
from .views import DatasetViewSet, StudyViewSet, TrialViewSet

router = DefaultRouter()
router.register("studies", StudyViewSet, basename="study")
router.register("trials", TrialViewSet, basename="trial")
router.register("datasets", DatasetViewSet, basename="dataset")

# Before the router's, whose studies/<pk>/ would otherwise take "import" for a study id.
urlpatterns = [
    path("studies/import/optuna/", imports.OptunaImport.as_view(), name="study-import-optuna"),
    path("studies/<int:pk>/trials/import/", imports.TrialImport.as_view(), name="study-trials-import"),
    path("studies/<int:pk>/export/optuna/", imports.export_optuna, name="study-export-optuna"),
]
urlpatterns += router.urls + [
    path("studies/<int:pk>/members/", people.members, name="study-members"),
    path("studies/<int:pk>/members/<str:username>/", people.member, name="study-member"),
    path("invitations/", people.invitations, name="invitations"),
    path("invitations/<int:study_id>/", people.invitation, name="invitation"),
    path("studies/<int:pk>/share-links/", people.links, name="study-share-links"),
    path("share-links/<int:link_id>/", people.link, name="share-link"),
    path("studies/<int:pk>/notes/", notes.notes, name="study-notes"),
    path("studies/<int:pk>/best-model/", best_model.best_model, name="study-best-model"),
    path("studies/<int:pk>/leaderboard/", leaderboard.leaderboard, name="study-leaderboard"),
    path("studies/<int:pk>/best-model.joblib", best_model.best_model_joblib, name="study-best-model-joblib"),
    path("studies/<int:pk>/best-model.py", best_model.best_model_py, name="study-best-model-py"),
    path("studies/<int:pk>/explain/", explain.explain, name="study-explain"),
    path("studies/<int:pk>/predictions/", predictions.study_predictions, name="study-predictions"),
    path("studies/<int:pk>/predict/", surrogates.predict, name="study-predict"),
    path("studies/<int:pk>/advice/", surrogates.advice, name="study-advice"),
    path("trials/<int:pk>/artifacts/", artifacts.trial_artifacts, name="trial-artifacts"),
    path("artifacts/<int:artifact_id>/", artifacts.artifact_download, name="artifact-download"),
    path("predictions/<int:prediction_id>/", predictions.prediction, name="prediction"),
    path("predictions/<int:prediction_id>/predictions.csv", predictions.prediction_csv, name="prediction-csv"),
]
