"""Optuna import and export: a study from an Optuna storage, a study as an Optuna journal file.

Optuna is optional (requirements-optuna.txt): it is imported inside these functions, and
without it they raise OptunaMissing, which says how to install it.

What Optuna has no field for travels in its attributes, both ways (an Optuna study keeps them
on import as it would have them):

- a trial's constraints are Optuna's system attr `constraints` (a list, feasible when every
  value is <= 0), which Optuna's constrained samplers and `optuna.visualization` read; on import
  any constraints Optuna holds (`FrozenTrial.constraints`, either of its formats) come back;
- a Tuner metric `<name>` is the user attr `metrics.<name>` (the name of its column in Tuner's
  CSV export); on import a user attr `metrics.<name>` holding a finite number, with a name a
  metric may have, becomes the metric `<name>`, and every other user attr an attr under its key;
- a Tuner attr is a user attr under its own key.

Only formats that hold no pickles are read: an RDB storage (SQLite file or URL; Optuna keeps
every attribute there as JSON) and a journal file (JSON lines, read by JournalFileBackend; the
pickled snapshots of Optuna's journal storage exist only for Redis). An uploaded file is
opened as a temporary copy, so the upload itself is never written to.
"""

import datetime
import json
import logging
import os
import sqlite3
import tempfile
import warnings
from pathlib import Path

from studies.engine import OutsideTrial, SearchSpaceError, optuna_distribution, space_from_optuna
from studies.models import Study, Trial, TrialReport

from . import read, trial_extras
from .errors import InvalidInput, ServiceError
from .imports import create_imported_study
from .specs import clean_objective_names

log = logging.getLogger(__name__)

METRIC_NAMES_KEY = "study:metric_names"  # where Optuna keeps the objectives' names (`Study.metric_names`)
INSTALL = "Optuna import and export need Optuna: pip install -r requirements-optuna.txt"
NOT_OPTUNA = "this is not an Optuna storage file: use an Optuna SQLite file (.db) or journal file (.log)"
SQLITE_MAGIC = b"SQLite format 3\x00"
_STATES = {"COMPLETE": "complete", "PRUNED": "pruned", "FAIL": "failed"}
_EXPORT_STATES = {"complete": "COMPLETE", "pruned": "PRUNED", "failed": "FAIL", "stopped": "FAIL"}
METRIC_PREFIX = "metrics."
CONSTRAINTS_KEY = "constraints"  # Optuna's system attr (optuna.study._constrained_optimization)


class OptunaMissing(ServiceError):
    """Optuna is not installed on the server (HTTP 501: the feature is there but not enabled)."""

    status = 501

    def __init__(self):
        super().__init__(INSTALL)


def _optuna():
    try:
        import optuna
    except ImportError:
        raise OptunaMissing() from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


# ---- import -----------------------------------------------------------------------------


def import_optuna(owner, storage, study_name):
    """Make a Tuner study from one study of an Optuna storage: an RDB URL (sqlite:///optuna.db,
    postgresql://...), a journal file's path or a SQLite file's path.

    Returns (study, note), the note saying what was left out. Raises InvalidInput on `storage`
    (cannot be read, not Optuna), `study` (no such study) or the trials that cannot be mapped,
    OptunaMissing without Optuna; nothing is stored then.
    """
    return _import(owner, _open_storage(storage, "storage"), study_name, "storage")


def import_optuna_file(owner, upload, study_name=None):
    """Make a Tuner study from an uploaded Optuna SQLite or journal file (see import_optuna).

    Without `study_name` the file must hold one study. Errors name `file` and `study`.
    """
    _optuna()
    with tempfile.TemporaryDirectory(prefix="tuner-optuna-") as folder:
        path = Path(folder) / "storage"
        with open(path, "wb") as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
        return _import(owner, _open_file(path, "file"), study_name, "file")


def _open_storage(storage, field):
    if storage.startswith("sqlite:///") and not Path(storage.removeprefix("sqlite:///")).is_file():
        # SQLAlchemy would create an empty database there instead of saying it is missing.
        raise InvalidInput.single(field, f"there is no file at {storage.removeprefix('sqlite:///')}")
    if "://" in storage:
        return _rdb(storage, field)
    path = Path(storage)
    if not path.is_file():
        raise InvalidInput.single(field, f"{storage} is neither a storage URL (sqlite:///optuna.db) nor a file")
    return _open_file(path, field)


def _open_file(path, field):
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        _check_optuna_tables(path, field)
        return _rdb(f"sqlite:///{path}", field)
    return _journal(path, field)


