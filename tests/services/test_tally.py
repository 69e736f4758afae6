"""The study's tally (`read.summarize`, `read.summary_facts`): brought up to a new revision by
folding in the trials changed since, it says what counting every trial afresh says."""

from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.db.models import F

from studies.models import Study, Trial
from studies.services import read, tally
from studies.services.summary import BEST_SHARE, FIRST_TRIALS, MIN_BEST_TRIALS, TYPICAL_TRIALS
from tests.roles import add_trials, make_study

pytestmark = pytest.mark.django_db

SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}, "k": {"type": "categorical", "choices": ["a", "b"]}}
FIGURES = [f"n_{state}" for state in Trial.State.values] + [
    "value_min", "value_max", "n_complete_counted", "n_excluded", "excluded_latest", "excluded_numbers",
    "facts_n_scored", "facts_n_complete", "facts_n_pruned", "facts_n_multi", "facts_n_since_best"]


def _study(owner, direction):
    rows = [("complete", float((i * 7) % 11), {"x": i / 40, "k": "ab"[i % 2]}, 10.0 + i) for i in range(30)]
    rows += [("pruned", 5.0, {"x": 0.5, "k": "a"}, 3.0), ("pruned", None, {"x": 0.7, "k": "a"}, 80.0),
             ("failed", None, {"x": 0.8, "k": "b"}), ("running", None, {"x": 0.1, "k": "a"}),
             ("running", None, {"x": 0.2, "k": "b"}), ("waiting", None, {"x": 0.3, "k": "a"})]
    return make_study(owner, space=SPACE, directions=[direction]), rows


def _change(study, number, **fields):
    """What a service does to a trial: the study's next revision, given to the trial."""
    Study.objects.filter(pk=study.pk).update(revision=F("revision") + 1)
    study.refresh_from_db()
    now = study.updated_at
    if number is None:  # a new trial
        number = Trial.objects.filter(study=study).count()
        Trial.objects.create(study=study, number=number, params={"x": 0.4, "k": "b"}, revision=study.revision,
                             **fields)
    else:
        fields.setdefault("finished_at", now)
        Trial.objects.filter(study=study, number=number).update(revision=study.revision, **fields)
    return study


def _said(study):
    study = Study.objects.get(pk=study.pk)
    figures = vars(read.summarize(study))
    facts = read.summary_facts(study, study.directions[0], FIRST_TRIALS, BEST_SHARE, MIN_BEST_TRIALS,
                               TYPICAL_TRIALS, names=["x", "k"])
    return {name: figures.get(name) for name in FIGURES}, facts


def _recounted(study):
    cache.clear()
    return _said(study)


CHANGES = [
    ("a running trial completes with a new best", 33, {"state": "complete", "value": -1.0}),
    ("a waiting trial starts", 35, {"state": "running", "finished_at": None}),
    ("a running trial is pruned", 34, {"state": "pruned", "value": 2.0}),
    ("a new trial completes, not the best", None, {"state": "complete", "value": 7.0}),
    ("a new trial completes with the best value, later", None, {"state": "complete", "value": -1.0}),
    ("a new trial completes with a new best", None, {"state": "complete", "value": -3.0}),
    ("a new trial breaks a limit", None, {"state": "complete", "value": -9.0, "feasible": False}),
    ("a new trial fails", None, {"state": "failed"}),
    ("a new trial waits", None, {"state": "waiting"}),
]


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
def test_after_each_change_the_tally_says_what_a_recount_says(owner, direction):
    study, rows = _study(owner, direction)
    add_trials(study, rows)
    _said(study)  # counted once: every later figure is folded forward

    for _, number, fields in CHANGES:
        if direction == "maximize" and "value" in fields:
            fields = {**fields, "value": -fields["value"]}
        started = Trial.objects.filter(study=study, number=number).values_list("started_at", flat=True).first()
        if number is None or started is None:
            fields = {"started_at": study.updated_at - timedelta(seconds=42), **fields}
        _change(study, number, **fields)
        folded = _said(study)

        assert folded == _recounted(study)


def test_a_change_to_a_finished_trial_is_counted_afresh(owner):
    # Its old contribution is unknown to the tally (an exclusion here): the figures are counted again.
    study, rows = _study(owner, "minimize")
    add_trials(study, rows)
    _said(study)

    best = read.best_trial(Study.objects.get(pk=study.pk)).number
    _change(study, best, excluded_at=study.updated_at)
    folded = _said(study)

    assert folded == _recounted(study)
    assert folded[0]["n_excluded"] == 1


def test_a_new_revision_without_a_changed_trial_reads_no_trial(owner, django_assert_num_queries):
    study, rows = _study(owner, "minimize")
    add_trials(study, rows)
    _said(study)
    Study.objects.filter(pk=study.pk).update(revision=F("revision") + 1)
    study = Study.objects.get(pk=study.pk)

    with django_assert_num_queries(1):  # the changed trials: none
        read.summarize(study)


def test_an_up_to_date_tally_is_read_without_the_summary_s_parts(owner, monkeypatch):
    # A poll reads the counts; the best trials and the pruned trials' durations (0.3 MB on a
    # 100,000-trial study) are read only by the summary.
    study, rows = _study(owner, "minimize")
    add_trials(study, rows)
    _said(study)
    read_keys, backend = [], caches["default"]
    get = backend.get
    monkeypatch.setattr(backend, "get", lambda key, *args, **kwargs: read_keys.append(key) or get(key, *args, **kwargs))

    read.summarize(Study.objects.get(pk=study.pk))

    assert read_keys == [read.cache_key(study, f"tally-{tally.VERSION}")]
