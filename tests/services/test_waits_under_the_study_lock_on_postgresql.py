"""On PostgreSQL, once an ask or a tell holds the study lock, it waits for no answer of the server
until its COMMIT has gone out: its writes are held and sent in one message with the COMMIT
(locks.update_later, locks.insert_later), so every other asker of the study queues only for the
lock query's answer and the holder's own CPU. And what such a write does is what a waited-for one
did: the trial's id is known when the service returns, and a failed write rolls the block back."""

import pytest

from tests.live_servers import script_output_on_postgresql

pytestmark = pytest.mark.e2e  # real processes: a database of its own, a manage.py shell

SCRIPT = """
import json
import psycopg
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from studies.models import Study, Trial
from studies.services import locks, studies, trials

# A wait for the server's answer, in psycopg: results read (a fetch, a pipeline's sync or its end),
# or a statement or commit outside a pipeline, which reads its answer at once. One after which the
# transaction is still open was a wait under the lock; the one that ends it, and any after, not.
ANSWERED = {"_fetch_gen", "_sync_gen", "_exit_gen"}
ANSWERED_OUTSIDE_A_PIPELINE = {"_execute_gen", "_commit_gen"}
IDLE = psycopg.pq.TransactionStatus.IDLE
counting, waits = [False], []
real_wait, real_lock = psycopg.Connection.wait, locks._lock

def wait(self, gen, *args, **kwargs):
    name = getattr(getattr(gen, "gi_code", None), "co_name", "")
    answered = name in ANSWERED or (name in ANSWERED_OUTSIDE_A_PIPELINE and not self._pipeline)
    result = real_wait(self, gen, *args, **kwargs)
    if counting[0] and answered:
        if self.info.transaction_status == IDLE:
            counting[0] = False  # the COMMIT has been run: the lock is free
        else:
            waits[-1] += 1
    return result

def lock(*args, **kwargs):
    found = real_lock(*args, **kwargs)
    counting[0] = True  # from the lock query's answer on: the lock is held
    waits.append(0)
    return found

psycopg.Connection.wait, locks._lock = wait, lock

owner = get_user_model().objects.create_user("owner")
study = studies.create_study(owner, {"name": "s", "direction": "minimize", "sampler": {"name": "random", "seed": 1},
                                     "search_space": {"x": {"type": "float", "low": 0, "high": 1}},
                                     "objective": {"kind": "external"}, "budget": {"n_trials": 10}})
out = {}
trials.tell_trial(trials.ask_trial(study.pk).pk, value=0.5)  # the first ask starts the study (a write of its own)
waits.clear()
asked = trials.ask_trial(study.pk)
trials.tell_trial(asked.pk, value=1.0)
second = trials.ask_trial(study.pk)
result = trials.tell_and_ask(second.pk, value=2.0)
out["ask"], out["tell"], out["tell_and_ask"] = waits[0], waits[1], waits[3]
stored = Trial.objects.get(number=result.next_trial.number, study=study)
out["next_trial_id"] = result.next_trial.pk == stored.pk and stored.state == "running"
out["asked_id"] = Trial.objects.get(pk=asked.pk).number == asked.number

# A held write that fails (a number already taken) is raised where it is sent, with the COMMIT,
# and nothing of the block is kept: not the told outcome, not the revision.
third = trials.ask_trial(study.pk)
revision = Study.objects.get(pk=study.pk).revision
try:
    with locks.locked_study(trial_id=third.pk, trial_query=trials.TOLD_TRIAL) as locked:
        trials._finish(locked, locked.trial_rows[0], "complete", {"value": 3.0, "values": None, "error": ""})
        locks.update_later(locked, Trial.objects.filter(pk=third.pk), number=0)  # a number already taken
except IntegrityError:
    out["raised"] = True
out["rolled_back"] = [Trial.objects.get(pk=third.pk).state, Study.objects.get(pk=study.pk).revision == revision]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def seen():
    return script_output_on_postgresql(SCRIPT)


def test_an_ask_waits_for_no_answer_once_it_holds_the_lock(seen):
    assert seen["ask"] == 0


def test_a_tell_waits_for_no_answer_once_it_holds_the_lock(seen):
    assert seen["tell"] == 0


def test_a_tell_with_ask_next_waits_for_no_answer_once_it_holds_the_lock(seen):
    assert seen["tell_and_ask"] == 0


def test_a_trial_inserted_with_the_commit_has_its_id_when_the_service_returns(seen):
    assert seen["next_trial_id"] and seen["asked_id"]


def test_a_held_write_that_fails_rolls_the_block_back(seen):
    assert seen.get("raised") and seen["rolled_back"] == ["running", True]
