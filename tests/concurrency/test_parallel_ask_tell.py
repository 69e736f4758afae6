"""Eight ask/tell clients at once through a real web server: numbers stay unique and gapless."""

import json
import threading
import urllib.error
import urllib.request

import pytest

N_CLIENTS = 8
N_TRIALS = 240


def _call(server, method, path, body=None):
    request = urllib.request.Request(
        server.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {server.token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _create_study(server):
    status, body = _call(server, "POST", "/api/studies/", {
        "name": "race", "objective": {"kind": "external"}, "budget": {"n_trials": N_TRIALS},
        "search_space": {"x": {"type": "float", "low": 0, "high": 1}},
    })
    assert status == 201, body
    return body["id"]


def _client(server, study_id, told, statuses):
    while True:
        status, body = _call(server, "POST", f"/api/studies/{study_id}/ask/")
        statuses.append(status)
        if status == 409:
            return
        if status == 503:
            continue
        assert status == 201, body
        value = body["params"]["x"]
        status, _ = _call(server, "POST", f"/api/trials/{body['id']}/tell/", {"value": value})
        while status == 503:
            status, _ = _call(server, "POST", f"/api/trials/{body['id']}/tell/", {"value": value})
        statuses.append(status)
        told.append((body["number"], value))


def _hammer(server):
    study_id = _create_study(server)
    told, statuses = [], []
    threads = [threading.Thread(target=_client, args=(server, study_id, told, statuses)) for _ in range(N_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    status, trials = _call(server, "GET", f"/api/studies/{study_id}/trials/?page_size=1000")
    return told, statuses, trials["results"]


@pytest.mark.e2e
def test_parallel_clients_on_postgresql_get_unique_gapless_numbers(postgres_server):
    told, statuses, trials = _hammer(postgres_server)

    numbers = sorted(t["number"] for t in trials)
    assert numbers == list(range(N_TRIALS))
    assert sorted(n for n, _ in told) == numbers
    stored = {t["number"]: t["value"] for t in trials}
    assert all(stored[number] == value for number, value in told)
    assert not [s for s in statuses if s >= 500 and s != 503]


@pytest.mark.e2e
def test_parallel_clients_on_sqlite_never_duplicate_and_never_500(sqlite_server):
    told, statuses, trials = _hammer(sqlite_server)

    numbers = sorted(t["number"] for t in trials)
    assert numbers == list(range(len(numbers)))
    assert len(set(n for n, _ in told)) == len(told)
    assert not [s for s in statuses if s >= 500 and s != 503]
