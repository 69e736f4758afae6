"""Uploading a CSV dataset: check it, keep it, describe it."""

import os
import tempfile

from django.conf import settings
from django.core.files import File

from studies import objectives
from studies.engine import label_fault
from studies.models import Dataset

from .errors import InvalidInput, TooLarge


def upload_dataset(owner, uploaded, name=None):
    """Check an uploaded CSV and store it with its columns and detected types.

    Raises InvalidInput naming the fault (too large, not UTF-8, ragged rows, ...);
    nothing is stored then.
    """
    if uploaded.size > settings.TUNER_MAX_UPLOAD_BYTES:
        raise TooLarge(f"file: the file is {uploaded.size} bytes; the limit is {settings.TUNER_MAX_UPLOAD_BYTES} bytes")
    name = _dataset_name(name, uploaded)
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as scratch:
        for chunk in uploaded.chunks():
            scratch.write(chunk)
    try:
        try:
            summary = objectives.inspect_csv(scratch.name, **csv_caps())
        except objectives.CsvError as exc:
            raise InvalidInput.single("file", str(exc)) from None
        with open(scratch.name, "rb") as handle:
            dataset = Dataset(
                owner=owner,
                name=name,
                n_rows=summary["n_rows"],
                columns=summary["columns"],
                preview=summary["preview"],
                suggested_target=summary["suggested_target"],
            )
            dataset.file.save(os.path.basename(uploaded.name or "dataset.csv"), File(handle), save=True)
    finally:
        os.unlink(scratch.name)
    return dataset


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


def dataset_task(dataset, target):
    """Classification or regression, as detected for the given target column."""
    return objectives.detect_task(dataset.file.path, target, **csv_caps())
