"""A large study's figures kept by a worker while eight clients ask and tell at once through a real
web server on PostgreSQL: with the cache cold, the kept count folded forward says what counting
every trial afresh says."""

import json
import subprocess
import sys
import threading

import pytest

from tests.concurrency.test_parallel_ask_tell import N_CLIENTS, _call
from tests.conftest import ROOT

N_TRIALS = 160
N_AFTER = 4  # told once the worker stopped keeping, so the last kept count is folded forward

# The worker's job over and over, while the clients run (studies of any size have figures kept here).
KEEP = """
from studies.services import figures, read
read.KEPT_FROM = 1
n = 0
while not os.path.exists({stop!r}):
    n += figures.keep_figures({study_id})
print(n)
"""

CHECK = """
import json
from django.core.cache import cache
from studies.models import Study, StudyFigures
from studies.services import read
read.KEPT_FROM = 1

def said():
    cache.clear()  # a file cache of this process's own
    study = Study.objects.get(pk={study_id})
    facts = read.summary_facts(study, "minimize", 10, 0.1, 3, 1000, names=["x"])
    figures = {{name: value for name, value in vars(read.summarize(study)).items()
               if name.startswith(("n_", "facts_", "value_", "excluded_"))}}
    return figures, facts

kept = StudyFigures.objects.get(study_id={study_id}).revision
folded = said()
StudyFigures.objects.all().delete()
recounted = said()
print(json.dumps({{"same": folded == recounted, "kept": kept, "revision": Study.objects.get(pk={study_id}).revision,
                  "n_pruned": recounted[0]["facts_n_pruned"], "n_complete": recounted[0]["facts_n_complete"]}}))
"""


def _script(server, tmp_path, text):
    # The file cache in a directory of its own: clearing it clears no Redis that others share.
    env = {**server.env, "CELERY_BROKER_URL": "memory://", "TUNER_VAR_DIR": str(tmp_path / "keeper")}
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", text], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]


def _tell_until(server, study_id, told, n_trials):
    """Ask and tell (a pruned trial in every 5, a failed one in every 7) until `n_trials` are told."""
    while len(told) < n_trials:
        status, body = _call(server, "POST", f"/api/studies/{study_id}/ask/")
        if status == 503:
            continue
        assert status == 201, body
        number, x = body["number"], body["params"]["x"]
        result = {"state": "pruned"} if number % 5 == 4 else {"state": "failed"} if number % 7 == 6 else {"value": x}
        status, _ = _call(server, "POST", f"/api/trials/{body['id']}/tell/", result)
        while status == 503:
            status, _ = _call(server, "POST", f"/api/trials/{body['id']}/tell/", result)
        told.append(number)


@pytest.mark.e2e
def test_kept_figures_folded_forward_say_what_a_recount_says(postgres_server, tmp_path):
    status, body = _call(postgres_server, "POST", "/api/studies/", {
        "name": "kept", "objective": {"kind": "external"}, "budget": {"n_trials": N_TRIALS + N_AFTER + N_CLIENTS},
        "search_space": {"x": {"type": "float", "low": 0, "high": 1}, "y": {"type": "float", "low": 0, "high": 1}},
    })
    assert status == 201, body
    study_id, stop, told = body["id"], tmp_path / "stop", []
    keeper = threading.Thread(target=lambda: _script(postgres_server, tmp_path, KEEP.format(stop=str(stop),
                                                                                            study_id=study_id)))
    keeper.start()
    clients = [threading.Thread(target=_tell_until, args=(postgres_server, study_id, told, N_TRIALS))
               for _ in range(N_CLIENTS)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=600)
    stop.touch()
    keeper.join(timeout=600)
    _tell_until(postgres_server, study_id, told, len(told) + N_AFTER)

    seen = json.loads(_script(postgres_server, tmp_path, CHECK.format(study_id=study_id)))

    assert seen["same"]
    assert seen["kept"] < seen["revision"]  # the kept count was folded forward
    assert seen["n_pruned"] > 0 and seen["n_complete"] > 0
