"""The reconciler: the database is the record, Redis only carries "run trial X".

Run periodically by Celery beat. Each pass:
- reaps running trials whose heartbeat stopped (see reaper.py): a built-in trial goes back
  to waiting with the same params until it has used its attempts, then fails as poison;
  an external trial fails as "worker lost" and is retried where the study says so;
- sends the run message again for waiting trials whose message is old, since a Redis
  restart without persistence loses queued messages (a duplicate is harmless: the claim
  lets one delivery run the trial);
- tops running studies up to their parallelism and completes those whose budget is spent,
  so no study stays "running" with nothing happening;
- does the same for model exports, baselines, ensembles, explanations, predictions and re-checks: resends a
  queued one whose message is old, fails a running one whose worker is gone;
- writes the times tokens and share links were last used (see usage.py);
- sends the job that keeps a large study's figures in the database when they lag (figures.py).
"""

import logging
from datetime import timedelta

from django.conf import settings

from studies.models import Study

from . import baselines, ensembles, explanations, figures, model_exports, predictions, rechecks, scheduling, usage
from .clock import db_now
from .locks import locked_study
from .reaper import reap_stale_trials

log = logging.getLogger(__name__)


def reconcile(now=None):
    """One reconciler pass over every running study; returns what it did, as counts."""
    now = now or db_now()
    reaped = reap_stale_trials(now)
    resent = 0
    for study_id in Study.objects.filter(state=Study.State.RUNNING).values_list("pk", flat=True):
        resent += _reconcile_study(study_id, now)
    exports_resent, exports_failed = model_exports.repair(now)
    jobs_resent, jobs_failed = (sum(counts) for counts in zip(
        baselines.repair(now), ensembles.repair(now), explanations.repair(now), predictions.repair(now),
        rechecks.repair(now)))
    used = usage.flush_all()
    kept = figures.send_stale(now)
    if reaped or resent or exports_resent or exports_failed or jobs_resent or jobs_failed:
        log.info("reconciler: %s trial(s) reaped, %s run message(s) sent again, %s export(s) sent again, "
                 "%s lost export(s) failed, %s baseline, ensemble, explanation or prediction job(s) sent again, "
                 "%s lost one(s) failed", len(reaped), resent, exports_resent, exports_failed, jobs_resent, jobs_failed)
    return {"reaped": len(reaped), "resent": resent, "exports_resent": exports_resent,
            "exports_failed": exports_failed, "jobs_resent": jobs_resent, "jobs_failed": jobs_failed,
            "usage_written": used, "figures_sent": kept}


def _reconcile_study(study_id, now):
    older_than = now - timedelta(seconds=settings.TUNER_RESEND_AFTER_S)
    with locked_study(study_id) as study:
        if study.state != Study.State.RUNNING:
            return 0
        resent = scheduling.enqueue_waiting(study, older_than=older_than)
        scheduling.top_up(study)
    return len(resent)
