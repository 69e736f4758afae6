"""R17: PostgreSQL restarted mid-study → the API and the pages answer 503 while it is down and
everything recovers without restarting anything; trials in flight are saved or retried,
never run twice at once; no trial is lost or duplicated.

The restart is real: the stack's database lives in a private cluster of this module's own
(`private_pg`, see private_pg.py), which the tests stop (`pg_ctl stop -m fast`: every
connection is cut, new ones are refused) and start again. The shared cluster the other
scenarios use is never touched.
"""

import threading
import time
from contextlib import contextmanager

import pytest

from .clients import assert_tells_stored_once, join_clients, start_clients
from .harness import overlapping_runs, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

OUTAGE_S = 5
POLL_INTERVAL_S = 0.2
SPACE = {"x": {"type": "float", "low": 0, "high": 1}, "sleep_s": {"type": "categorical", "choices": [0.5]}}
BUILT_IN = {"name": "built-in", "objective": {"kind": "function", "name": "sphere"},
            "budget": {"n_trials": 16, "parallelism": 2}, "search_space": SPACE}
EXTERNAL = {"name": "external", "objective": {"kind": "external"}, "budget": {"n_trials": 40},
            "grace_period_s": 60, "search_space": {"x": {"type": "float", "low": 0, "high": 1}}}


@pytest.fixture(scope="module")
def stack(open_private_stack):
    # Long enough limits for a trial that outlives several heartbeats and grace periods.
    return open_private_stack(env={"TUNER_TRIAL_SOFT_TIME_LIMIT_S": "15", "TUNER_TRIAL_HARD_TIME_LIMIT_S": "20"})


@contextmanager
def _server_down(private_pg):
    """Stop the cluster for the block, then start it again whatever happened in the block."""
    private_pg.stop()
    try:
        yield
    finally:
        private_pg.start()


def _outage(private_pg):
    """Stop the cluster for OUTAGE_S; return the (monotonic) window it was surely down."""
    with _server_down(private_pg):
        down_from = time.monotonic()
        time.sleep(OUTAGE_S)
        down_until = time.monotonic()
    return down_from, down_until


@contextmanager
def _polling(stack, study_id):
    """Read the study from a background thread for the block; yield the list of
    (sent, answered, status) it fills, times monotonic."""
    seen, done = [], threading.Event()

    def poll():
        while not done.is_set():
            for path in (f"/api/studies/{study_id}/", f"/api/studies/{study_id}/trials/"):
                sent = time.monotonic()
                status = stack.call("GET", path)[0]
                seen.append((sent, time.monotonic(), status))
            done.wait(POLL_INTERVAL_S)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        done.set()
        thread.join(30)


def _processes(stack):
    """Every long-lived process of the stack: masters, gunicorn workers and pool children."""
    return {proc.name: (proc.pid, sorted(proc.children())) for proc in (stack.web, stack.workers["w1"], stack.beat)}


def test_restart_answers_503_while_down_and_recovers_without_restarts(stack, private_pg):
    processes = _processes(stack)
    study_id = stack.create_study(BUILT_IN)
    external_id = stack.create_study(EXTERNAL, start=False)
    log, threads = start_clients(stack, external_id, 2)
    wait_for(lambda: sum(t["state"] == "complete" for t in stack.trials(study_id)) >= 3, 60,
             what="three trials done before the outage")

    with _polling(stack, study_id) as seen:
        down_from, down_until = _outage(private_pg)
        wait_for(lambda: stack.call("GET", f"/api/studies/{study_id}/")[0] == 200, 30, what="the API back")

    while_down = [status for sent, answered, status in seen if down_from <= sent and answered <= down_until]
    assert {status for _, _, status in seen} <= {200, 503}, seen
    assert while_down and set(while_down) == {503}, while_down
    join_clients(threads)
    stack.wait_study(study_id, "completed", timeout_s=120)
    assert all(proc.alive() for proc in (stack.web, stack.workers["w1"], stack.beat))
    assert _processes(stack) == processes, "nothing may be restarted to recover"
    assert {t["state"] for t in stack.trials(study_id)} == {"complete"}
    assert not log.unanswered
    assert len(assert_tells_stored_once(stack, external_id, log)) == EXTERNAL["budget"]["n_trials"]
    assert not overlapping_runs(stack.evaluations())
    stack.assert_invariants()


def test_trial_running_through_a_restart_runs_once(stack, private_pg):
    params = {"x": 0.25, "sleep_s": 8.0}
    space = {**SPACE, "sleep_s": {"type": "categorical", "choices": [params["sleep_s"]]}}
    spec = {**BUILT_IN, "name": "long trial", "budget": {"n_trials": 1}, "search_space": space}
    study_id = stack.create_study(spec, manual=[params])
    wait_for(lambda: stack.sql("SELECT count(*) FROM studies_trial WHERE study_id = %s AND state = 'running' "
                               "AND heartbeat_at > started_at + interval '1.5 seconds'", study_id)[0][0], 30,
             what="the trial running with heartbeats")

    private_pg.restart()

    restarted_at = stack.sql("SELECT now()")[0][0]
    wait_for(lambda: stack.sql("SELECT count(*) FROM studies_trial WHERE study_id = %s AND state = 'running' "
                               "AND heartbeat_at > %s", study_id, restarted_at)[0][0], 10,
             what="heartbeats reaching the restarted server")
    stack.wait_study(study_id, "completed", timeout_s=60)
    trial = stack.trials(study_id)[0]
    runs = [r for r in stack.evaluations() if r["params"] == params and r["event"] == "start"]
    assert not overlapping_runs(stack.evaluations())
    assert trial["state"] == "complete" and trial["attempts"] == 1 and len(runs) == 1, trial


def test_pages_answer_503_while_the_server_is_down(stack, private_pg):
    browser = stack.browser()
    study_id = stack.create_study({**BUILT_IN, "name": "page"}, start=False)
    paths = ("/", f"/studies/{study_id}/", f"/studies/{study_id}/live.json")

    with _server_down(private_pg):
        seen = [browser.get(path)[0] for path in paths]

    assert set(seen) == {503}, seen
    assert [browser.get(path)[0] for path in paths] == [200] * len(paths)
