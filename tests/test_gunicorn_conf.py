"""The web process's set-up in tuner_site/gunicorn_conf.py, which every deployment's gunicorn loads."""

import gc
import subprocess
import sys
from pathlib import Path

from tuner_site import gunicorn_conf


def test_a_web_process_freezes_what_it_loaded_out_of_full_collections():
    gc.unfreeze()
    try:
        gunicorn_conf.post_worker_init(worker=None)

        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()



def _served(path, monkeypatch):
    trims = []
    monkeypatch.setattr(gunicorn_conf, "release_free_memory", lambda: trims.append(path))
    gunicorn_conf.post_request(worker=None, req=None, environ={"PATH_INFO": path}, resp=None)
    return trims


def test_a_page_chart_or_advice_gives_the_memory_it_freed_back(monkeypatch):
    for path in ("/studies/7/", "/studies/7/charts/rank.json", "/studies/7/advice.json", "/studies/7/export.csv"):
        assert _served(path, monkeypatch) == [path]


def test_the_api_and_static_files_do_not_pay_for_a_trim(monkeypatch):
    for path in ("/api/studies/7/tell/", "/static/js/study.js"):
        assert _served(path, monkeypatch) == []


# A process frees 64 MB of small blocks but its last one, which keeps the heap's top in place.
_RESIDENT_AFTER_A_FREED_HEAP = """
import ctypes, sys
from pathlib import Path
from tuner_site import gunicorn_conf
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
def resident_mb():
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
blocks = [libc.malloc(16_000) for _ in range(4_000)]
for block in blocks:
    ctypes.memset(block, 1, 16_000)
for block in blocks[:-1]:
    libc.free(ctypes.c_void_p(block))
before = resident_mb()
if sys.argv[1] == "trim":
    assert gunicorn_conf.release_free_memory()
print(before - resident_mb())
"""


def _given_back_mb(setting):
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", _RESIDENT_AFTER_A_FREED_HEAP, setting], cwd=root,
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


def test_releasing_free_memory_gives_a_freed_heap_back_to_the_system():
    assert _given_back_mb("keep") < 8  # freed, the blocks stay resident: the check below sees a change

    assert _given_back_mb("trim") > 48
