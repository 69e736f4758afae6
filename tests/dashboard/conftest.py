"""Dashboard fixtures: studies in the shapes a page must survive, built straight in the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from studies.models import Study, Trial, TrialReport

SPACE = {
    "lr": {"type": "float", "low": 1e-4, "high": 0.1, "log": True},
    "depth": {"type": "int", "low": 2, "high": 12},
    "kernel": {"type": "categorical", "choices": ["rbf", "linear", "poly"]},
    "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly"]}},
}
CATEGORICAL_SPACE = {
    "kernel": {"type": "categorical", "choices": ["rbf", "linear"]},
    "shrink": {"type": "categorical", "choices": [True, False]},
}


def make_study(owner, space=None, directions=("minimize",), objective=None, **fields):
    return Study.objects.create(
        owner=owner, name=fields.pop("name", "study"), directions=list(directions), search_space=space or SPACE,
        sampler=fields.pop("sampler", {"name": "random"}), objective=objective or {"kind": "external"}, seed=1,
        n_trials=fields.pop("n_trials", 20), **fields,
    )


def add_trials(study, rows):
    """Store trials from (state, value, params) tuples, numbered in order, each with a start and end."""
    start = timezone.now() - timedelta(minutes=len(rows))
    trials = [
        Trial(study=study, number=number, state=state, value=value, params=params, worker=f"w{number % 2}",
              values=list(value) if isinstance(value, (list, tuple)) else None,
              started_at=start + timedelta(minutes=number), revision=number + 1,
              finished_at=start + timedelta(minutes=number, seconds=30) if state != "running" else None,
              error="ValueError: boom" if state == "failed" else "")
        for number, (state, value, params) in enumerate(rows)
    ]
    for trial in trials:
        if isinstance(trial.value, (list, tuple)):
            trial.value = None
    Trial.objects.bulk_create(trials)
    Study.objects.filter(pk=study.pk).update(revision=len(rows), next_number=len(rows))
    study.refresh_from_db()
    return list(Trial.objects.filter(study=study).order_by("number"))


def add_reports(trial, values):
    TrialReport.objects.bulk_create(TrialReport(trial=trial, step=step, value=v) for step, v in enumerate(values))


@pytest.fixture
def empty_study(owner):
    return make_study(owner, name="empty")


@pytest.fixture
def one_trial_study(owner):
    study = make_study(owner, name="one")
    add_trials(study, [("complete", 0.5, {"lr": 0.01, "depth": 3, "kernel": "rbf"})])
    return study


@pytest.fixture
def failed_study(owner):
    study = make_study(owner, name="all failed", state=Study.State.COMPLETED)
    add_trials(study, [("failed", None, {"lr": 0.01, "depth": 3, "kernel": "rbf"})] * 3)
    return study


@pytest.fixture
def categorical_study(owner):
    study = make_study(owner, space=CATEGORICAL_SPACE, name="categorical")
    add_trials(study, [("complete", float(i), {"kernel": k, "shrink": i % 2 == 0}) for i, k in enumerate(["rbf", "linear"] * 3)])
    return study


@pytest.fixture
def multi_study(owner):
    study = make_study(owner, directions=("minimize", "maximize"), name="multi")
    add_trials(study, [("complete", (float(i), float(i * i % 7)), {"lr": 0.01, "depth": i + 2, "kernel": "linear"})
                       for i in range(6)])
    return study


@pytest.fixture
def busy_study(owner):
    """Forty trials in every state, with learning curves, on the mixed conditional space."""
    study = make_study(owner, name="busy", state=Study.State.RUNNING, started_at=timezone.now() - timedelta(hours=1))
    states = ["complete", "complete", "pruned", "failed", "complete"]
    rows = []
    for i in range(40):
        kernel = ["rbf", "linear", "poly"][i % 3]
        params = {"lr": 10 ** (-4 + 3 * i / 40), "depth": 2 + i % 10, "kernel": kernel}
        if kernel == "poly":
            params["degree"] = 2 + i % 4
        state = states[i % 5]
        rows.append((state, None if state == "failed" else (i - 20) ** 2 / 10, params))
    trials = add_trials(study, rows)
    for trial in trials[:10]:
        add_reports(trial, [1.0 / (step + 1) + trial.number for step in range(4)])
    return study


def make_chart_study(owner, **fields):
    """Sixty trials in every state over the mixed space, twenty with learning curves: every chart has something to draw."""
    study = make_study(owner, name="Busy study", space=SPACE, **fields)
    rows = []
    for i in range(60):
        kernel = ["rbf", "linear", "poly"][i % 3]
        params = {"lr": 10 ** (-4 + 3 * (i * 7 % 60) / 60), "depth": 2 + i % 10, "kernel": kernel}
        if kernel == "poly":
            params["degree"] = 2 + i % 4
        state = ["complete", "complete", "pruned", "complete", "failed"][i % 5]
        rows.append((state, None if state == "failed" else ((i * 7 % 60) - 30) ** 2 / 10 + i % 10, params))
    for trial in add_trials(study, rows)[:20]:
        add_reports(trial, [10.0 / (step + 1) + trial.number % 5 for step in range(5)])
    return study

