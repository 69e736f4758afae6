"""The ensemble of a finished study's best trials as a job: asked for when a study that lets Tuner
choose the model finishes, cross-validated by a worker on the trials' folds, offered as the result
only when it beats the best single trial."""

from studies import objectives
from studies.models import Ensemble

from . import dispatch, jobs, model_exports, read
from .datasets import dataset_path


def request_ensemble(study):
    """Have a worker evaluate the ensemble of a finished study's best trials, once.

    Only for a single-objective study whose estimator is ``"auto"`` or a list, with complete
    trials of at least two families (`objectives.ensemble_members`). Called inside the
    transaction that finishes the study; the job is sent once it commits.

    Returns:
        The new `Ensemble` row, or None when there is none to make.
    """
    objective = study.objective
    if (objective.get("kind") != "sklearn" or not objectives.is_auto(objective.get("estimator"))
            or study.direction is None or Ensemble.objects.filter(study=study).exists()):
        return None
    members = objectives.ensemble_members(read.leaderboard_trials(study), study.direction, objective["estimator"])
    if not members:
        return None
    ensemble = Ensemble.objects.create(study=study, members=members)
    jobs.send(ensemble, dispatch.EVALUATE_ENSEMBLE)
    return ensemble


def evaluate_ensemble(ensemble_id):
    """The job (see `jobs`) that cross-validates an ensemble on the trials' folds and stores whether
    it beats the best trial; when it does, a ready model of that trial alone gives way to it."""
    ensemble = jobs.claim(Ensemble, ensemble_id)
    if ensemble is None:
        return None
    study = ensemble.study
    trials = {row["number"]: row for row in read.leaderboard_trials(study) if row["number"] in ensemble.members}
    if len(trials) != len(ensemble.members):
        return jobs.fail(ensemble, "a trial of the ensemble is gone")
    details, failed = jobs.guarded(ensemble, lambda: objectives.evaluate_ensemble(
        study.objective, [trials[n]["params"] for n in ensemble.members], dataset_path(study.objective)),
        "evaluating the ensemble")
    if failed:
        return failed
    best = trials[ensemble.members[0]]
    beats = _beats(details.fold_scores, best.get("details"), study.direction)
    stored = jobs.finish(ensemble, value=details.value, details=details.to_json(),
                         best_trial=best["number"], best_value=best["value"], beats=beats)
    if stored and beats:
        model_exports.replace_single_model(study, best["number"])
    return Ensemble.State.READY if stored else None


def repair(now):
    """Resend queued ensembles whose message may be lost; fail running ones whose worker is gone."""
    return jobs.repair(Ensemble, dispatch.EVALUATE_ENSEMBLE, now)


def _beats(ensemble_scores, best_details, direction):
    """Whether the ensemble beats the best trial fold by fold; never when the best trial's folds are unknown."""
    best_scores = (best_details or {}).get("fold_scores") or []
    if len(best_scores) != len(ensemble_scores) or None in best_scores:
        return False
    return objectives.ensemble_beats(ensemble_scores, best_scores, direction)

