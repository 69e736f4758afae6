"""On PostgreSQL the study lock's query carries what used to be round trips of their own: the
commit without waiting for the disk (for the transaction the block opens) and the owner's
running trials that an ask counts against the cap."""

import pytest

from tests.live_servers import script_output_on_postgresql

pytestmark = pytest.mark.e2e  # real processes: a database of its own, a manage.py shell

SCRIPT = """
import json
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from studies.models import Study, Trial
from studies.services.locks import locked_study

def setting():
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]

SPACE = {"x": {"type": "float", "low": 0, "high": 1}}
owner = get_user_model().objects.create_user("owner")
other = get_user_model().objects.create_user("other")
def study(user):
    return Study.objects.create(owner=user, name="s", directions=["minimize"], search_space=SPACE, sampler={},
                                objective={"kind": "external"}, seed=0)
asked, busy, elsewhere = study(owner), study(owner), study(other)
for number, (where, state) in enumerate([(busy, "running"), (busy, "running"), (busy, "complete"),
                                         (elsewhere, "running")]):
    Trial.objects.create(study=where, number=number, params={}, state=state, revision=number)
out = {}
with locked_study(asked.pk, running_of_owner=True) as locked:
    out["inside"], out["running"] = setting(), locked.running_of_owner
    out["as_stored"] = locked.search_space == SPACE and locked.owner_id == owner.pk and locked.state == "created"
    out["clock"] = locked.db_now.tzinfo is not None and abs((locked.db_now - locked.created_at).total_seconds()) < 60
with locked_study(trial_id=Trial.objects.filter(study=busy).first().pk) as locked:
    out["by_trial"] = locked.pk == busy.pk
try:
    with locked_study(trial_id=10**9):
        pass
except Trial.DoesNotExist:
    out["no_trial"] = True
try:
    with locked_study(10**9):
        pass
except Study.DoesNotExist:
    out["no_study"] = True
out["after"] = setting()
with locked_study(elsewhere.pk, running_of_owner=True) as locked:
    out["running_elsewhere"] = locked.running_of_owner
Trial.objects.filter(study=elsewhere).delete()
with locked_study(elsewhere.pk, running_of_owner=True) as locked:
    out["running_none"] = locked.running_of_owner
with transaction.atomic():
    with locked_study(asked.pk):
        out["nested"] = setting()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def seen():
    return script_output_on_postgresql(SCRIPT)


def test_the_lock_s_own_transaction_commits_without_waiting_for_the_disk(seen):
    assert seen["inside"] == "off" and seen["after"] == "on"


def test_a_lock_inside_an_outer_transaction_keeps_its_commit_synchronous(seen):
    assert seen["nested"] == "on"


def test_the_lock_query_counts_the_owner_s_running_trials_across_their_studies(seen):
    assert seen["running"] == 2 and seen["running_elsewhere"] == 1


def test_the_locked_study_reads_as_stored_with_the_database_clock(seen):
    assert seen["as_stored"] and seen["clock"]


def test_a_trial_s_study_is_locked_and_a_missing_row_is_missing(seen):
    assert seen["by_trial"] and seen["no_trial"] and seen["no_study"]


def test_an_owner_with_nothing_running_counts_zero(seen):
    assert seen["running_none"] == 0
