"""R4: the web server killed (`kill -9` master and workers) and restarted, then reloaded
(HUP), while 8 ask/tell clients run → every tell the clients saw accepted is stored once."""

import signal

import pytest

from .clients import assert_tells_stored_once, join_clients, start_clients
from .harness import is_alive, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

N_CLIENTS = 8
N_TRIALS = 120
SPEC = {
    "name": "web server killed",
    "objective": {"kind": "external"},
    "budget": {"n_trials": N_TRIALS},
    # Longer than a restart on a loaded machine: this scenario is about lost replies, not leases.
    "grace_period_s": 60,
    "search_space": {"x": {"type": "float", "low": 0, "high": 1}},
}


def test_every_accepted_tell_is_stored_once_across_web_restarts(open_stack):
    stack = open_stack(workers=(), beat=False)
    study_id = stack.create_study(SPEC, start=False)
    log, threads = start_clients(stack, study_id, N_CLIENTS)
    wait_for(lambda: len(log.told) >= N_TRIALS // 4, 120, what="a quarter of the trials told")

    old = stack.web
    pids = [old.pid, *old.children()]
    old.kill_group()  # master and workers, mid-request
    wait_for(lambda: not any(is_alive(pid) for pid in pids), 10, what="the web server gone")
    stack.spawn_web()
    stack.wait_web()
    wait_for(lambda: len(log.told) >= N_TRIALS // 2, 120, what="half of the trials told")
    stack.web.popen.send_signal(signal.SIGHUP)  # to the master: a graceful reload of the workers
    join_clients(threads)

    assert not log.unanswered
    assert len(log.told) == N_TRIALS and all(status == 200 for *_, status in log.told)
    trials = assert_tells_stored_once(stack, study_id, log)
    assert len(trials) == N_TRIALS
    assert any(status is None for *_, status in stack.http_log.entries), "the kill should have cut some requests"
    stack.assert_invariants()
