"""Celery tasks: they take ids and call services, nothing more."""

import logging

from celery import shared_task
from django.conf import settings

from studies import services

log = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.TUNER_TRIAL_SOFT_TIME_LIMIT_S,
    time_limit=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S,
)
def run_trial(trial_id):
    """Run one waiting trial of a built-in study; a duplicate delivery does nothing."""
    return services.run_trial(trial_id)


@shared_task(acks_late=True, soft_time_limit=60)
def reap_trials():
    """Fail running trials whose heartbeat stopped, and retry them where the study says so (beat runs this)."""
    reaped = services.reap_stale_trials()
    if reaped:
        log.info("reaped %s trial(s) whose worker was lost: %s", len(reaped), reaped)
    return len(reaped)
