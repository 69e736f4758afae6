"""Celery tasks: they take ids and call services, nothing more."""

from celery import shared_task
from django.conf import settings

from studies import services


@shared_task(
    acks_late=True,
    soft_time_limit=settings.TUNER_TRIAL_SOFT_TIME_LIMIT_S,
    time_limit=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S,
)
def run_trial(trial_id):
    """Run one waiting trial of a built-in study; a duplicate delivery does nothing."""
    return services.run_trial(trial_id)


@shared_task(acks_late=True, soft_time_limit=60)
def reconcile():
    """Reap lost trials, resend lost run messages, and top up or complete running studies."""
    return services.reconcile()
