"""Celery tasks of sharing: they take ids and call services, nothing more."""

from celery import shared_task
from django.conf import settings

from . import services


# A refit is one fit on every row where a trial is several CV fits on most of them, so a
# trial's time limits fit it too. acks_late as for trials: a worker that dies mid-refit leaves
# the message to be redelivered, and the claim in the service makes the duplicate a no-op.
@shared_task(
    acks_late=True,
    soft_time_limit=settings.TUNER_TRIAL_SOFT_TIME_LIMIT_S,
    time_limit=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S,
)
def refit_best_model(export_id):
    """Refit the trial of a queued model export and store the model; a duplicate delivery does nothing."""
    return services.refit_best_model(export_id)
