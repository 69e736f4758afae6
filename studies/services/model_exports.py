"""The best model of a built-in study as a job: prepared by a request, refitted by a worker,
repaired by the reconciler — like a trial."""

import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from studies.models import ModelExport, Study
from studies.objectives import refit

from . import dispatch, jobs, read
from .datasets import dataset_path
from .errors import Conflict

NOT_A_MODEL_STUDY = "only studies of a built-in scikit-learn model have a model to download"
NOT_PREPARED = ("the best model is not prepared yet: prepare it with the button on the study page (or POST "
                "/api/studies/{study_id}/best-model/), then download it once it is ready")
NO_TRIAL = "the study has no complete trial yet, so no best model"
LOST = ("the worker stopped while refitting (it may have run out of memory or time); "
        "prepare the best model again to retry")


def has_model(study):
    """Whether the study tunes a built-in scikit-learn model, so its best trial has a model to export."""
    return study.objective.get("kind") == "sklearn"


def best_model_trial(study):
    """The best complete trial of a built-in scikit-learn study: the one whose model is refitted,
    explained and used for predictions.

    Raises:
        Conflict: Not a built-in scikit-learn study, or no complete trial yet.
    """
    if not has_model(study):
        raise Conflict(NOT_A_MODEL_STUDY)
    best = read.best_trial(study)
    if best is None:
        raise Conflict(NO_TRIAL)
    return best


def prepare_best_model(study_id, user):
    """Have a worker refit the study's best trial on the whole dataset, unless that is done or under way.

    Args:
        study_id: The study; its best complete trial is the one refitted.
        user: Who asked; recorded on a new export.

    Returns:
        (export, created): the ready or pending export of the current best trial when there is
        one (no second refit), else a new queued export, sent to the workers once the
        transaction commits. The export carries `is_best` (True).

    Raises:
        Conflict: The study has no model (not a built-in scikit-learn study, or no complete trial yet).
        Busy: The task queue is unreachable; nothing is stored.
    """
    study = Study.objects.get(pk=study_id)
    best = best_model_trial(study)
    export = _live_export(best.pk)
    if export is None:
        dispatch.require_broker()
        try:
            with transaction.atomic():
                export = ModelExport.objects.create(study=study, trial=best, requested_by=user, sent_at=timezone.now())
                dispatch.send_on_commit(dispatch.REFIT_MODEL, export.pk)
            created = True
        except IntegrityError:  # a simultaneous request for the same trial stored its export first
            export, created = _live_export(best.pk), False
    else:
        created = False
    export.is_best = True
    return export, created


def ready_model_export(study):
    """The study's most recent ready export: what the downloads serve, even if the best has changed since.

    Raises:
        Conflict: No export is ready yet (409): it must be prepared first.
    """
    export = read.ready_model_export(study)
    if export is None:
        raise Conflict(NOT_PREPARED.format(study_id=study.pk))
    return export


def model_filename(study_id, suffix="joblib"):
    """The download name of a study's best model ("joblib") or of its text ("py")."""
    return f"study-{study_id}-best-model.{suffix}"


def model_file(export, suffix):
    """A ready export's model ("joblib") or its text ("py"), as (open file, download name, content type)."""
    filename = model_filename(export.study_id, suffix)
    if suffix == "joblib":
        return export.file.open("rb"), filename, "application/octet-stream"
    return io.BytesIO(export.text.encode("utf-8")), filename, "text/x-python; charset=utf-8"


def refit_model(export_id):
    """The job (see `jobs`) that refits an export's trial, or the ensemble that beat it, on the whole
    dataset and stores the model and its text. Once it is ready, the study's older finished
    exports and their files are deleted."""
    export = jobs.claim(ModelExport, export_id, "study", "trial")
    if export is None:
        return None
    if not has_model(export.study):
        return jobs.fail(export, NOT_A_MODEL_STUDY)
    ensemble = read.winning_ensemble(export.study)
    if ensemble is not None and ensemble["members"][0][0] != export.trial.number:
        ensemble = None  # the ensemble was made around another best trial
    refitted, failed = jobs.guarded(export, lambda: _refit(export, ensemble), "the refit")
    if failed:
        return failed
    content, text = refitted
    return _store(export, content, text, [number for number, _ in ensemble["members"]] if ensemble else None)


def _refit(export, ensemble):
    """The model's bytes and text: the ensemble of the best trials when it beat the best trial alone."""
    study, trial = export.study, export.trial
    path = dataset_path(study.objective)
    if ensemble is not None:
        params = [params for _, params in ensemble["members"]]
        model, spec, kinds = refit.refit_ensemble(study.objective, params, path)
        text = refit.rebuild_ensemble_text(spec, model, kinds, study_name=study.name, study_id=study.pk,
                                           members=ensemble["members"], value=ensemble["value"],
                                           filename=model_filename(study.pk))
        return refit.to_bytes(model), text
    model, spec, kinds = refit.refit(study.objective, trial.params, path)
    text = refit.rebuild_text(spec, model, kinds, study_name=study.name, study_id=study.pk,
                              trial_number=trial.number, value=trial.value,
                              filename=model_filename(study.pk), params=trial.params)
    return refit.to_bytes(model), text


def replace_single_model(study, trial_number):
    """After the ensemble beat the best trial: a ready model of that trial alone gives way to the ensemble.

    The single model is deleted with its file and an export of the same trial queued in its place
    for whoever asked (its refit builds the ensemble, `refit_model`), so the download people
    already use becomes the better model.

    Returns:
        The new queued export, or None when no single model of that trial was ready.
    """
    stale = (ModelExport.objects.filter(study=study, trial__number=trial_number, members__isnull=True,
                                        state=ModelExport.State.READY).select_related("trial").first())
    if stale is None:
        return None
    trial, requested_by_id = stale.trial, stale.requested_by_id
    stale.delete()
    export = ModelExport.objects.create(study=study, trial=trial, requested_by_id=requested_by_id)
    jobs.send(export, dispatch.REFIT_MODEL)
    return export


def repair(now):
    """What the reconciler does for trials, for exports: send a queued export again when its
    message may be lost, and fail a running one whose worker must be gone. Returns (resent, failed)."""
    return jobs.repair(ModelExport, dispatch.REFIT_MODEL, now, LOST)


def delete_model_file(sender, instance, **kwargs):
    """Remove a deleted export's file once the deletion commits (a post_delete receiver)."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def _live_export(trial_id):
    return (ModelExport.objects.filter(trial_id=trial_id).exclude(state=ModelExport.State.FAILED)
            .select_related("study", "trial", "requested_by").first())


def _store(export, content, text, members=None):
    storage = export.file.storage
    name = storage.save(export.file.field.generate_filename(export, model_filename(export.study_id)),
                        ContentFile(content))
    stored = ModelExport.objects.filter(pk=export.pk, state=ModelExport.State.RUNNING).update(
        state=ModelExport.State.READY, file=name, text=text, members=members, finished_at=timezone.now())
    if not stored:  # deleted with its study, or failed as lost meanwhile: keep no orphan file
        storage.delete(name)
        return None
    older = ModelExport.objects.filter(study_id=export.study_id, pk__lt=export.pk)
    older.exclude(state__in=ModelExport.PENDING_STATES).delete()
    return ModelExport.State.READY
