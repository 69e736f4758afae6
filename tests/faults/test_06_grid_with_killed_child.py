"""R6: a 60-point grid run by 4 parallel trials on two workers, one pool child killed
mid-trial → exactly the 60 points, once each, and the killed trial keeps its point."""

import itertools
import time

import pytest

from .harness import overlapping_runs, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

A, B, C = range(3), range(4), range(5)
SPEC = {
    "name": "grid with a killed child",
    "objective": {"kind": "function", "name": "sphere"},
    "sampler": {"name": "grid", "seed": 7},
    "budget": {"n_trials": 60, "parallelism": 4},
    "search_space": {
        "a": {"type": "int", "low": 0, "high": 2},
        "b": {"type": "int", "low": 0, "high": 3},
        "c": {"type": "categorical", "choices": list(C)},
        "sleep_s": {"type": "categorical", "choices": [0.6]},
    },
}


def _running(records):
    """Start records with no end yet from the same process, latest first."""
    ended = {(r["pid"], r["t"]) for r in records if r["event"] == "end"}
    starts = [r for r in records if r["event"] == "start"]
    return sorted((r for r in starts if not any(pid == r["pid"] and t > r["t"] for pid, t in ended)),
                  key=lambda r: -r["t"])


def test_grid_points_run_exactly_once_with_a_killed_child(open_stack):
    stack = open_stack(workers=(("w1", 2), ("w2", 2)))
    children = {pid for worker in stack.workers.values() for pid in worker.children()}
    study_id = stack.create_study(SPEC)
    wait_for(lambda: sum(r["event"] == "end" for r in stack.evaluations()) >= 8, 60, what="eight trials done")
    victim = wait_for(lambda: next((r for r in _running(stack.evaluations()) if time.time() - r["t"] < 0.3), None),
                      30, 0.05, what="a trial just started")
    assert victim["pid"] in children

    stack.kill(victim["pid"])

    stack.wait_study(study_id, "completed", timeout_s=120)
    trials = stack.trials(study_id)
    assert len(trials) == 60 and {t["state"] for t in trials} == {"complete"}
    points = sorted((t["params"]["a"], t["params"]["b"], t["params"]["c"]) for t in trials)
    assert points == sorted(itertools.product(A, B, C))
    retried = [t for t in trials if t["params"] == victim["params"]]
    assert len(retried) == 1 and retried[0]["attempts"] == 2
    records = stack.evaluations()
    for trial in trials:
        ends = [r for r in records if r["event"] == "end" and r["params"] == trial["params"]]
        assert len(ends) == 1, f"grid point {trial['params']} completed {len(ends)} times"
    assert not overlapping_runs(records, stack.killed_at)
    stack.assert_invariants()
