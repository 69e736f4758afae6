"""Tuning a study again on new data: when the table a model learns from changes (a new month of
rows, a cleaned export), a study of the same model, search space, sampler and budget on the new
CSV, whose first trials run the settings that were best before, measured again on the new rows.

Its trial #0 holds the earlier study's best settings, so its page can say whether tuning again
found better ones (`summary`'s "before" sentence); its next trials hold the runners-up. Nothing is
copied with a value: a value measured on other rows says nothing about these.
"""

import json
import re

from django.conf import settings
from django.db import transaction

from studies.models import Dataset, Study, Trial
from studies.objectives import CsvError

from . import read, scheduling
from .datasets import inspect_dataset_target
from .errors import Conflict, InvalidInput
from .limits import check_user_limit
from .locks import locked_study
from .narrowing import MAX_NAME, carried_spec
from .specs import validate_study_spec
from .studies import start_study

# The earlier study's best settings that run first: its best and two runners-up, so one lucky
# trial of the earlier search does not decide alone what "the settings that worked" are.
N_EARLIER_BEST = 3
_DATASET = re.compile(r"csv:(\d{1,18})")


def retune_study(user, study_id, dataset):
    """Create and start a study that tunes a built-in model's study again on another CSV.

    Args:
        user: Who asks; they own the new study and the dataset. The caller checks they may read
            the earlier study and narrow it (the same right: a study of their own from it).
        study_id: The earlier study: a built-in model on an uploaded CSV.
        dataset: The new data, ``"csv:<id>"`` (uploaded with POST /api/datasets/): it holds the
            earlier study's target column, which reads as the same task.

    Returns:
        The new study, started, with the earlier study's best settings waiting as its first trials.

    Raises:
        InvalidInput: On ``dataset`` (not an upload of the user's, no target column, another task).
        Conflict: The earlier study is not a built-in model on an uploaded CSV, or has no complete trial.
        TooMany: At the user's study cap. Busy: The task queue is unreachable (nothing stored).
    """
    earlier = Study.objects.get(pk=study_id)
    best = _earlier_best(earlier)
    new_data = _own_dataset(user, dataset)
    check_user_limit(Study.objects.filter(owner=user).count(), settings.TUNER_MAX_STUDIES_PER_USER, "studies",
                     "delete some first")
    clean = _validated(user, earlier, new_data)
    best = best[:clean["n_trials"]] if clean.get("n_trials") else best  # never past the budget
    with transaction.atomic():
        study = Study.objects.create(owner=user, retuned_from=earlier, **clean)
        with locked_study(study.pk) as locked:  # trial #0 is the earlier best: the summary reads it there
            for params in best:
                scheduling.create_trial(locked, params, Trial.State.WAITING, Trial.Origin.MANUAL)
        start_study(study.pk)
    study.refresh_from_db()
    return study


def _earlier_best(earlier):
    objective = earlier.objective
    if objective.get("kind") != "sklearn" or not str(objective.get("dataset", "")).startswith("csv:"):
        raise Conflict("Only a study of a built-in model on an uploaded CSV can be tuned again on new data; "
                       "duplicate this one instead.")
    distinct = {}  # best first: the same params tried twice count once
    for row in read.top_trials(earlier, 4 * N_EARLIER_BEST):
        distinct.setdefault(json.dumps(row.params, sort_keys=True), row.params)
    best = list(distinct.values())[:N_EARLIER_BEST]
    if not best:
        raise Conflict("This study has no complete trial yet: there are no best settings to start from.")
    return best


def _own_dataset(user, reference):
    found = _DATASET.fullmatch(reference) if isinstance(reference, str) else None
    dataset = Dataset.objects.filter(owner=user, pk=int(found.group(1))).first() if found else None
    if dataset is None:
        raise InvalidInput.single("dataset", "dataset must be a CSV you uploaded, as 'csv:<id>' "
                                             "(POST /api/datasets/ uploads one)")
    return dataset


def _validated(user, earlier, new_data):
    spec = carried_spec(earlier)
    objective = {key: value for key, value in spec["objective"].items() if key != "task"}  # read from the new file
    objective["dataset"] = f"csv:{new_data.pk}"
    # Columns the earlier study left out that the new file does not have need no leaving out.
    objective["exclude"] = [name for name in objective.get("exclude", []) if name in new_data.column_names]
    _check_target(new_data, objective["target"], earlier.objective.get("task"))
    try:
        clean = validate_study_spec(user, spec | {"name": f"{earlier.name} (new data)"[:MAX_NAME], "objective": objective})
    except InvalidInput as exc:  # the request names only the data: say which of its faults
        raise InvalidInput({"dataset": [message for messages in exc.errors.values() for message in messages]}) from None
    clean.pop("dataset")
    return clean


def _check_target(new_data, target, task):
    # Before the spec's own checks, whose first word on another task would be about the metric.
    if target not in new_data.column_names:
        raise InvalidInput.single("dataset", f"the new data has no column '{target}', the column the study "
                                             f"predicts; its columns are {', '.join(new_data.column_names)}")
    try:
        found = inspect_dataset_target(new_data, target)["task"]
    except CsvError as exc:
        raise InvalidInput.single("dataset", exc.message) from None
    if task is not None and found != task:
        raise InvalidInput.single("dataset", f"in the new data '{target}' reads as {found}, but the study predicted "
                                             f"it as {task}: check that it is the same column")
