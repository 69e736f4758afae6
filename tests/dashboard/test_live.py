"""The live endpoint sends only what changed since the page's cursor."""

import pytest

from dashboard import charts
from studies.models import Study, Trial
from studies.services import read

pytestmark = pytest.mark.django_db


def test_first_poll_sends_every_trial_and_the_cursor(site, busy_study):
    body = site.get(f"/studies/{busy_study.pk}/live.json?since=0").json()

    assert len(body["points"]) == 40
    assert body["cursor"] == busy_study.revision
    assert body["has_more"] is False


def test_next_poll_sends_only_the_changed_trial(site, busy_study):
    Trial.objects.filter(study=busy_study, number=7).update(state="complete", value=-1.0, revision=busy_study.revision + 1)
    Study.objects.filter(pk=busy_study.pk).update(revision=busy_study.revision + 1)

    body = site.get(f"/studies/{busy_study.pk}/live.json?since={busy_study.revision}").json()

    assert body["points"] == [{"n": 7, "s": "complete", "v": -1.0, "vs": None}]
    assert body["header"]["best"]["number"] == 7


def test_poll_with_nothing_new_sends_no_points(site, busy_study):
    body = site.get(f"/studies/{busy_study.pk}/live.json?since={busy_study.revision}").json()

    assert body["points"] == []
    assert body["cursor"] == busy_study.revision


def test_header_counts_trials_by_state(site, busy_study):
    header = site.get(f"/studies/{busy_study.pk}/live.json").json()["header"]

    assert header["counts"] == {"waiting": 0, "running": 0, "complete": 24, "pruned": 8, "failed": 8, "stopped": 0}
    assert header["progress"]["done"] == 40


def test_finished_study_says_so(site, failed_study):
    header = site.get(f"/studies/{failed_study.pk}/live.json").json()["header"]

    assert header["finished"] is True


def test_bad_cursor_answers_400(site, busy_study):
    response = site.get(f"/studies/{busy_study.pk}/live.json?since=abc")

    assert response.status_code == 400


def test_active_agents_count_distinct_workers_with_a_recent_heartbeat(site, busy_study):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    Trial.objects.filter(study=busy_study, number__in=[0, 1, 2]).update(state="running", heartbeat_at=now)
    Trial.objects.filter(study=busy_study, number=3).update(state="running", worker="stale",
                                                            heartbeat_at=now - timedelta(minutes=5))

    header = site.get(f"/studies/{busy_study.pk}/live.json").json()["header"]

    assert header["n_agents"] == 2, "w0 and w1 are alive; the stale worker is not"


def test_live_poll_sends_the_summary_when_asked(site, owner):
    from tests.dashboard.conftest import add_trials, make_study

    study = make_study(owner, name="summary")
    add_trials(study, [("complete", float(i), {"lr": 0.01, "depth": 3, "kernel": "rbf"}) for i in range(3)])

    plain = site.get(f"/studies/{study.pk}/live.json?since=0").json()
    asked = site.get(f"/studies/{study.pk}/live.json?since=0&summary=1").json()

    assert "summary" not in plain
    assert asked["summary"] and all({"key", "text", "figure"} <= set(s) for s in asked["summary"])


def _best_so_far_numbers(points):
    """The numbers where a minimising study's best-so-far line steps, as the page draws it."""
    best, numbers = None, []
    for p in sorted(points, key=lambda p: p["n"]):
        if p["s"] == "complete" and p["v"] is not None and not p.get("x") and p.get("f") is not False:
            if best is None or p["v"] < best:
                best = p["v"]
                numbers.append(p["n"])
    return numbers


def test_first_poll_of_a_large_study_sends_a_sample_in_one_answer_and_says_so(site, busy_study, monkeypatch):
    monkeypatch.setattr(charts, "MAX_HISTORY_POINTS", 10)

    body = site.get(f"/studies/{busy_study.pk}/live.json?since=0").json()

    plotted = [p for p in body["points"] if p["v"] is not None]
    assert len(body["points"]) < 40 and body["has_more"] is False and body["cursor"] == busy_study.revision
    assert body["note"].startswith(f"Showing {len(plotted)} of 32 trials as the page opened: the best half")


def test_the_sample_holds_every_trial_that_set_a_new_best(site, busy_study, monkeypatch):
    every = site.get(f"/studies/{busy_study.pk}/live.json?since=0").json()["points"]
    Study.objects.filter(pk=busy_study.pk).update(revision=busy_study.revision + 1)  # past the cached answer
    monkeypatch.setattr(charts, "MAX_HISTORY_POINTS", 10)

    sample = site.get(f"/studies/{busy_study.pk}/live.json?since=0").json()["points"]

    assert len(sample) < len(every) and len(_best_so_far_numbers(every)) > 5
    assert _best_so_far_numbers(sample) == _best_so_far_numbers(every)


def test_a_small_study_opens_on_every_trial_without_a_note(site, busy_study):
    body = site.get(f"/studies/{busy_study.pk}/live.json?since=0").json()

    assert len(body["points"]) == 40 and body["note"] is None


@pytest.mark.parametrize("directions", [["minimize"], ["minimize", "maximize"]])
def test_a_sampled_point_is_the_point_every_trial_gives(site, busy_study, monkeypatch, directions):
    # Marks and a several-objective trial's values come through the sample as they do unsampled.
    trials = Trial.objects.filter(study=busy_study)
    trials.filter(number__in=[4, 9]).update(excluded_at=busy_study.created_at)
    trials.filter(number__in=[0, 5]).update(feasible=False, constraints=[1.0])
    if len(directions) > 1:
        for trial in trials.filter(value__isnull=False):
            trials.filter(pk=trial.pk).update(value=None, values=[trial.value, -trial.value])
    Study.objects.filter(pk=busy_study.pk).update(directions=directions)
    study = Study.objects.get(pk=busy_study.pk)
    # Every trial as a later poll sends it (`read.changes`), the other path to a point.
    every = {p["n"]: p for p in (charts.point(row) for row in read.changes(study, 0, 100, charts.LIVE_COLUMNS)[0])}
    monkeypatch.setattr(charts, "MAX_HISTORY_POINTS", 10)

    sample = site.get(f"/studies/{busy_study.pk}/live.json?since=0").json()["points"]

    assert 10 <= len(sample) < len(every)
    assert all(point == every[point["n"]] for point in sample)
    assert {"x", "f"} <= {mark for point in every.values() for mark in point}
