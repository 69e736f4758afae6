"""`read.counted_complete`: `complete_count`'s figures, kept with the study's per-revision counts
(what the importance's cache key reads), the same as counting afresh."""

from datetime import timedelta

import pytest

from studies.models import Study, Trial
from studies.services import read
from tests.roles import add_trials, make_study

pytestmark = pytest.mark.django_db


def _study_with_an_exclusion(owner):
    study = make_study(owner)
    trials = add_trials(study, [("complete", 1.0, {"x": 0.1}), ("complete", 2.0, {"x": 0.2}),
                                ("pruned", 3.0, {"x": 0.3}), ("complete", 4.0, {"x": 0.4})])
    Trial.objects.filter(pk=trials[1].pk).update(excluded_at=trials[1].finished_at + timedelta(seconds=1))
    return study


def test_the_kept_figures_are_the_counted_ones(owner):
    study = _study_with_an_exclusion(owner)

    assert read.counted_complete(study) == read.complete_count(study)
    assert read.counted_complete(study)[0] == 2


def test_they_are_counted_even_where_the_study_list_cached_its_figures_for_the_same_revision(owner):
    study = _study_with_an_exclusion(owner)
    read.summarize_all([Study.objects.get(pk=study.pk)])  # the list's figures, without complete_count's

    assert read.counted_complete(study) == read.complete_count(study)
