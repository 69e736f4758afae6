"""R7: a trial that hangs → failed as "timeout" at the soft limit while the others go on;
the hard limit is the backstop when the soft one cannot interrupt (a long native call)."""

import pytest

from .harness import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

SPACE = {
    "x": {"type": "float", "low": 0, "high": 1},
    "fault": {"type": "categorical", "choices": ["ok", "hang", "hang_native"]},
}


def _spec(name, n_trials):
    return {"name": name, "objective": {"kind": "function", "name": "sphere"},
            "budget": {"n_trials": n_trials, "parallelism": 2}, "search_space": SPACE}


@pytest.fixture(scope="module")
def stack(open_module_stack):
    return open_module_stack()


def test_hanging_trial_fails_as_timeout_at_the_soft_limit(stack):
    manual = [{"x": 0.5, "fault": "hang"}] + [{"x": x, "fault": "ok"} for x in (0.1, 0.2, 0.3)]
    study_id = stack.create_study(_spec("hangs", len(manual)), manual=manual)

    stack.wait_study(study_id, "completed", timeout_s=60)
    trials = stack.trials(study_id)
    hung, *others = trials
    assert hung["state"] == "failed" and hung["error"].startswith("timeout"), hung
    assert hung["attempts"] == 1
    assert [t["state"] for t in others] == ["complete"] * 3
    runs = [r for r in stack.evaluations() if r["params"] == manual[0]]
    assert len(runs) == 1, "a timeout is not retried"
    assert runs[0]["pid"] in stack.workers["w1"].children(), "the soft limit must not cost the pool child"
    stack.assert_invariants()


def test_trial_past_the_hard_limit_fails_once_as_timeout(stack):
    manual = [{"x": 0.5, "fault": "hang_native"}]
    study_id = stack.create_study(_spec("hangs in native code", 1), manual=manual)

    def settled():
        trial = stack.trials(study_id)[0]
        return trial if trial["state"] == "failed" or trial["attempts"] >= 2 else None

    trial = wait_for(settled, 60, 0.5, what="the trial stopped by the hard limit")
    assert trial["attempts"] == 1, "a trial that timed out must not be run again"
    assert trial["state"] == "failed" and trial["error"].startswith("timeout"), trial
