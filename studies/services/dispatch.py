"""Sending jobs to the workers, by task name.

Services never import the tasks or the Celery app (tasks import services, and the app imports
every task module): a job is sent by the name its task is registered under, through Celery's
current app, once the transaction that stored the job commits. The database is the record of
every job; a message only says "run job X", so a lost one is resent by the reconciler.
"""

import logging

from celery import current_app
from django.db import transaction

from .errors import Busy

log = logging.getLogger(__name__)

RUN_TRIAL = "studies.tasks.run_trial"
REFIT_MODEL = "studies.tasks.refit_model"
RECONCILE = "studies.tasks.reconcile"
COMPUTE_BASELINE = "studies.tasks.compute_baseline"
EVALUATE_ENSEMBLE = "studies.tasks.evaluate_ensemble"
EXPLAIN_MODEL = "studies.tasks.explain_model"
PREDICT_CSV = "studies.tasks.predict_csv"
RECHECK_TRIALS = "studies.tasks.recheck_trials"
KEEP_FIGURES = "studies.tasks.keep_figures"
TASK_NAMES = (RUN_TRIAL, REFIT_MODEL, RECONCILE, COMPUTE_BASELINE, EVALUATE_ENSEMBLE, EXPLAIN_MODEL, PREDICT_CSV,
              RECHECK_TRIALS, KEEP_FIGURES)


def send_on_commit(task_name, object_id):
    """Send `task_name(object_id)` once the current transaction commits (at once outside one).

    A message that cannot be sent (the broker is down) is logged, not raised: the job waits
    safely in the database and the reconciler sends it again.
    """
    transaction.on_commit(lambda: _send(task_name, object_id), robust=True)


def _send(task_name, object_id):
    # Eager mode (tests, CELERY_TASK_ALWAYS_EAGER) runs the registered task in this process.
    if current_app.conf.task_always_eager:
        current_app.tasks[task_name].apply(args=(object_id,))
        return
    current_app.send_task(task_name, args=(object_id,))


def require_broker():
    """Raise Busy unless the task queue answers, so a change that must reach the workers is
    refused whole (503, nothing stored) rather than stored with its message lost."""
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:  # kombu raises several kinds, all meaning "not reachable now"
        log.warning("task queue unreachable: %s", exc)
        raise Busy("busy, retry: the task queue is unreachable right now; nothing was changed") from None
