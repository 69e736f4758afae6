"""Bringing finished trials from outside into a study: a new study made from them (an Optuna
import) or an existing one warm started in bulk (JSON, CSV, another study).

Both check every trial against the study's search space and directions first (the engine's
`check_outside_trials`) and store them only when all fit, in one transaction, marked
`Trial.Origin.IMPORTED`. The samplers read them like any finished trial of the history.
"""

import csv
import io
import json
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from studies.engine import OutsideTrial, OutsideTrialError, check_outside_trials, fitting_trials
from studies.models import Study, Trial, TrialReport

from . import caps, constraints, read, scheduling, trial_extras
from .errors import Conflict, InvalidInput
from .locks import bump_revision, locked_study
from .studies import create_study

IMPORTABLE_STATES = (Trial.State.COMPLETE, Trial.State.PRUNED, Trial.State.FAILED)
ROW_KEYS = {"params", "value", "values", "state", "attrs", "metrics", "constraints"}
# What Tuner's own export (CSV or JSON) writes that a warm start has no use for: the trial's place,
# times and worker in the study it came from. A file in the export's layout imports as it is.
EXPORT_ONLY = {"number", "started_at", "finished_at", "worker", "error", "excluded_at", "exclusion_reason", "feasible"}
# Trials an export holds that have no result to learn from: left out of a warm start and counted.
UNFINISHED_STATES = {Trial.State.RUNNING, Trial.State.WAITING, Trial.State.STOPPED}


class FileTrials(NamedTuple):
    """The trials read from a file, where each came from (its CSV line or its place in the JSON
    list, for messages), and how many rows were left out: excluded by a person, or unfinished."""

    trials: list
    rows: list
    left_out: int


def _left_out(state, excluded_at):
    return bool(excluded_at) or str(state or "").strip().lower() in UNFINISHED_STATES
MAX_IMPORT_ERRORS = 50  # enough to fix a file by; a file with thousands of bad rows says so once


def create_imported_study(owner, spec, trials, label=None, field=None):
    """Create a finished external study holding `trials` (OutsideTrial), all or nothing.

    `spec` is a study spec (see validate_study_spec) with an external objective; `label(i)`
    names trial i in messages, gathered under `field` when given. Raises InvalidInput naming
    the spec's faults or each trial that does not fit, TooMany at the owner's study cap;
    nothing is stored then.
    """
    with transaction.atomic():
        study = create_study(owner, spec)
        clean = _checked(study, trials, label, field)
        with locked_study(study.pk) as locked:
            store(locked, clean)
            locked.state = Study.State.COMPLETED
            locked.started_at, locked.finished_at = _span(clean)
            locked.save(update_fields=["state", "started_at", "finished_at", "updated_at"])
    return study


def _span(trials):
    """When the imported trials ran, first start to last end, so the study's elapsed time is theirs
    (now for both when the file kept no times)."""
    now = timezone.now()
    starts = [t.started_at or t.finished_at for t in trials if t.started_at or t.finished_at]
    ends = [t.finished_at or t.started_at for t in trials if t.started_at or t.finished_at]
    return (min(starts), max(ends)) if starts else (now, now)


def import_trials(study_id, trials, label=None, field=None):
    """Warm start a study: add finished `trials` (OutsideTrial) to its history, all or nothing.

    Returns how many were added. Raises InvalidInput naming each trial that does not fit
    (`trials[3].value`, or "row 3: value: ..." under `field`), Conflict when the study's
    budget or trial cap leaves no room for them all.
    """
    with locked_study(study_id) as study:
        clean = _checked(study, trials, label, field)
        store(study, clean)
        scheduling.top_up(study)
    return len(clean)


