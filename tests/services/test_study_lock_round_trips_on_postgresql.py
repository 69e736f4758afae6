"""On PostgreSQL, what the study lock sends with its own round trips: a tell's trial read with the
lock query (yet after the lock is held), and the counters' write with the COMMIT."""

import pytest

from tests.live_servers import script_output_on_postgresql

pytestmark = pytest.mark.e2e  # real processes: a database of its own, a manage.py shell

SCRIPT = """
import json, threading, time
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from studies.models import Study, Trial
from studies.services.locks import bump_revision, locked_study
from studies.services.trials import TOLD_TRIAL

owner = get_user_model().objects.create_user("owner")
study = Study.objects.create(owner=owner, name="s", directions=["minimize"], sampler={}, seed=0,
                             search_space={"x": {"type": "float", "low": 0, "high": 1}}, objective={"kind": "external"})
trial = Trial.objects.create(study=study, number=0, params={"x": 0.5}, state="running", revision=1)
out, held = {"revision_at_start": study.revision}, threading.Event()

def holder():
    with locked_study(study.pk) as locked:
        held.set()
        time.sleep(0.5)  # the other thread's lock query waits meanwhile
        Trial.objects.filter(pk=trial.pk).update(state="complete", value=7.0, revision=bump_revision(locked))
    connection.close()

thread = threading.Thread(target=holder)
thread.start()
held.wait()
with locked_study(trial_id=trial.pk, trial_query=TOLD_TRIAL) as locked:
    seen = locked.trial_rows[0]
    out["read_after_the_lock"] = [seen.state, seen.value, seen.has_files]
thread.join()

with locked_study(study.pk) as locked:
    bump_revision(locked)
    transaction.on_commit(lambda: Study.objects.get(pk=study.pk).save(update_fields=["updated_at"]))
    out["hooks"] = len(connection.run_on_commit)
study.refresh_from_db()
out["revision"] = study.revision
with locked_study(study.pk) as locked:
    bump_revision(locked)
study.refresh_from_db()
out["revision_again"] = study.revision
try:
    with locked_study(trial_id=10**9, trial_query=TOLD_TRIAL):
        pass
except Trial.DoesNotExist:
    out["no_trial"] = True
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def seen():
    return script_output_on_postgresql(SCRIPT)


def test_a_trial_read_with_the_lock_query_sees_what_the_lock_s_last_holder_committed(seen):
    assert seen["read_after_the_lock"] == ["complete", 7.0, False]


def test_a_trial_read_with_the_lock_query_of_a_missing_trial_is_missing(seen):
    assert seen["no_trial"]


def test_the_counters_written_with_the_commit_are_committed(seen):
    assert seen["revision_again"] == seen["revision_at_start"] + 3


def test_a_block_with_commit_hooks_commits_and_its_hooks_may_write(seen):
    assert seen["hooks"] == 1 and seen["revision"] == seen["revision_at_start"] + 2
