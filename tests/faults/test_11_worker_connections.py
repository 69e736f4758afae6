"""Workers keep their PostgreSQL connection from one trial to the next (Celery's Django fixup
would open a new one per task; settings.CELERY_DB_REUSE_MAX says why that matters), and
still drop it when it breaks (scenario 10 restarts the server under them)."""

import pytest

from .harness import admin_sql

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

N_TRIALS = 60
SPEC = {"name": "many short trials", "objective": {"kind": "function", "name": "sphere"},
        "search_space": {"x": {"type": "float", "low": -1, "high": 1}},
        "budget": {"n_trials": N_TRIALS, "parallelism": 2}}


def _sessions_opened(stack):
    # Cumulative since the database was created; a session is counted once it has ended
    # or flushed its statistics, so a connection still open may not be counted yet.
    admin_sql("SELECT pg_stat_clear_snapshot()", stack.admin_url)
    return admin_sql(f"SELECT sessions FROM pg_stat_database WHERE datname = '{stack.database}'",
                     stack.admin_url)[0][0]


def test_a_worker_reuses_its_database_connection_across_trials(open_stack):
    stack = open_stack(beat=False)
    before = _sessions_opened(stack)

    study_id = stack.create_study(SPEC)
    stack.wait_study(study_id, "completed", timeout_s=120)

    opened = _sessions_opened(stack) - before
    # Two pool children and at most eight web threads hold one connection each; a connection
    # per trial would be 60 or more.
    assert opened < N_TRIALS // 3, f"{opened} database sessions for {N_TRIALS} trials"
