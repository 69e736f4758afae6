from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.create_token, name="create-token"),
    path("profile/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke-token"),
    path("password/", views.PasswordChange.as_view(), name="password-change"),
    path("password/done/", views.PasswordChangeDone.as_view(), name="password-change-done"),
]