def import_from_study(study_id, source_id):
    """Warm start a study with the finished trials of another that fit its search space.

    The caller checks that the source is readable. Returns how many trials were added.
    Raises InvalidInput when the two studies optimise in different directions or their trials
    give different numbers of constraints.
    """
    if source_id == study_id:
        raise InvalidInput.single("from_study", "a study cannot warm start from its own trials")
    source = Study.objects.get(pk=source_id)
    with locked_study(study_id) as study:
        if source.directions != study.directions:
            raise InvalidInput.single("from_study", f"study {source.pk} optimises {', '.join(source.directions)} "
                                      f"and this one {', '.join(study.directions)}: its values would mislead the sampler")
        theirs, ours = read.n_constraints(source), read.n_constraints(study)
        if None not in (theirs, ours) and theirs != ours:
            raise InvalidInput.single("from_study", f"study {source.pk}'s trials give {theirs} constraint(s) and "
                                      f"this study's give {ours}; every trial of a study gives the same number")
        kept = fitting_trials(read.search_space_of(study), study.directions, outside_trials_of(source))
        _check_room(study, len(kept))
        store(study, kept)
        scheduling.top_up(study)
    return len(kept)


def import_json_trials(study_id, rows):
    """Warm start from a JSON list of trials (`trials_from_json`); returns (added, left out)."""
    found = trials_from_json(rows)
    return import_trials(study_id, found.trials, label=lambda i: f"trials[{found.rows[i]}]"), found.left_out


def import_csv_trials(study, upload):
    """Warm start from a CSV file (`trials_from_csv`); returns (added, left out)."""
    found = trials_from_csv(study, upload)
    return import_trials(study.pk, found.trials, label=lambda i: f"row {found.rows[i]}", field="file"), found.left_out


def trials_from_json(rows):
    """Read a JSON warm start: a list of {"params", "value" | "values", "state"} objects, each
    with optional "attrs", "metrics" (name -> number) and "constraints" (numbers, <= 0 holds).
    The fields only Tuner's JSON export writes (`EXPORT_ONLY`) are ignored, and its excluded and
    unfinished trials left out, so an export imports as it is.

    Returns `FileTrials` (checked later by import_trials). Raises InvalidInput naming each
    row whose shape is wrong (`trials[3]`).
    """
    trials, places, errors, left_out = [], [], {}, 0
    for i, row in enumerate(rows):
        unknown = sorted(set(row) - ROW_KEYS - EXPORT_ONLY) if isinstance(row, dict) else None
        if unknown is None or unknown:
            errors[f"trials[{i}]"] = [f"each trial is an object with {', '.join(sorted(ROW_KEYS))}"
                                      + (f"; unknown {', '.join(map(repr, unknown))}" if unknown else "")]
            continue
        if _left_out(row.get("state"), row.get("excluded_at")):
            left_out += 1
            continue
        trials.append(OutsideTrial(row.get("params"), row.get("state", "complete"), row.get("value"), row.get("values"),
                                   attrs=row.get("attrs") or {}, metrics=row.get("metrics") or {},
                                   constraints=row.get("constraints")))
        places.append(i)
    if errors:
        raise InvalidInput(dict(list(errors.items())[:MAX_IMPORT_ERRORS]))
    return FileTrials(trials, places, left_out)


