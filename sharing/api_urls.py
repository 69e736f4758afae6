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
]
