"""Eight clients telling with ask_next at once through a real web server on PostgreSQL (2 processes
of 4 threads): the told trial is read with the study's lock query and the counters' write goes
with the COMMIT (studies/services/locks.py), and still every trial is told once, numbers are
gapless and no two changes share a revision."""

import threading

import pytest

from .test_parallel_ask_tell import N_CLIENTS, N_TRIALS, _call, _create_study


def _client(server, study_id, told, statuses):
    status, trial = _call(server, "POST", f"/api/studies/{study_id}/ask/")
    statuses.append(status)
    while status != 409 and trial is not None:
        assert status in (200, 201), trial
        value = trial["params"]["x"]
        status, answer = _call(server, "POST", f"/api/trials/{trial['id']}/tell/", {"value": value, "ask_next": True})
        statuses.append(status)
        if status == 503:
            continue  # the same tell again: it hands out the same next trial
        assert status == 200, answer
        told.append((trial["number"], value))
        trial = answer["next_trial"]


@pytest.mark.e2e
def test_parallel_tells_with_ask_next_on_postgresql_keep_numbers_and_revisions_whole(postgres_server):
    study_id = _create_study(postgres_server)
    told, statuses = [], []
    threads = [threading.Thread(target=_client, args=(postgres_server, study_id, told, statuses))
               for _ in range(N_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    _, page = _call(postgres_server, "GET", f"/api/studies/{study_id}/trials/?page_size=1000")
    _, study = _call(postgres_server, "GET", f"/api/studies/{study_id}/")
    trials = page["results"]
    numbers = sorted(t["number"] for t in trials)
    assert numbers == list(range(N_TRIALS))
    assert sorted(n for n, _ in told) == numbers
    stored = {t["number"]: t["value"] for t in trials}
    assert all(stored[number] == value for number, value in told)
    revisions = [t["revision"] for t in trials]
    assert len(set(revisions)) == N_TRIALS
    assert study["revision"] == max(revisions) == 2 * N_TRIALS
    assert not [s for s in statuses if s >= 500 and s != 503]
