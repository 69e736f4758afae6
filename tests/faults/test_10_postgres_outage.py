"""R17: the scenario's PostgreSQL database refuses connections for a while, and every
connection to it is cut (pg_terminate_backend; the shared cluster is never restarted) →
the API answers 503 during the outage and recovers without restarting anything; trials in
flight are saved or retried, never run twice at once; no trial is lost or duplicated."""

import time

import pytest

from .clients import assert_tells_stored_once, join_clients, start_clients
from .harness import admin_sql, overlapping_runs, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

OUTAGE_S = 5
SPACE = {"x": {"type": "float", "low": 0, "high": 1}, "sleep_s": {"type": "categorical", "choices": [0.5]}}
BUILT_IN = {"name": "built-in", "objective": {"kind": "function", "name": "sphere"},
            "budget": {"n_trials": 16, "parallelism": 2}, "search_space": SPACE}
EXTERNAL = {"name": "external", "objective": {"kind": "external"}, "budget": {"n_trials": 40},
            "grace_period_s": 60, "search_space": {"x": {"type": "float", "low": 0, "high": 1}}}


@pytest.fixture(scope="module")
def stack(open_module_stack):
    # Long enough limits for a trial that outlives several heartbeats and grace periods.
    return open_module_stack(env={"TUNER_TRIAL_SOFT_TIME_LIMIT_S": "15", "TUNER_TRIAL_HARD_TIME_LIMIT_S": "20"})


def _cut_connections(stack):
    admin_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
              f"WHERE datname = '{stack.database}' AND pid <> pg_backend_pid()")


def _outage(stack, study_id):
    """Refuse and cut connections for OUTAGE_S while reading; return the statuses seen."""
    admin_sql(f'ALTER DATABASE "{stack.database}" ALLOW_CONNECTIONS false')
    try:
        _cut_connections(stack)
        seen = []
        deadline = time.monotonic() + OUTAGE_S
        while time.monotonic() < deadline:
            seen.append(stack.call("GET", f"/api/studies/{study_id}/")[0])
            seen.append(stack.call("GET", f"/api/studies/{study_id}/trials/")[0])
            time.sleep(0.3)
    finally:
        admin_sql(f'ALTER DATABASE "{stack.database}" ALLOW_CONNECTIONS true')
    return seen


def test_database_outage_answers_503_and_recovers_without_restarts(stack):
    pids = {stack.web.pid, stack.workers["w1"].pid, stack.beat.pid}
    study_id = stack.create_study(BUILT_IN)
    external_id = stack.create_study(EXTERNAL, start=False)
    log, threads = start_clients(stack, external_id, 2)
    wait_for(lambda: sum(t["state"] == "complete" for t in stack.trials(study_id)) >= 3, 60,
             what="three trials done before the outage")

    seen = _outage(stack, study_id)

    assert 503 in seen and set(seen) <= {200, 503}, seen
    wait_for(lambda: stack.call("GET", f"/api/studies/{study_id}/")[0] == 200, 30, what="the API back")
    join_clients(threads)
    stack.wait_study(study_id, "completed", timeout_s=120)
    assert all(proc.alive() for proc in (stack.web, stack.workers["w1"], stack.beat))
    assert pids == {stack.web.pid, stack.workers["w1"].pid, stack.beat.pid}
    assert {t["state"] for t in stack.trials(study_id)} == {"complete"}
    assert not log.unanswered
    assert len(assert_tells_stored_once(stack, external_id, log)) == EXTERNAL["budget"]["n_trials"]
    assert not overlapping_runs(stack.evaluations())
    stack.assert_invariants()


def test_trial_running_while_connections_are_cut_runs_once(stack):
    params = {"x": 0.25, "sleep_s": 8.0}
    space = {**SPACE, "sleep_s": {"type": "categorical", "choices": [params["sleep_s"]]}}
    spec = {**BUILT_IN, "name": "long trial", "budget": {"n_trials": 1}, "search_space": space}
    study_id = stack.create_study(spec, manual=[params])
    wait_for(lambda: stack.sql("SELECT count(*) FROM studies_trial WHERE study_id = %s AND state = 'running' "
                               "AND heartbeat_at > started_at + interval '1.5 seconds'", study_id)[0][0], 30,
             what="the trial running with heartbeats")

    _cut_connections(stack)

    stack.wait_study(study_id, "completed", timeout_s=60)
    trial = stack.trials(study_id)[0]
    runs = [r for r in stack.evaluations() if r["params"] == params and r["event"] == "start"]
    assert not overlapping_runs(stack.evaluations())
    assert trial["attempts"] == 1 and len(runs) == 1


def test_pages_answer_503_while_the_database_is_down(stack):
    # Last in the module: the 500s it provokes stay out of the other tests' invariants.
    browser = stack.browser()
    study_id = stack.create_study({**BUILT_IN, "name": "page"}, start=False)
    admin_sql(f'ALTER DATABASE "{stack.database}" ALLOW_CONNECTIONS false')
    try:
        _cut_connections(stack)
        seen = [browser.get(path)[0] for path in ("/", f"/studies/{study_id}/", f"/studies/{study_id}/live.json")]
    finally:
        admin_sql(f'ALTER DATABASE "{stack.database}" ALLOW_CONNECTIONS true')

    assert set(seen) == {503}, seen
