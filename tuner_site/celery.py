"""The one Celery app. Settings come from Django settings under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuner_site.settings")

app = Celery("tuner")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
