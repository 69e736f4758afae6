"""R1 for batches: `kill -9` one pool child while it runs a batch of quick trials (see
services/batches.py) → no trial is lost or recorded twice, none runs twice at once, only the
batch's running trial is charged an attempt, and the study reaches its budget."""

import json

import pytest

from .harness import overlapping_runs, slow_sphere, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

N_TRIALS = 300
SPEC = slow_sphere("pool child killed mid-batch", N_TRIALS, sleep_s=0)  # milliseconds: batched


def test_a_pool_child_killed_mid_batch_loses_no_trial_and_records_each_once(open_stack):
    stack = open_stack()
    worker = stack.workers["w1"]
    study_id = stack.create_study(SPEC)
    # Well into the study, where every worker runs batches.
    victim = wait_for(lambda: _starts(stack)[60:] and _starts(stack)[-1], 60, 0.05, what="60 evaluations")
    assert victim["pid"] in worker.children()

    stack.kill(victim["pid"])

    stack.wait_study(study_id, "completed", timeout_s=180)
    trials = stack.trials(study_id)
    assert [t["state"] for t in trials] == ["complete"] * N_TRIALS
    assert sorted(t["attempts"] for t in trials).count(2) <= 1, "only the batch's running trial used an attempt"
    assert all(t["attempts"] in (1, 2) for t in trials)
    records = stack.evaluations()
    # Run again only what the killed child had taken and not told yet.
    again = {key for key, n in _counts(records).items() if n > 1}
    assert all(_first_pid(records, key) == victim["pid"] for key in again)
    assert not overlapping_runs(records, stack.killed_at)
    stack.assert_invariants()


def _starts(stack):
    return [r for r in stack.evaluations() if r["event"] == "start"]


def _counts(records):
    counts = {}
    for record in records:
        if record["event"] == "start":
            key = json.dumps(record["params"], sort_keys=True)
            counts[key] = counts.get(key, 0) + 1
    return counts


def _first_pid(records, key):
    return next(r["pid"] for r in sorted(records, key=lambda r: r["t"])
                if r["event"] == "start" and json.dumps(r["params"], sort_keys=True) == key)
