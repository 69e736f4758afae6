"""R8: objectives that raise, return NaN, ±inf, None or a string, or run out of memory →
each trial fails once with a clear message, and the worker and its pool children survive."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

EXPECTED_ERRORS = {
    "raise": "ValueError: the objective blew up on purpose",
    "nan": "the objective returned nan, not a finite number",
    "inf": "the objective returned inf, not a finite number",
    "-inf": "the objective returned -inf, not a finite number",
    "none": "the objective returned NoneType, not a number",
    "string": "the objective returned str, not a number",
    "memory": "ran out of memory",
}
SPEC = {
    "name": "misbehaving objectives",
    "objective": {"kind": "function", "name": "sphere"},
    "budget": {"n_trials": len(EXPECTED_ERRORS) + 1, "parallelism": 2},
    "search_space": {
        "x": {"type": "float", "low": 0, "high": 1},
        "fault": {"type": "categorical", "choices": [*EXPECTED_ERRORS, "ok"]},
    },
}


def test_objective_faults_fail_their_trial_and_spare_the_worker(open_stack):
    stack = open_stack()
    worker = stack.workers["w1"]
    children = set(worker.children())
    manual = [{"x": 0.5, "fault": fault} for fault in EXPECTED_ERRORS] + [{"x": 0.5, "fault": "ok"}]
    study_id = stack.create_study(SPEC, manual=manual)

    stack.wait_study(study_id, "completed", timeout_s=60)
    trials = stack.trials(study_id)
    for trial, fault in zip(trials[:-1], EXPECTED_ERRORS, strict=True):
        assert trial["state"] == "failed", (fault, trial)
        assert trial["error"].startswith(EXPECTED_ERRORS[fault]), (fault, trial["error"])
        assert trial["attempts"] == 1, (fault, trial)
    assert trials[-1]["state"] == "complete" and trials[-1]["value"] == pytest.approx(0.25)
    starts = [r["params"]["fault"] for r in stack.evaluations() if r["event"] == "start"]
    assert sorted(starts) == sorted(p["fault"] for p in manual), "each objective ran exactly once"
    assert worker.alive() and set(worker.children()) == children, "no pool child may die of an objective's fault"
    stack.assert_invariants()
