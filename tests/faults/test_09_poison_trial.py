"""R9/R18: a trial that kills its own pool process every time → failed as poison after the
attempt cap, with exactly that many attempts (no hot loop), while other trials go on."""

import time

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

MAX_ATTEMPTS = 3  # TUNER_MAX_ATTEMPTS in the harness
SPEC = {
    "name": "poison",
    "objective": {"kind": "function", "name": "sphere"},
    "budget": {"n_trials": 3, "parallelism": 2},
    "search_space": {
        "x": {"type": "float", "low": 0, "high": 1},
        "fault": {"type": "categorical", "choices": ["suicide", "ok"]},
    },
}


def test_trial_that_kills_its_worker_fails_as_poison_after_the_cap(open_stack):
    stack = open_stack()
    manual = [{"x": 0.5, "fault": "suicide"}, {"x": 0.1, "fault": "ok"}, {"x": 0.2, "fault": "ok"}]
    study_id = stack.create_study(SPEC, manual=manual)

    stack.wait_study(study_id, "completed", timeout_s=90)
    time.sleep(2 * 2)  # two reconciler periods: a hot loop would show more attempts by now
    poison, *others = stack.trials(study_id)
    assert poison["state"] == "failed" and poison["error"].startswith("poison"), poison
    assert poison["attempts"] == MAX_ATTEMPTS
    runs = [r for r in stack.evaluations() if r["params"] == manual[0]]
    assert len(runs) == MAX_ATTEMPTS
    assert [t["state"] for t in others] == ["complete", "complete"]
    worker = stack.workers["w1"]
    assert worker.alive() and len(worker.children()) == 2
    stack.assert_invariants()
