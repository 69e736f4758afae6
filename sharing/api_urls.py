"""Included under /api/ next to studies.api.urls."""

from django.urls import path

from . import api

app_name = "sharing-api"
urlpatterns = [
    path("studies/<int:pk>/members/", api.members, name="study-members"),
    path("studies/<int:pk>/members/<str:username>/", api.member, name="study-member"),
    path("studies/<int:pk>/share-links/", api.share_links, name="study-share-links"),
    path("share-links/<int:link_id>/", api.share_link, name="share-link"),
    path("studies/<int:pk>/notes/", api.notes, name="study-notes"),
    path("studies/<int:pk>/best-model/", api.best_model, name="study-best-model"),
    path("studies/<int:pk>/best-model.joblib", api.best_model_joblib, name="study-best-model-joblib"),
    path("studies/<int:pk>/best-model.py", api.best_model_py, name="study-best-model-py"),
]
