"""R5: 8 concurrent ask/tell clients on PostgreSQL, 5 % of tells sent twice and 1 % of asks
never told → numbers unique and contiguous, every accepted tell stored once, repeated tells
answered with the stored result (a different value: 409), and abandoned asks expire
(reaped as "worker lost")."""

import os

import pytest

from .clients import assert_tells_stored_once, join_clients, start_clients

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

N_CLIENTS = 8
# The 1,000 trials: about 31 s on a quiet 2-core machine (TUNER_FAULT_CLIENT_TRIALS
# changes it, e.g. for a longer soak).
N_TRIALS = int(os.environ.get("TUNER_FAULT_CLIENT_TRIALS", "1000"))
SPEC = {
    "name": "many clients",
    "objective": {"kind": "external"},
    "budget": {"n_trials": N_TRIALS},
    "search_space": {"x": {"type": "float", "low": 0, "high": 1}},
}


def test_concurrent_clients_with_repeated_and_abandoned_asks(open_stack):
    stack = open_stack()
    study_id = stack.create_study(SPEC, start=False)

    log, threads = start_clients(stack, study_id, N_CLIENTS, double_rate=0.05, abandon_rate=0.01)
    join_clients(threads)

    stack.wait_study(study_id, "completed")  # only once every abandoned ask has expired
    assert not log.unanswered
    trials = assert_tells_stored_once(stack, study_id, log)
    assert len(trials) == N_TRIALS
    assert log.told_twice and all(status == 200 for _, status, _ in log.told_twice)
    stored = log.stored()
    assert all(value == stored[trial_id] for trial_id, _, value in log.told_twice)
    assert set(log.contradicted) == {409}, "a different value for a finished trial must be refused"
    assert log.abandoned, "with 1 % abandoned asks over this many trials, some should be abandoned"
    for trial_id in log.abandoned:
        assert trials[trial_id]["state"] == "failed" and trials[trial_id]["error"].startswith("worker lost")
    refused = {trial_id for trial_id, _, _, status in log.told if status != 200}
    for trial_id in refused:  # a client slower than the grace period lost its trial to the reaper
        assert trials[trial_id]["state"] == "failed" and trials[trial_id]["error"].startswith("worker lost")
    assert len(trials) == len(stored) + len(log.abandoned) + len(refused)
    stack.assert_invariants()
