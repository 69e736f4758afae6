"""R3a: Redis (no persistence) down for 10 s mid-study, then back → pages and GETs keep
working, start and resume answer 503, the worker resumes without a restart, lost messages
are sent again, and the study completes with no trial run twice."""

import time

import pytest

from .harness import overlapping_runs, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

OUTAGE_S = 10
N_TRIALS = 12
SPACE = {"x": {"type": "float", "low": 0, "high": 1}, "sleep_s": {"type": "categorical", "choices": [0.5]}}


def _spec(name, n_trials, parallelism=2):
    return {"name": name, "objective": {"kind": "function", "name": "sphere"},
            "budget": {"n_trials": n_trials, "parallelism": parallelism}, "search_space": SPACE}


def _complete(stack, study_id):
    return sum(t["state"] == "complete" for t in stack.trials(study_id))


def _during_outage(stack, browser, study_id, paused_id, created_id):
    """Hit reads and enqueueing writes until the outage ends; return {what: [statuses]}."""
    seen = {"get": [], "page": [], "start": [], "resume": []}
    deadline = time.monotonic() + OUTAGE_S
    while time.monotonic() < deadline:
        seen["get"].append(stack.call("GET", f"/api/studies/{study_id}/")[0])
        seen["get"].append(stack.call("GET", f"/api/studies/{study_id}/trials/")[0])
        seen["page"].append(browser.get(f"/studies/{study_id}/")[0])
        seen["page"].append(browser.get(f"/studies/{study_id}/live.json")[0])
        seen["start"].append(stack.call("POST", f"/api/studies/{created_id}/start/")[0])
        seen["resume"].append(stack.call("POST", f"/api/studies/{paused_id}/resume/")[0])
        time.sleep(0.5)
    return seen


def test_redis_outage_loses_no_trial_and_needs_no_restart(open_stack):
    stack = open_stack()
    worker = stack.workers["w1"]
    worker_pids = {worker.pid, *worker.children()}
    browser = stack.browser()
    study_id = stack.create_study(_spec("through the outage", N_TRIALS))
    paused_id = stack.create_study(_spec("paused before the outage", 4, parallelism=1))
    assert stack.call("POST", f"/api/studies/{paused_id}/pause/")[0] == 202
    created_id = stack.create_study(_spec("started after the outage", 2), start=False)
    wait_for(lambda: _complete(stack, study_id) >= 2, 60, what="two trials done before the outage")

    stack.redis.kill_group()  # without persistence every queued message is gone
    seen = _during_outage(stack, browser, study_id, paused_id, created_id)
    restarted_at = time.time()
    stack.start_redis()

    assert set(seen["get"]) == {200} and set(seen["page"]) == {200}, seen
    assert set(seen["start"]) == {503} and set(seen["resume"]) == {503}, seen
    stack.wait_study(study_id, "completed", timeout_s=120)
    assert stack.call("POST", f"/api/studies/{paused_id}/resume/")[0] == 202
    assert stack.call("POST", f"/api/studies/{created_id}/start/")[0] == 202
    stack.wait_study(paused_id, "completed")
    stack.wait_study(created_id, "completed")
    assert worker.alive() and worker.children(), "the worker must resume without a restart"
    records = stack.evaluations()
    assert any(r["t"] > restarted_at and r["pid"] in worker_pids | set(worker.children()) for r in records)
    for sid, n_trials in ((study_id, N_TRIALS), (paused_id, 4), (created_id, 2)):
        trials = stack.trials(sid)
        assert [t["state"] for t in trials] == ["complete"] * n_trials
        for trial in trials:
            ends = [r for r in records if r["event"] == "end" and r["params"] == trial["params"]]
            assert len(ends) == 1, f"study {sid} trial {trial['number']} ran {len(ends)} times"
    assert not overlapping_runs(records)
    assert "run message(s) sent again" in worker.log_text(), "the reconciler must resend what Redis lost"
    stack.assert_invariants()
