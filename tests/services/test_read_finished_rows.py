"""`read.finished_rows`: every field lands in its own place, with params or without (the summary
of a large study reads them without, then fetches the best trials' params by pk)."""

import pytest

from studies.models import Trial
from studies.services import read
from tests.roles import add_trials, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(owner):
    study = make_study(owner)
    trials = add_trials(study, [("complete", 1.0, {"x": 0.1, "y": 0.2}), ("pruned", 2.0, {"x": 0.3, "y": 0.4})])
    Trial.objects.filter(pk=trials[0].pk).update(constraints=[0.5], feasible=False)
    return study, trials


@pytest.mark.parametrize("params", [True, False])
def test_each_row_carries_its_own_pk_times_worker_and_feasibility(finished, params):
    study, trials = finished

    rows = read.finished_rows(study, params=params)

    assert [row.pk for row in rows] == [trial.pk for trial in trials]
    assert [(row.started_at, row.finished_at, row.worker) for row in rows] == [
        (trial.started_at, trial.finished_at, trial.worker) for trial in trials]
    assert [row.feasible for row in rows] == [False, None]


def test_params_are_left_out_only_when_asked(finished):
    study, _ = finished

    assert [row.params for row in read.finished_rows(study, params=False)] == [None, None]
    assert read.finished_rows(study)[0].params == {"x": 0.1, "y": 0.2}
