"""Celery tasks: they take ids and call one service, nothing more.

Services send these by name (`studies.services.dispatch`), so each is registered under the
name dispatch uses.
"""

from celery import shared_task
from django.conf import settings

from studies import services
from studies.services import dispatch, explanations, figures, predictions, rechecks

# A refit is one fit on every row where a trial is several CV fits on most of them, so a
# trial's time limits fit both. acks_late: a worker that dies mid-job leaves the message to be
# redelivered, and the claim in the service makes the duplicate a no-op.
_JOB_LIMITS = {"acks_late": True, "soft_time_limit": settings.TUNER_TRIAL_SOFT_TIME_LIMIT_S,
               "time_limit": settings.TUNER_TRIAL_HARD_TIME_LIMIT_S}


@shared_task(name=dispatch.RUN_TRIAL, **_JOB_LIMITS)
def run_trial(trial_id):
    """Run one waiting trial of a built-in study; a duplicate delivery does nothing."""
    return services.run_trial(trial_id)


@shared_task(name=dispatch.REFIT_MODEL, **_JOB_LIMITS)
def refit_model(export_id):
    """Refit the trial of a queued model export and store the model; a duplicate delivery does nothing."""
    return services.refit_model(export_id)


@shared_task(name=dispatch.RECONCILE, acks_late=True, soft_time_limit=60)
def reconcile():
    """Reap lost trials and exports, resend lost messages, and top up or complete running studies."""
    return services.reconcile()


@shared_task(name=dispatch.COMPUTE_BASELINE, **_JOB_LIMITS)
def compute_baseline(baseline_id):
    """Cross-validate the constant guess of a queued baseline; a duplicate delivery does nothing."""
    return services.compute_baseline(baseline_id)


@shared_task(name=dispatch.EVALUATE_ENSEMBLE, **_JOB_LIMITS)
def evaluate_ensemble(ensemble_id):
    """Cross-validate the ensemble of a finished study's best trials; a duplicate delivery does nothing."""
    return services.evaluate_ensemble(ensemble_id)


@shared_task(name=dispatch.EXPLAIN_MODEL, **_JOB_LIMITS)
def explain_model(explanation_id):
    """Explain the best model of a queued explanation; a duplicate delivery does nothing."""
    return explanations.explain_model(explanation_id)


@shared_task(name=dispatch.PREDICT_CSV, **_JOB_LIMITS)
def predict_csv(prediction_id):
    """Predict every row of a queued prediction's file; a duplicate delivery does nothing."""
    return predictions.predict_csv(prediction_id)


@shared_task(name=dispatch.RECHECK_TRIALS, **_JOB_LIMITS)
def recheck_trials(recheck_id):
    """Measure a queued re-check's top trials again on new folds; a duplicate delivery does nothing."""
    return rechecks.recheck_trials(recheck_id)


# A count of 100,000 trials and a forest fit: seconds at most, well within a minute.
@shared_task(name=dispatch.KEEP_FIGURES, acks_late=True, soft_time_limit=120)
def keep_figures(study_id):
    """Keep a large study's tally and importance in the database; running twice keeps the latest."""
    return figures.keep_figures(study_id)
