"""The large study the dashboard benchmarks read, written fast into Tuner's database and into an
Optuna storage, so Tuner and optuna-dashboard show the very same trials.

8 params, 10 intermediate values per trial, 3 in 5 trials complete, 1 in 5 pruned, 1 in 5 failed.
Rows go in with `executemany` on the raw connection: 100,000 trials and 1,000,000 reports in
well under a minute, where model instances took many minutes.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

SPACE = {
    "lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": True},
    "momentum": {"type": "float", "low": 0.0, "high": 0.99},
    "depth": {"type": "int", "low": 2, "high": 12},
    "width": {"type": "int", "low": 16, "high": 512, "log": True},
    "dropout": {"type": "float", "low": 0.0, "high": 0.5, "step": 0.05},
    "batch": {"type": "int", "low": 16, "high": 256, "step": 16},
    "optimizer": {"type": "categorical", "choices": ["adam", "sgd", "rmsprop"]},
    "activation": {"type": "categorical", "choices": ["relu", "tanh", "gelu"]},
}
STATES = np.array(["complete", "complete", "complete", "pruned", "failed"])


def generate(n_trials, n_reports, seed=0):
    """Column arrays of the study: params by name, states, values (nan when failed), start and
    finish offsets in seconds before now, and reports as an (n_trials, n_reports) array."""
    rng = np.random.default_rng(seed)
    params = {
        "lr": 10 ** rng.uniform(-5, -1, n_trials), "momentum": rng.uniform(0, 0.99, n_trials),
        "depth": rng.integers(2, 13, n_trials), "width": np.floor(2 ** rng.uniform(4, 9, n_trials)).astype(int),
        "dropout": np.round(rng.integers(0, 11, n_trials) * 0.05, 2), "batch": rng.integers(1, 17, n_trials) * 16,
        "optimizer": rng.integers(0, 3, n_trials), "activation": rng.integers(0, 3, n_trials),
    }
    states = STATES[rng.integers(0, len(STATES), n_trials)]
    values = (np.log10(params["lr"]) + 3) ** 2 + rng.normal(0, 0.1, n_trials)
    values[states == "failed"] = np.nan
    started = 36_000 - np.arange(n_trials) * (36_000 / n_trials)
    finished = started - rng.uniform(5, 30, n_trials)
    steps = np.arange(n_reports)
    reports = 1.0 / (steps + 1) + rng.normal(0, 0.01, (n_trials, n_reports))
    return {"params": params, "states": states, "values": values, "started": started, "finished": finished,
            "reports": reports}


def setup_django():
    """Django set up on the database TUNER_VAR_DIR names, its tables made."""
    import django
    from django.conf import settings

    if not any(p.name[0].isdigit() for p in (ROOT / "studies" / "migrations").glob("*.py")):
        # No migration has landed yet: build the tables straight from the models.
        settings.MIGRATION_MODULES = {"studies": None}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)


def build_study(n_trials, n_reports, optuna_path=None):
    """The bench study in Tuner's database, owned by user "bench" (and, given a path, the same
    trials in an Optuna storage); returns (study, user, Optuna's study id or None)."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench")
    data = generate(n_trials, n_reports)
    study = write_tuner(data, user, f"bench {n_trials:,}")
    optuna_id = write_optuna(data, optuna_path, f"bench {n_trials:,}") if optuna_path else None
    return study, user, optuna_id


def _params_of(data, i):
    """Trial i's params as Tuner stores them (choices by name)."""
    out = {}
    for name, spec in SPACE.items():
        raw = data["params"][name][i]
        out[name] = spec["choices"][int(raw)] if spec["type"] == "categorical" else (
            int(raw) if spec["type"] == "int" else float(raw))
    return out


def write_tuner(data, owner, name):
    """The study and its trials and reports in Tuner's database; returns the Study."""
    from django.db import connection, transaction
    from django.utils import timezone

    from studies.models import Study, Trial, TrialReport

    n_trials = len(data["states"])
    now = timezone.now()
    study = Study.objects.create(
        owner=owner, name=name, directions=["minimize"], search_space=SPACE, sampler={"name": "random"},
        objective={"kind": "external"}, seed=0, n_trials=n_trials + 100, parallelism=8, state="running",
        started_at=now - timedelta(hours=10), revision=n_trials, next_number=n_trials,
    )
    # One template trial gives every column its default, so the raw insert fills what the model would.
    template = Trial(study=study)
    fields = [f for f in Trial._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    per_trial = {"number", "params", "value", "state", "revision", "worker", "started_at", "finished_at", "created_at"}
    base = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields
            if f.attname not in per_trial}
    rows = []
    for i in range(n_trials):
        value = data["values"][i]
        start = now - timedelta(seconds=float(data["started"][i]))
        row = dict(base, number=i, params=json.dumps(_params_of(data, i)), state=str(data["states"][i]),
                   value=None if np.isnan(value) else float(value), revision=i + 1, worker=f"host-{i % 8}",
                   started_at=start, created_at=start,
                   finished_at=now - timedelta(seconds=float(data["finished"][i])))
        rows.append([row[f.attname] for f in fields])
    marks = ", ".join(["%s"] * len(columns))
    with transaction.atomic(), connection.cursor() as cursor:
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        cursor.executemany(f"INSERT INTO {Trial._meta.db_table} ({names}) VALUES ({marks})", rows)
        ids = list(Trial.objects.filter(study=study).order_by("number").values_list("pk", flat=True))
        reports = data["reports"]
        report_rows = [(pk, step, float(reports[i, step]), now) for i, pk in enumerate(ids)
                       for step in range(reports.shape[1])]
        cursor.executemany(f"INSERT INTO {TrialReport._meta.db_table} (trial_id, step, value, created_at) "
                           f"VALUES (%s, %s, %s, %s)", report_rows)
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a bulk load: without it the planner takes the
        # study for empty and picks plans no deployment would run.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Trial._meta.db_table}, {TrialReport._meta.db_table}")
    return study


_OPTUNA_STATE = {"complete": "COMPLETE", "pruned": "PRUNED", "failed": "FAIL"}


def _distribution_json(spec):
    if spec["type"] == "categorical":
        return json.dumps({"name": "CategoricalDistribution", "attributes": {"choices": spec["choices"]}})
    kind = "FloatDistribution" if spec["type"] == "float" else "IntDistribution"
    attributes = {"low": spec["low"], "high": spec["high"], "log": bool(spec.get("log")),
                  "step": spec.get("step", None if spec["type"] == "float" else 1)}
    return json.dumps({"name": kind, "attributes": attributes})


def write_optuna(data, path, name):
    """The same trials as an Optuna study in a SQLite RDB storage at `path` (what optuna-dashboard reads).

    The storage and the study are made through Optuna (its schema and version rows); the trials
    go in with raw inserts into its tables, as `add_trials` would write them, only faster.
    """
    import sqlite3

    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = optuna.storages.RDBStorage(f"sqlite:///{path}")
    study_id = optuna.create_study(storage=storage, study_name=name, direction="minimize")._study_id
    storage.engine.dispose()
    n_trials = len(data["states"])
    now = datetime.now(UTC).replace(tzinfo=None)
    distributions = {name: _distribution_json(spec) for name, spec in SPACE.items()}
    db = sqlite3.connect(path)
    first = (db.execute("SELECT COALESCE(MAX(trial_id), 0) FROM trials").fetchone()[0]) + 1
    trials, params, values, intermediate = [], [], [], []
    for i in range(n_trials):
        trial_id = first + i
        state = str(data["states"][i])
        trials.append((trial_id, i, study_id, _OPTUNA_STATE[state],
                       now - timedelta(seconds=float(data["started"][i])),
                       now - timedelta(seconds=float(data["finished"][i]))))
        for pname in SPACE:
            params.append((trial_id, pname, float(data["params"][pname][i]), distributions[pname]))
        if state == "complete":
            values.append((trial_id, 0, float(data["values"][i]), "FINITE"))
        for step in range(data["reports"].shape[1]):
            intermediate.append((trial_id, step, float(data["reports"][i, step]), "FINITE"))
    with db:
        db.executemany("INSERT INTO trials (trial_id, number, study_id, state, datetime_start, datetime_complete) "
                       "VALUES (?, ?, ?, ?, ?, ?)", [(*t[:4], str(t[4]), str(t[5])) for t in trials])
        db.executemany("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) "
                       "VALUES (?, ?, ?, ?)", params)
        db.executemany("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?)", values)
        db.executemany("INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, "
                       "intermediate_value_type) VALUES (?, ?, ?, ?)", intermediate)
    db.close()
    return study_id
