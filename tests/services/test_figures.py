"""A large study's figures kept in the database by a worker (`services/figures.py`): with the
cache cold, a page reads them (no count of every trial, no forest fit), folds in the trials
changed since, and says what counting afresh says."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from studies import services
from studies.models import Study, StudyFigures, Trial
from studies.services import figures, importance, read
from studies.services.summary import FAILURES_READ, study_summary
from tests.roles import add_trials, make_study
from tests.services.test_tally import CHANGES, _change, _recounted, _said, _study

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept_from_30(monkeypatch):
    # Studies of 30 trials or more have their figures kept: the tests' studies stay small.
    monkeypatch.setattr(read, "KEPT_FROM", 30)


def _kept_study(owner, direction="minimize", finished=False):
    study, rows = _study(owner, direction)
    # The reconciler reaps running trials without a heartbeat: a finished study keeps its revision.
    add_trials(study, [row for row in rows if row[0] not in ("running", "waiting")] if finished else rows)
    assert figures.keep_figures(study.pk)
    cache.clear()
    return Study.objects.get(pk=study.pk)


def _trial_scans(queries):
    """The statements that count or read the study's trials beyond the changed ones (and beyond
    the latest failed trials, whose errors the summary quotes: at most `FAILURES_READ` rows)."""
    return [query["sql"] for query in queries if "studies_trial" in query["sql"] and '"revision" >' not in query["sql"]
            and not ("'failed'" in query["sql"] and query["sql"].endswith(f"LIMIT {FAILURES_READ}"))]


def test_with_the_cache_cold_the_summary_says_what_counting_afresh_says(owner):
    study = _kept_study(owner)

    kept = study_summary(study)

    StudyFigures.objects.filter(study=study).delete()
    cache.clear()
    assert kept == study_summary(Study.objects.get(pk=study.pk))


def test_with_the_cache_cold_the_summary_reads_no_trial_but_the_changed_ones(owner):
    study = _kept_study(owner)

    with CaptureQueriesContext(connection) as queries:
        study_summary(study)

    assert _trial_scans(queries) == []


def test_with_the_cache_cold_importance_is_the_kept_one(owner):
    study = _kept_study(owner)
    kept = StudyFigures.objects.get(study=study)
    entry = kept.importance["importance"]
    entry["found"][0] = [["k", 0.75], ["x", 0.25]]  # not what the forest says: read, not refitted
    kept.importance = {"importance": entry}
    kept.save(update_fields=["importance"])

    found = importance.importance_of(study)

    assert found.scores == {"k": 0.75, "x": 0.25}


def test_importance_kept_for_other_trials_is_not_read(owner):
    study = _kept_study(owner)
    kept = StudyFigures.objects.get(study=study)
    kept.importance["importance"]["key"] += ":older"
    kept.importance["importance"]["found"][0] = [["k", 0.75], ["x", 0.25]]
    kept.save(update_fields=["importance"])

    found = importance.importance_of(study)

    assert found.scores != {"k": 0.75, "x": 0.25}


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
@pytest.mark.parametrize("what, number, fields", CHANGES, ids=[change[0] for change in CHANGES])
def test_a_trial_changed_after_the_figures_were_kept_is_folded_in(owner, direction, what, number, fields):
    study = _kept_study(owner, direction)
    if direction == "maximize" and "value" in fields:
        fields = {**fields, "value": -fields["value"]}
    started = Trial.objects.filter(study=study, number=number).values_list("started_at", flat=True).first()
    if number is None or started is None:
        fields = {"started_at": study.updated_at - timedelta(seconds=42), **fields}
    _change(study, number, **fields)

    cache.clear()
    folded = _said(study)

    StudyFigures.objects.filter(study=study).delete()
    assert folded == _recounted(study)


def test_an_exclusion_after_the_figures_were_kept_is_counted_afresh(owner):
    study = _kept_study(owner)
    best = read.best_trial(study).number
    _change(study, best, excluded_at=study.updated_at)

    cache.clear()
    folded = _said(study)

    StudyFigures.objects.filter(study=study).delete()
    assert folded == _recounted(study)
    assert folded[0]["n_excluded"] == 1


def test_a_count_kept_at_a_later_revision_is_not_overwritten(owner):
    study = _kept_study(owner)
    StudyFigures.objects.filter(study=study).update(revision=F("revision") + 5)
    later = StudyFigures.objects.get(study=study)

    kept = figures.keep_figures(study.pk)

    assert not kept
    assert StudyFigures.objects.get(study=study).kept_at == later.kept_at


def test_a_small_study_keeps_no_figures(owner):
    study = make_study(owner)
    add_trials(study, [("complete", float(i), {"x": i / 10, "y": 0.5}) for i in range(10)])

    kept = figures.keep_figures(study.pk)

    assert not kept
    assert not StudyFigures.objects.exists()


def test_the_reconciler_sends_the_job_for_a_large_study_never_kept(owner, django_capture_on_commit_callbacks):
    study, rows = _study(owner, "minimize")
    add_trials(study, rows)

    with django_capture_on_commit_callbacks() as sent:
        result = services.reconcile()

    assert result["figures_sent"] == 1
    assert len(sent) == 1


def test_the_reconciler_waits_a_while_before_keeping_a_changed_study_again(owner, django_capture_on_commit_callbacks):
    study = _kept_study(owner, finished=True)
    Study.objects.filter(pk=study.pk).update(revision=F("revision") + 1)

    with django_capture_on_commit_callbacks() as sent:
        result = services.reconcile()

    assert result["figures_sent"] == 0
    assert sent == []


def test_the_reconciler_sends_the_job_once_kept_figures_lag_and_are_old(owner, django_capture_on_commit_callbacks):
    study = _kept_study(owner, finished=True)
    Study.objects.filter(pk=study.pk).update(revision=F("revision") + 1)
    StudyFigures.objects.filter(study=study).update(
        kept_at=F("kept_at") - timedelta(seconds=figures.KEEP_EVERY_S + 1))

    with django_capture_on_commit_callbacks() as sent:
        result = services.reconcile()

    assert result["figures_sent"] == 1
    assert len(sent) == 1


def test_the_reconciler_leaves_current_figures_alone(owner, django_capture_on_commit_callbacks):
    _kept_study(owner, finished=True)
    StudyFigures.objects.update(kept_at=F("kept_at") - timedelta(seconds=figures.KEEP_EVERY_S + 1))

    with django_capture_on_commit_callbacks() as sent:
        result = services.reconcile()

    assert result["figures_sent"] == 0
    assert sent == []
