"""Uploading a CSV dataset: check it, keep it, describe it."""

import hashlib
import os
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File

from studies import objectives
from studies.engine import label_fault
from studies.models import Dataset

from .errors import InvalidInput, TooLarge
from .limits import check_user_limit


def upload_dataset(owner, uploaded, name=None):
    """Check an uploaded CSV and store it with its columns and detected types.

    Raises InvalidInput naming the fault (too large, not UTF-8, ragged rows, a column name
    too long to store, ...), TooMany when the owner holds TUNER_MAX_DATASETS_PER_USER
    datasets; nothing is stored then, and a row that fails to save takes its
    file with it, so no file is ever left on disk without its row.
    """
    if uploaded.size > settings.TUNER_MAX_UPLOAD_BYTES:
        raise TooLarge(f"file: the file is {uploaded.size} bytes; the limit is {settings.TUNER_MAX_UPLOAD_BYTES} bytes")
    check_user_limit(Dataset.objects.filter(owner=owner).count(), settings.TUNER_MAX_DATASETS_PER_USER, "datasets",
                     "delete some first")
    name = _dataset_name(name, uploaded)
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as scratch:
        for chunk in uploaded.chunks():
            scratch.write(chunk)
    try:
        dataset, summary = _described(owner, name, scratch.name)
        with open(scratch.name, "rb") as handle:
            _store(dataset, os.path.basename(uploaded.name or "dataset.csv"), File(handle))
    finally:
        os.unlink(scratch.name)
    # The upload read the whole file already: keep what it found for the guessed target, so
    # the wizard's first look and the study's default metric need no second pass. (A guess
    # that cannot be a target, constant say, is left for `inspect_dataset_target` to refuse.)
    if summary["task"] is not None:
        cache.set(_inspection_key(dataset, dataset.suggested_target),
                  {key: summary[key] for key in (*TARGET_KEYS, "target_reason")}, INSPECTION_CACHE_S)
    return dataset


def _described(owner, name, path):
    """The dataset's row and its inspection, described from the CSV and checked, not yet saved."""
    try:
        summary = objectives.inspect_csv(path, **csv_caps())
    except objectives.CsvError as exc:
        raise InvalidInput.single("file", str(exc)) from None
    dataset = Dataset(owner=owner, name=name, n_rows=summary["n_rows"], columns=summary["columns"],
                      preview=summary["preview"], suggested_target=summary["suggested_target"])
    try:
        # The columns' own rules (a suggested target fits its 255 characters...), before any byte is stored.
        dataset.full_clean(exclude=["owner", "file"])
    except ValidationError as exc:
        raise InvalidInput({"file": [f"{field}: {message}" for field, messages in exc.message_dict.items()
                                     for message in messages]}) from None
    return dataset, summary


def _store(dataset, filename, content):
    """Write the file, then its row; when either fails, the file written goes too."""
    try:
        dataset.file.save(filename, content, save=False)
        dataset.save()
    except Exception:
        if dataset.file.name:
            dataset.file.delete(save=False)
        raise


def _dataset_name(name, uploaded):
    """The name given, else the file's; either must be one line of visible text."""
    field, text = ("name", name) if name else ("file", uploaded.name or "dataset.csv")
    fault = label_fault(text)
    if fault:
        raise InvalidInput.single(field, f"the {'name' if name else 'file name'} {fault}")
    return text[:255]


def csv_caps():
    """The CSV limits from settings, as keyword arguments of the objectives' CSV readers."""
    return {
        "max_rows": settings.TUNER_MAX_CSV_ROWS,
        "max_columns": settings.TUNER_MAX_CSV_COLUMNS,
        "max_field": settings.TUNER_MAX_CSV_FIELD,
    }


# What `objectives.inspect_target` returns; `inspect_csv` returns the same for its guessed target.
TARGET_KEYS = ("task", "n_dropped", "class_balance", "metric", "metric_reason", "excluded", "leakage", "dates", "notes")
INSPECTION_CACHE_S = 24 * 3600


def inspect_dataset_target(dataset, target):
    """What studying `target` of an uploaded dataset would look like, for the wizard and the spec.

    The task, the default metric and why, the columns to leave out by default, the columns
    that give the answer away and a plain sentence for each (`objectives.inspect_target`).
    Cached per dataset and target: a stored file never changes, and the leakage check
    costs up to a few seconds on a wide file. For the target the upload guessed, the
    answer also holds ``target_reason`` (why it was guessed) while the upload's findings
    stay cached.

    Raises:
        CsvError: The target is absent, has no values or is constant (field ``objective.target``).
    """
    key = _inspection_key(dataset, target)
    found = cache.get(key)
    if found is None:
        found = objectives.inspect_target(dataset.file.path, target, dates=described_dates(dataset), **csv_caps())
        cache.set(key, found, INSPECTION_CACHE_S)
    return found


def _inspection_key(dataset, target):
    # The file's name and creation time too: a database may hand a deleted dataset's id out again.
    identity = f"{dataset.pk}|{dataset.file.name}|{dataset.created_at.isoformat()}|{target}"
    return f"dataset-target:{hashlib.sha256(identity.encode()).hexdigest()}"


class MissingDataset(Exception):
    """The uploaded dataset an objective names was deleted."""


def dataset_path(objective):
    """The file of the objective's uploaded dataset as its upload described it (an
    `objectives.DatasetFile`, a path naming its date columns), None for a bundled one.

    Raises:
        MissingDataset: The dataset was deleted.
    """
    reference = objective.get("dataset", "")
    if not (isinstance(reference, str) and reference.startswith("csv:")):
        return None
    dataset = Dataset.objects.filter(pk=int(reference.removeprefix("csv:"))).first()
    if dataset is None:
        raise MissingDataset(reference)
    return objectives.DatasetFile(dataset.file.path, described_dates(dataset))


def described_dates(dataset):
    """The columns a dataset's description reads as dates. The description is fixed at upload, so
    a dataset uploaded before Tuner read dates names none, and its studies keep reading their dates
    as categories, as their trials were scored."""
    return frozenset(column["name"] for column in dataset.columns if column.get("kind") == "date")
