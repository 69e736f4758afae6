"""Pages: include("sharing.urls") at the site root, before the dashboard's catch-all patterns."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import compare, downloads, share

app_name = "sharing"
urlpatterns = [
    path("share/<str:token>/", share.page, name="share"),
    path("share/<str:token>/live.json", share.live, name="share-live"),
    path("share/<str:token>/charts/<slug:name>.json", share.chart, name="share-chart"),
    path("share/<str:token>/trials.json", share.table, name="share-table"),
    path("share/<str:token>/report.html", share.report_download, name="share-report"),
    path("studies/<int:pk>/report.html", downloads.report_download, name="report"),
    path("studies/<int:pk>/best-model.joblib", downloads.best_model, name="best-model"),
    path("studies/<int:pk>/best-model.py", downloads.best_model_text, name="best-model-text"),
    path("compare/", compare.compare, name="compare"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(
        template_name="sharing/password_change.html", success_url="done/"), name="password-change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="sharing/password_change_done.html"), name="password-change-done"),
]