def _check_optuna_tables(path, field):
    """Refuse a SQLite file that is not Optuna's before Optuna opens it (it would add its tables)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        raise InvalidInput.single(field, NOT_OPTUNA) from None
    if not {"studies", "trials", "version_info"} <= tables:
        raise InvalidInput.single(field, NOT_OPTUNA)


def _rdb(url, field):
    optuna = _optuna()
    try:
        return optuna.storages.RDBStorage(url, skip_table_creation=True)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy and Optuna raise many kinds; each means "cannot read"
        log.debug("cannot open an Optuna storage: %s", exc)  # not the URL: it may hold a password
        raise InvalidInput.single(field, f"cannot open this Optuna storage: {_first_line(exc)}") from None


def _journal(path, field):
    optuna = _optuna()
    try:
        backend = optuna.storages.journal.JournalFileBackend(str(path))
        storage = optuna.storages.JournalStorage(backend)
    except Exception as exc:  # noqa: BLE001 - a file of other JSON fails inside Optuna's replay in many ways
        log.debug("not an Optuna journal %s: %s", path, exc)
        raise InvalidInput.single(field, NOT_OPTUNA) from None
    if not storage.get_all_studies():
        raise InvalidInput.single(field, NOT_OPTUNA + " (this one holds no study)")
    return storage


def _first_line(exc):
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _import(owner, storage, study_name, field):
    frozen = _chosen_study(storage, study_name, field)
    directions = [direction.name.lower() for direction in frozen.directions]
    trials = _trials(storage, frozen, field)
    finished = [trial for trial in trials if trial.state.name in _STATES]
    note = _note(len(trials) - len(finished), finished)
    if not finished:
        raise InvalidInput.single(field, f"the Optuna study {frozen.study_name!r} has no finished trial to import")
    space = _space(finished, field)
    spec = {"name": frozen.study_name[:200], "directions": directions, "search_space": space,
            "objective": {"kind": "external"}, **_objective_names(frozen, directions)}
    outside = [_outside(trial) for trial in finished]
    try:
        study = create_imported_study(owner, spec, outside, lambda i: f"trial {finished[i].number}", field)
    except InvalidInput as exc:
        # The spec is ours, made from the file: its faults (a study name Tuner refuses) are the file's too.
        raise InvalidInput({field: [f"{key}: {m}" if key != field else m
                                    for key, messages in exc.errors.items() for m in messages]}) from None
    return study, note


def _trials(storage, frozen, field):
    try:
        return storage.get_all_trials(frozen._study_id, deepcopy=False)
    except Exception as exc:  # noqa: BLE001 - rows Optuna cannot read (a state or distribution it does not know)
        log.debug("unreadable Optuna trials: %s", exc)
        raise InvalidInput.single(field, f"the trials of this Optuna storage cannot be read: {_first_line(exc)}") from None


def _chosen_study(storage, study_name, field):
    try:
        studies = storage.get_all_studies()
    except Exception as exc:  # noqa: BLE001 - as in _trials
        log.debug("unreadable Optuna studies: %s", exc)
        raise InvalidInput.single(field, f"the studies of this Optuna storage cannot be read: {_first_line(exc)}") from None
    names = ", ".join(repr(s.study_name) for s in studies[:20])
    if study_name:
        match = [s for s in studies if s.study_name == study_name]
        if not match:
            raise InvalidInput.single("study", f"no study named {study_name!r} in this storage; it holds {names}")
        return match[0]
    if len(studies) != 1:
        raise InvalidInput.single("study", f"this storage holds {len(studies)} studies ({names}); name the one to import")
    return studies[0]


def _space(finished, field):
    optuna = _optuna()
    to_json = optuna.distributions.distribution_to_json
    pairs = [(trial.params, {name: json.loads(to_json(d)) for name, d in trial.distributions.items()})
             for trial in finished]
    try:
        return space_from_optuna(pairs).to_json()
    except SearchSpaceError as exc:
        lines = [f"{path}: {message}" if path else message for path, message in exc.errors]
        raise InvalidInput({field: ["these parameters cannot be mapped to a Tuner search space:", *lines]}) from None


def _outside(trial):
    state = _STATES[trial.state.name]
    values = list(trial.values) if trial.values is not None else None
    value = values[0] if values is not None and len(values) == 1 else None
    # Optuna accepts NaN as an intermediate value (a diverged epoch); Tuner's reports are numbers.
    intermediate = {step: v for step, v in trial.intermediate_values.items() if v == v and abs(v) != float("inf")}
    reason = trial.system_attrs.get("fail_reason")
    attrs, metrics = _attrs_and_metrics(trial.user_attrs)
    return OutsideTrial(dict(trial.params), state, value, values if value is None else None, intermediate,
                        reason if isinstance(reason, str) else "", _aware(trial.datetime_start),
                        _aware(trial.datetime_complete), attrs, metrics=metrics, constraints=_constraints(trial))


def _attrs_and_metrics(user_attrs):
    """Optuna user attrs as (attrs, metrics): `metrics.<name>` with a number is the metric <name>."""
    attrs, metrics = {}, {}
    for key, value in user_attrs.items():
        name = key[len(METRIC_PREFIX):] if key.startswith(METRIC_PREFIX) else None
        if name and _is_metric(name, value):
            metrics[name] = float(value)
        else:
            attrs[key] = value
    return attrs, metrics


def _is_metric(name, value):
    try:
        trial_extras.checked(None, {name: value})
    except InvalidInput:
        return False
    return True


def _constraints(trial):
    """The trial's constraint values as Optuna holds them (a list in the system attr, or Optuna 5's
    named constraints, in their order), or None."""
    held = getattr(trial, "constraints", None)  # Optuna 5 reads both of its formats here
    if held is None:
        held = trial.system_attrs.get(CONSTRAINTS_KEY)
        return list(held) if isinstance(held, (list, tuple)) else held
    return list(held.values()) if held else None


def _aware(moment):
    # Optuna stamps trials with datetime.now(): naive, in the local time of the machine that ran
    # them, which astimezone assumes for a naive datetime (the best guess we have).
    return moment.astimezone(datetime.timezone.utc) if moment is not None else None


def _objective_names(frozen, directions):
    """The objectives' names Optuna keeps (`study.set_metric_names`), when Tuner takes them as
    `objective_names`; names it would refuse are left out rather than failing the import."""
    names = clean_objective_names((frozen.system_attrs or {}).get(METRIC_NAMES_KEY), directions)
    return {"objective_names": names} if names else {}


def _note(n_skipped, finished):
    parts = []
    if n_skipped:
        were = "1 running or waiting trial was" if n_skipped == 1 else f"{n_skipped} running or waiting trials were"
        parts.append(f"{were} left out (only finished trials are imported)")
    n_dropped = sum(1 for t in finished for v in t.intermediate_values.values() if v != v or abs(v) == float("inf"))
    if n_dropped:
        parts.append("1 intermediate value that was not a number (NaN or infinite) was left out" if n_dropped == 1
                     else f"{n_dropped} intermediate values that were not numbers (NaN or infinite) were left out")
    return "; ".join(parts)


# ---- export -----------------------------------------------------------------------------


def export_optuna(study_id):
    """The study as the bytes of an Optuna journal file, which `optuna.load_study` opens with
    JournalStorage(JournalFileBackend(path)): every finished trial with its params, value(s),
    state and intermediate values; a stopped trial becomes a failed one. Raises OptunaMissing.
    """
    optuna = _optuna()
    study = Study.objects.get(pk=study_id)
    space = read.search_space_of(study)
    distributions = {p.name: optuna.distributions.json_to_distribution(json.dumps(optuna_distribution(p)))
                     for p in space}
    journal = optuna.storages.journal
    logs = _memory_backend(journal.BaseJournalBackend)()
    target = optuna.create_study(storage=optuna.storages.JournalStorage(logs), study_name=study.name,
                                 directions=study.directions)
    if study.objective_names:
        with warnings.catch_warnings():  # "set_metric_names is experimental": it has been since Optuna 3.2
            warnings.simplefilter("ignore")
            target.set_metric_names(list(study.objective_names))
    target.add_trials([_frozen(optuna, trial, distributions, reports) for trial, reports in _exported(study)])
    with tempfile.TemporaryDirectory(prefix="tuner-optuna-") as folder:
        path = os.path.join(folder, "study.log")
        # Optuna's file backend writes the lines; once, not once per trial with an fsync each.
        journal.JournalFileBackend(path).append_logs(logs.logs)
        with open(path, "rb") as handle:
            return handle.read()


def _memory_backend(base):
    """A journal backend that keeps Optuna's log records in memory (Optuna's base class comes in lazily)."""

    class Logs(base):
        def __init__(self):
            self.logs = []

        def read_logs(self, log_number_from):
            yield from self.logs[log_number_from:]

        def append_logs(self, logs):
            self.logs.extend(logs)

    return Logs


def _exported(study):
    # Re-check trials repeat an earlier trial's params: Optuna would take them as new trials.
    trials = list(Trial.objects.filter(study=study, state__in=list(_EXPORT_STATES))
                  .exclude(origin=Trial.Origin.RECHECK).order_by("number"))
    reports = {}
    for trial_id, step, value in TrialReport.objects.filter(trial__study=study).values_list("trial_id", "step", "value"):
        reports.setdefault(trial_id, {})[step] = value
    return [(trial, reports.get(trial.pk, {})) for trial in trials]


def _frozen(optuna, trial, distributions, reports):
    state = _EXPORT_STATES[trial.state]
    complete = state == "COMPLETE" or (state == "PRUNED" and (trial.value is not None or trial.values))
    return optuna.trial.create_trial(
        params={name: value for name, value in trial.params.items() if name in distributions},
        distributions={name: distributions[name] for name in trial.params if name in distributions},
        values=(trial.values or [trial.value]) if complete else None,
        state=getattr(optuna.trial.TrialState, state),
        intermediate_values=reports,
        user_attrs={**(trial.attrs or {}), **{METRIC_PREFIX + name: v for name, v in (trial.metrics or {}).items()}},
        system_attrs=_system_attrs(trial, state),
    )


def _system_attrs(trial, state):
    found = {"fail_reason": trial.error} if state == "FAIL" and trial.error else {}
    if trial.constraints is not None:
        # The list form: what Optuna's samplers write from a constraints_func, read by every Optuna since 3.0.
        found[CONSTRAINTS_KEY] = list(trial.constraints)
    return found
