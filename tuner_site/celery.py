"""The one Celery app. Settings come from Django settings under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuner_site.settings")

app = Celery("tuner")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _recycle_database_connections(task=None, **_):
    """Keep a healthy connection across tasks, as Django does across requests: close it only
    when it broke, errored or outlived CONN_MAX_AGE (settings.CELERY_DB_REUSE_MAX says why)."""
    from django.db import close_old_connections

    if task is not None and getattr(task.request, "is_eager", False):
        return  # run inline by the caller, inside the caller's own transaction and connection
    close_old_connections()
