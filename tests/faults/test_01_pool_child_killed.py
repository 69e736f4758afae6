"""R1: `kill -9` one pool child mid-trial → the trial runs again with the same params, is
never stuck and never runs twice at once, and the study reaches its budget."""

import pytest

from .harness import evaluations_of, overlapping_runs, slow_sphere, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

N_TRIALS = 6
SPEC = slow_sphere("pool child killed", N_TRIALS, sleep_s=1.5)


def test_killed_pool_child_trial_is_retried_with_same_params(open_stack):
    stack = open_stack()
    worker = stack.workers["w1"]
    study_id = stack.create_study(SPEC)
    victim = stack.wait_evaluation_start()
    assert victim["pid"] in worker.children()

    stack.kill(victim["pid"])

    stack.wait_study(study_id, "completed")
    trials = stack.trials(study_id)
    assert [t["state"] for t in trials] == ["complete"] * N_TRIALS
    retried = [t for t in trials if t["params"] == victim["params"]]
    assert len(retried) == 1, "the retry must be the same trial (same number), not a new one"
    assert retried[0]["attempts"] == 2
    assert retried[0]["value"] == pytest.approx(victim["params"]["x"] ** 2)
    assert all(t["attempts"] == 1 for t in trials if t is not retried[0])
    records = stack.evaluations()
    starts = [r for r in evaluations_of(records, victim["params"]) if r["event"] == "start"]
    assert len(starts) == 2 and starts[1]["t"] > stack.killed_at[victim["pid"]]
    for trial in trials:
        if trial is not retried[0]:
            assert [r["event"] for r in evaluations_of(records, trial["params"])] == ["start", "end"]
    assert not overlapping_runs(records, stack.killed_at)
    assert worker.alive()
    wait_for(lambda: len(worker.children()) == 2 and victim["pid"] not in worker.children(), 10,
             what="a fresh pool child replacing the killed one")
    stack.assert_invariants()
