"""Predictions on an uploaded CSV with a study's best model, as a job: the upload is checked
and stored by a request, predicted by a worker, repaired by the reconciler; the uploaded file
is only ever read, and the result is a new file beside it.

The file is checked whole before anything is stored (columns the model needs, values it can
read), so a bad file answers 400 at once and leaves nothing behind. A user keeps their latest
`KEEP_PER_STUDY` predictions of a study; older ones go with their files.
"""

import contextlib
import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from studies import objectives
from studies.engine import label_fault
from studies.models import Dataset, Prediction, Study
from studies.objectives import predict, refit

from . import dispatch, jobs
from .datasets import MissingDataset, csv_caps, dataset_path
from .errors import Conflict, InvalidInput, TooLarge, TooMany
from .model_exports import NOT_A_MODEL_STUDY, best_model_trial, has_model

KEEP_PER_STUDY = 10
MAX_PENDING_PER_USER = 3
LOST = ("the worker stopped while predicting (it may have run out of memory or time); "
        "upload the file again to retry")


def model_columns(objective):
    """The columns a study's model reads, name -> "numeric", "date" or "categorical", in training order,
    as the dataset's description (fixed at upload) says.

    Raises:
        MissingDataset: The study's uploaded dataset was deleted.
    """
    dataset, exclude = objective["dataset"], set(objective.get("exclude") or [])
    if dataset in objectives.BUNDLED_DATASETS:
        return {name: "numeric" for name in objectives.bundled_feature_names(dataset) if name not in exclude}
    row = Dataset.objects.filter(pk=int(dataset.removeprefix("csv:"))).only("columns").first()
    if row is None:
        raise MissingDataset(dataset)
    return {column["name"]: column["kind"] for column in row.columns
            if column["name"] != objective.get("target") and column["name"] not in exclude}


def create_prediction(study_id, user, uploaded):
    """Check an uploaded CSV against the study's model, store it and queue its prediction.

    Returns:
        The queued prediction, sent to the workers once the transaction commits.

    Raises:
        TooLarge: Over TUNER_MAX_UPLOAD_BYTES (413).
        InvalidInput: A fault of the file, on field ``file``: not a CSV, not UTF-8, empty,
            lacking columns the model needs (named), a value the model cannot read (400).
        Conflict: Not a built-in scikit-learn study, no complete trial, or its dataset deleted (409).
        TooMany: The user has MAX_PENDING_PER_USER predictions waiting or running (429).
        Busy: The task queue is unreachable (503).
        Nothing is stored on any of these.
    """
    if uploaded.size > settings.TUNER_MAX_UPLOAD_BYTES:
        raise TooLarge(f"file: the file is {uploaded.size} bytes; the limit is {settings.TUNER_MAX_UPLOAD_BYTES} bytes")
    study = Study.objects.get(pk=study_id)
    best, kinds = _model_of(study)
    pending = Prediction.objects.filter(owner=user, state__in=Prediction.PENDING_STATES).count()
    if pending >= MAX_PENDING_PER_USER:
        raise TooMany(f"you have {pending} predictions under way, the most at once; wait for one to finish")
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as scratch:
        for chunk in uploaded.chunks():
            scratch.write(chunk)
    try:
        n_rows = _check(kinds, scratch.name)
        dispatch.require_broker()
        with open(scratch.name, "rb") as handle:
            prediction = _store(study, best, user, _filename(uploaded), File(handle), n_rows)
    finally:
        os.unlink(scratch.name)
    return prediction


def predict_csv(prediction_id):
    """The job (see `jobs`) that predicts every row of a prediction's file with its trial's model;
    `rows` counts the rows done as it goes."""
    prediction = jobs.claim(Prediction, prediction_id, "study", "trial")
    if prediction is None:
        return None
    if not has_model(prediction.study):
        return jobs.fail(prediction, NOT_A_MODEL_STUDY)
    scratch = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)
    scratch.close()
    try:
        done, failed = jobs.guarded(prediction, lambda: _predict(prediction, scratch.name), "predicting")
        return failed or _keep_output(prediction, scratch.name, done)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(scratch.name)


def prediction_file(prediction):
    """A ready prediction's CSV, as (open file, download name).

    Raises:
        Conflict: It is not ready (409).
    """
    if prediction.state != Prediction.State.READY:
        raise Conflict(f"the predictions are not ready: they are {prediction.state}")
    stem = os.path.splitext(prediction.name)[0] or "upload"
    return prediction.output.open("rb"), f"{stem}-predictions.csv"


def delete_prediction(prediction):
    """Delete a prediction and, once that commits, its files."""
    prediction.delete()


def repair(now):
    """The reconciler's pass over predictions: (resent, failed)."""
    return jobs.repair(Prediction, dispatch.PREDICT_CSV, now, LOST)


def delete_prediction_files(sender, instance, **kwargs):
    """Remove a deleted prediction's files once the deletion commits (a post_delete receiver)."""
    for field in (instance.input, instance.output):
        if field:
            name, storage = field.name, field.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name), robust=True)


def _model_of(study):
    best = best_model_trial(study)
    try:
        return best, model_columns(study.objective)
    except MissingDataset:
        raise Conflict("the study's dataset was deleted, so its model cannot be refitted") from None


def _check(kinds, path):
    try:
        return predict.check_csv(kinds, path, **csv_caps())
    except objectives.CsvError as exc:
        raise InvalidInput.single("file", exc.message) from None


def _filename(uploaded):
    name = os.path.basename(uploaded.name or "") or "upload.csv"
    return name[:255] if label_fault(name) is None else "upload.csv"


def _store(study, trial, user, name, content, n_rows):
    """Write the upload, then its row, and send the job; when either fails, the file goes too."""
    prediction = Prediction(study=study, trial=trial, owner=user, requested_by=user, name=name, n_rows=n_rows,
                            sent_at=timezone.now())
    try:
        with transaction.atomic():
            prediction.input.save(name, content, save=False)
            prediction.save()
            dispatch.send_on_commit(dispatch.PREDICT_CSV, prediction.pk)
    except Exception:
        if prediction.input.name:
            prediction.input.delete(save=False)
        raise
    older = Prediction.objects.filter(owner=user, study=study).exclude(state__in=Prediction.PENDING_STATES)
    for stale in older.order_by("-pk")[KEEP_PER_STUDY:]:
        stale.delete()
    return prediction


def _predict(prediction, destination):
    study = prediction.study
    path = dataset_path(study.objective)
    model, _, kinds = refit.refit(study.objective, prediction.trial.params, path)

    def progress(n_rows):
        Prediction.objects.filter(pk=prediction.pk, state=Prediction.State.RUNNING).update(rows=n_rows)

    return objectives.predict_csv(model, kinds, prediction.input.path, destination, report=progress, **csv_caps())


def _keep_output(prediction, path, done):
    storage = prediction.output.storage
    stem = os.path.splitext(prediction.name)[0] or "upload"
    with open(path, "rb") as handle:
        name = storage.save(prediction.output.field.generate_filename(prediction, f"{stem}-predictions.csv"),
                            File(handle))
    stored = Prediction.objects.filter(pk=prediction.pk, state=Prediction.State.RUNNING).update(
        state=Prediction.State.READY, output=name, rows=done["n_rows"], probabilities=done["probabilities"],
        finished_at=timezone.now())
    if not stored:  # deleted with its study, or failed as lost meanwhile: keep no orphan file
        storage.delete(name)
        return None
    return Prediction.State.READY
