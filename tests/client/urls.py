"""The site's URLs plus the accounts app, until the lead adds it to tuner_site/urls.py."""

from django.urls import include, path

from tuner_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("accounts/", include("accounts.urls")), *site_urlpatterns]