def trials_from_csv(study, upload):
    """Read a CSV warm start: one column per parameter (named as it is or, as Tuner's CSV export
    names it, `params.<name>`, when the export's other columns are ignored and its excluded and
    unfinished trials left out), `value` (or `value_0`, `value_1`, ... for several objectives, or
    the export's `values` cell of JSON), `attrs.<key>` columns of text,
    optionally `state`, `metrics.<name>` columns of numbers and a `constraints` column (a JSON
    list of numbers, as the export writes it); an empty cell leaves a parameter or metric out.

    Returns `FileTrials` (checked later by import_trials). Raises InvalidInput on `file`.
    """
    try:
        text = b"".join(upload.chunks()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput.single("file", "the file is not UTF-8 text; save the CSV as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or ()
    value_columns = ["value"] if len(study.directions) == 1 else [f"value_{i}" for i in range(len(study.directions))]
    if len(study.directions) > 1 and "values" in columns and "value_0" not in columns:
        value_columns = ["values"]  # the export's layout: one cell of JSON, [0.93, 41.2]
    missing = [name for name in value_columns if name not in columns]
    if missing:
        raise InvalidInput.single("file", f"the CSV needs a column {', '.join(missing)} with each trial's result")
    # In the export's layout parameters are `params.<name>`, so its other columns are no parameters.
    ignored = EXPORT_ONLY | {"values", "value"} if any(c.startswith("params.") for c in columns) else set()
    space = read.search_space_of(study)
    trials, rows, errors, left_out = [], [], [], 0
    try:
        for row_number, row in enumerate(reader, start=2):
            if _left_out(row.get("state"), row.get("excluded_at")):
                left_out += 1
                continue
            try:
                trials.append(_csv_trial(space, row, value_columns, ignored))
                rows.append(row_number)
            except ValueError as exc:
                errors.append(f"row {row_number}: {exc}")
    except csv.Error as exc:  # a cell over the csv module's size limit, a quote left open
        raise InvalidInput.single("file", f"the file is not a CSV that can be read: {exc}") from None
    if errors:
        raise InvalidInput({"file": errors[:MAX_IMPORT_ERRORS]})
    return FileTrials(trials, rows, left_out)


def _csv_trial(space, row, value_columns, ignored):
    if None in row:
        raise ValueError("the row has more cells than the header has columns")
    params, metrics, attrs = {}, {}, {}
    for column, cell in row.items():
        if column in ("state", "constraints", *value_columns) or column in ignored or cell in (None, ""):
            continue
        if ignored and column.startswith("values."):
            continue  # the export's one column per objective, beside its `values` cell
        if column.startswith("metrics."):
            metrics[column.removeprefix("metrics.")] = _number(cell, column)
            continue
        if column.startswith("attrs."):
            attrs[column.removeprefix("attrs.")] = cell  # text, as the export wrote it
            continue
        name = column.removeprefix("params.")
        params[name] = _cell(space[name], cell) if name in space else cell
    state = (row.get("state") or "complete").strip().lower()
    extras = {"metrics": metrics, "attrs": attrs, "constraints": _list_cell(row.get("constraints"), "constraints", "[0.5, -1]")}
    if value_columns == ["values"]:
        return OutsideTrial(params, state, values=_list_cell(row["values"], "values", "[0.93, 41.2]"), **extras)
    results = [_number(row[name], name) for name in value_columns]
    if len(results) == 1:
        return OutsideTrial(params, state, value=results[0], **extras)
    return OutsideTrial(params, state, values=None if None in results else results, **extras)


def _list_cell(cell, column, example):
    """A cell holding a JSON list (the export writes `values` and `constraints` so), or None when empty."""
    if cell in (None, ""):
        return None
    try:
        values = json.loads(cell)
    except ValueError:
        values = None
    if not isinstance(values, list):  # the numbers in it are checked as a tell's are
        raise ValueError(f"{column}: {cell[:40]!r} is not a JSON list of numbers, e.g. {example}")
    return values


def _cell(param, cell):
    if param.TYPE in ("float", "int"):
        return _number(cell, param.name)
    for choice in param.choices:
        if cell == str(choice) or (isinstance(choice, bool) and cell.lower() == str(choice).lower()):
            return choice
    return cell  # not a choice: the check names it


def _number(cell, column):
    if cell in (None, ""):
        return None
    try:
        number = float(cell)
    except ValueError:
        raise ValueError(f"{column}: {cell[:40]!r} is not a number") from None
    return int(number) if number.is_integer() and "." not in cell and "e" not in cell.lower() else number


def _checked(study, trials, label, field=None):
    """The trials cleaned, or InvalidInput keyed `<label>.<path>`, or all under `field` when given."""
    label = label or (lambda i: f"trials[{i}]")
    faults = _extra_faults(study, trials)
    try:
        clean = check_outside_trials(read.search_space_of(study), study.directions, trials)
    except OutsideTrialError as exc:
        faults = sorted(exc.errors + faults, key=lambda fault: fault[0])
    if faults:
        errors = {}
        for index, path, message in faults[:MAX_IMPORT_ERRORS]:
            if field:
                errors.setdefault(field, []).append(f"{label(index)}: {path}: {message}")
            else:
                errors.setdefault(f"{label(index)}.{path}", []).append(message)
        raise InvalidInput(errors)
    _check_room(study, len(clean))
    return clean


def _extra_faults(study, trials):
    """(index, path, message) for each trial whose attrs, metrics or constraints break the rules
    a tell's would (trial_extras, constraints), counts of constraints that differ included."""
    faults = []
    n_constraints = read.n_constraints(study)
    for index, trial in enumerate(trials):
        try:
            trial_extras.checked(trial.attrs, trial.metrics)
            given = constraints.checked(_as_list(trial.constraints))
        except InvalidInput as exc:
            faults += [(index, field, message) for field, messages in exc.errors.items() for message in messages]
            continue
        if given is not None and n_constraints is None:
            n_constraints = len(given)
        elif given is not None and len(given) != n_constraints:
            faults.append((index, "constraints", f"the study's trials give {n_constraints} constraint(s); "
                                                 f"this one gives {len(given)}"))
    return faults


def _as_list(constraints):
    return list(constraints) if isinstance(constraints, tuple) else constraints


def _check_room(study, n):
    room = caps.room_left(study)
    if n > room:
        raise Conflict(f"the study has room for {room} more trials (its budget and the trial cap), not {n}")


def outside_trials_of(study):
    """The study's finished trials as OutsideTrials, each with its trial id as `source`.

    A trial a person excluded is left out of every result (see read.py), and so of a warm start;
    so is a re-check trial, a second measurement of params another trial already brings.
    """
    finished = Trial.objects.filter(study=study, state__in=IMPORTABLE_STATES, excluded_at__isnull=True).exclude(
        origin=Trial.Origin.RECHECK).order_by("number")
    reports = {}
    for trial_id, step, value in TrialReport.objects.filter(trial__study=study).values_list("trial_id", "step", "value"):
        reports.setdefault(trial_id, {})[step] = value
    return [
        OutsideTrial(t.params, t.state, t.value, t.values, reports.get(t.pk, {}), t.error, t.started_at, t.finished_at,
                     t.attrs, source=t.pk, metrics=t.metrics or {}, constraints=t.constraints)
        for t in finished
    ]


def _feasibility(given):
    """A checked trial's constraints and whether they hold (both null when it gave none)."""
    if given is None:
        return {"constraints": None, "feasible": None}
    values = [float(v) for v in given]
    return {"constraints": values, "feasible": all(v <= 0 for v in values)}


def store(study, trials, origin=Trial.Origin.IMPORTED):
    """Insert the checked trials with the next gapless numbers, each with its own revision so a
    reader following `?since=` pages through them without skipping any (inside locked_study).

    Inherited trials keep the trial they copy (their `source`) as `inherited_from`.
    """
    inherited = origin == Trial.Origin.INHERITED
    now = timezone.now()
    rows = [
        Trial(study=study, number=study.next_number + i, params=t.params, state=t.state, origin=origin,
              inherited_from_id=t.source if inherited else None,
              value=t.value, values=t.values, error=t.error, started_at=t.started_at or t.finished_at or now,
              finished_at=t.finished_at or now, attrs=dict(t.attrs), revision=bump_revision(study),
              metrics={name: float(v) for name, v in t.metrics.items()}, **_feasibility(t.constraints))
        for i, t in enumerate(trials)
    ]
    study.next_number += len(rows)
    trial_extras.note_names(study, {key: None for t in trials for key in t.attrs},
                            {name: None for t in trials for name in t.metrics})
    created = Trial.objects.bulk_create(rows, batch_size=500)
    reports = [TrialReport(trial=row, step=step, value=value)
               for row, t in zip(created, trials) for step, value in sorted(t.intermediate.items())]
    TrialReport.objects.bulk_create(reports, batch_size=1000)
