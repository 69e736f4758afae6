"""R2: `kill -9` the whole worker (main process and pool children) while trials run, then
start a new one → each affected trial completes exactly once."""

import time

import pytest

from .harness import evaluations_of, is_alive, overlapping_runs, slow_sphere, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

N_TRIALS = 6
SPEC = slow_sphere("whole worker killed", N_TRIALS, sleep_s=1.5)


def test_trials_of_a_killed_worker_complete_exactly_once_after_restart(open_stack):
    stack = open_stack()
    worker = stack.workers["w1"]
    study_id = stack.create_study(SPEC)
    wait_for(lambda: len([r for r in stack.evaluations() if r["event"] == "start"]) >= 2, 30,
             what="both pool children running a trial")
    pids = [worker.pid, *worker.children()]

    worker.kill_group()  # main process and pool children at once, as a machine crash would
    killed_at = time.time()
    stack.killed_at.update({pid: killed_at for pid in pids})
    wait_for(lambda: not any(is_alive(pid) for pid in pids), 10, what="the worker and its children gone")
    time.sleep(2)
    stack.wait_worker(stack.spawn_worker("w2"))

    stack.wait_study(study_id, "completed")
    trials = stack.trials(study_id)
    assert [t["state"] for t in trials] == ["complete"] * N_TRIALS
    records = stack.evaluations()
    affected = [r["params"] for r in records if r["event"] == "start" and r["t"] < killed_at
                and not any(e["event"] == "end" and e["params"] == r["params"] for e in records if e["t"] < killed_at)]
    assert len(affected) == 2
    for trial in trials:
        ends = [r for r in evaluations_of(records, trial["params"]) if r["event"] == "end"]
        assert len(ends) == 1, f"trial {trial['number']} completed {len(ends)} times"
        assert trial["value"] == pytest.approx(trial["params"]["x"] ** 2)
        assert trial["attempts"] == (2 if trial["params"] in affected else 1)
    assert not overlapping_runs(records, stack.killed_at)
    stack.assert_invariants()
