"""How many statements an ask and a tell cost once the client's token is known to the process:
the figure behind REST throughput (bench/README.md, issue 15), on SQLite and PostgreSQL. Each
one listed, so an added look-up shows here first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import known_tokens

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db


# What the lock query carries on PostgreSQL (the owner's running trials, the first waiting
# trial) and SQLite reads with a statement of its own.
_NOT_IN_THE_LOCK = () if connection.vendor == "postgresql" else ("SELECT",)


@pytest.fixture
def warm_api(api):
    known_tokens._kept.clear()
    ask(api, create(api))  # the client's token is kept from the second use on
    return api


def _statements(call):
    with CaptureQueriesContext(connection) as seen:
        result = call()
    verbs = [query["sql"].split()[0] for query in seen.captured_queries]
    # Transaction control (BEGIN, or savepoints inside the test's transaction) is left out.
    return result, [verb for verb in verbs if verb in ("SELECT", "INSERT", "UPDATE", "DELETE")]


def test_an_ask_reads_the_owner_counts_running_trials_locks_inserts_and_writes_the_counters(warm_api):
    study_id = create(warm_api)
    ask(warm_api, study_id)

    _, statements = _statements(lambda: ask(warm_api, study_id))

    # the study's owner (authorisation), the owner's running trials, the lock, the first
    # waiting trial (both in the lock query on PostgreSQL), the new trial, the study's counters
    assert statements == ["SELECT", *_NOT_IN_THE_LOCK, "SELECT", *_NOT_IN_THE_LOCK, "INSERT", "UPDATE"]


def test_a_tell_locks_the_study_and_the_trial_and_writes_both(warm_api):
    study_id = create(warm_api)
    trial = ask(warm_api, study_id)

    _, statements = _statements(lambda: tell(warm_api, trial["id"], value=1.0))

    # the lock (whose study row authorises), the trial (and whether it has files: none, so the
    # answer lists them without a query), its outcome, the study's counters
    assert statements == ["SELECT", "SELECT", "UPDATE", "UPDATE"]


def test_a_tell_with_ask_next_costs_the_tell_and_the_ask_with_one_lock_and_one_counters_write(warm_api):
    study_id = create(warm_api)
    trial = ask(warm_api, study_id)

    response, statements = _statements(lambda: tell(warm_api, trial["id"], value=1.0, ask_next=True))

    assert response.data["next_trial"] is not None
    # the owner's running trials, the lock (whose study row authorises), the told trial (and
    # whether it has files), its outcome, the first waiting trial, the next trial, the study's
    # counters; on PostgreSQL the lock query carries the running trials and the first waiting one
    assert statements == [*_NOT_IN_THE_LOCK, "SELECT", "SELECT", "UPDATE", *_NOT_IN_THE_LOCK, "INSERT", "UPDATE"]
