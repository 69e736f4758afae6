"""What drives a study's best model, as a job: queued when a built-in study completes (or on
demand), computed by a worker, repaired by the reconciler — like a model export."""

import math

from django.db import IntegrityError, transaction
from django.utils import timezone

from studies import objectives
from studies.models import Explanation, Study
from studies.objectives import refit

from . import dispatch, jobs, read
from .datasets import dataset_path
from .model_exports import NOT_A_MODEL_STUDY, best_model_trial, has_model

LOST = ("the worker stopped while explaining the model (it may have run out of memory or time); "
        "ask for the explanation again to retry")
EMPTY = {"columns": [], "partial_dependence": []}


def explain_when_completed(study):
    """Queue the explanation of a built-in study's best trial as the study completes (inside
    locked_study); other studies get none. The message goes once the transaction commits, and
    the reconciler sends it again if the task queue was down.

    Returns:
        The queued (or already live) explanation, or None.
    """
    best = read.best_trial(study) if has_model(study) else None
    if best is None:
        return None
    return _live(best.pk) or _queue(study, best, None)


def request_explanation(study_id, user):
    """Have a worker explain the study's best trial, unless that is done or under way.

    Returns:
        The ready or pending explanation of the current best trial, else a new queued one.

    Raises:
        Conflict: Not a built-in scikit-learn study, or no complete trial yet.
        Busy: The task queue is unreachable; nothing is stored.
    """
    study = Study.objects.get(pk=study_id)
    best = best_model_trial(study)
    live = _live(best.pk)
    if live is not None:
        return live
    dispatch.require_broker()
    return _queue(study, best, user)


def explanation_of(study):
    """The study's latest explanation as the API and the pages show it: its state ("none" when
    there is none), the trial explained, the error, and once ready what `explain_for` found."""
    explanation = read.latest_explanation(study)
    if explanation is None:
        return {"state": "none", "trial": None, "error": "", **EMPTY}
    return {"state": explanation.state, "trial": explanation.trial.number, "error": explanation.error,
            **(explanation.result or EMPTY)}


def explain_model(explanation_id):
    """The job (see `jobs`) that refits an explanation's trial and explains it. Once it is ready,
    the study's older finished explanations are deleted."""
    explanation = jobs.claim(Explanation, explanation_id, "study", "trial")
    if explanation is None:
        return None
    if not has_model(explanation.study):
        return jobs.fail(explanation, NOT_A_MODEL_STUDY)
    result, failed = jobs.guarded(explanation, lambda: _explain(explanation.study, explanation.trial),
                                  "explaining the model")
    if failed:
        return failed
    stored = Explanation.objects.filter(pk=explanation.pk, state=Explanation.State.RUNNING).update(
        state=Explanation.State.READY, result=_finite(result), finished_at=timezone.now())
    if not stored:  # deleted with its study, or failed as lost meanwhile
        return None
    older = Explanation.objects.filter(study_id=explanation.study_id, pk__lt=explanation.pk)
    older.exclude(state__in=Explanation.PENDING_STATES).delete()
    return Explanation.State.READY


def repair(now):
    """The reconciler's pass over explanations: (resent, failed)."""
    return jobs.repair(Explanation, dispatch.EXPLAIN_MODEL, now, LOST)


def _explain(study, trial):
    path = dataset_path(study.objective)
    model, spec, _ = refit.refit(study.objective, trial.params, path)
    return objectives.explain_for(spec, model, path)


def _live(trial_id):
    return (Explanation.objects.filter(trial_id=trial_id).exclude(state=Explanation.State.FAILED)
            .select_related("trial").first())


def _queue(study, trial, user):
    try:
        with transaction.atomic():
            explanation = Explanation.objects.create(study=study, trial=trial, requested_by=user,
                                                     sent_at=timezone.now())
            dispatch.send_on_commit(dispatch.EXPLAIN_MODEL, explanation.pk)
        return explanation
    except IntegrityError:  # a simultaneous request for the same trial stored its explanation first
        return _live(trial.pk)


def _finite(node):
    """The result with every NaN or infinity as None: JSON has neither."""
    if isinstance(node, dict):
        return {key: _finite(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_finite(value) for value in node]
    return None if isinstance(node, float) and not math.isfinite(node) else node
