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


# Four threads allocate at once, then glibc's malloc_info lists the arenas that served them.
_ARENAS_AFTER_FOUR_THREADS = """
import ctypes, sys, tempfile, threading
from tuner_site import gunicorn_conf
if sys.argv[1] == "one":
    assert gunicorn_conf.one_malloc_arena()
barrier = threading.Barrier(4)
def allocate():
    barrier.wait()
    kept = [ctypes.create_string_buffer(4096) for _ in range(100)]
    barrier.wait()
threads = [threading.Thread(target=allocate) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
with tempfile.NamedTemporaryFile(suffix=".xml") as out:
    stream = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, ctypes.c_void_p(stream))
    libc.fclose(ctypes.c_void_p(stream))
    print(open(out.name).read().count("<heap nr="))
"""


def _arenas_after_four_threads(setting):
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", _ARENAS_AFTER_FOUR_THREADS, setting], cwd=root,
                         capture_output=True, text=True, check=True)
    return int(out.stdout)


def test_a_web_process_serves_its_threads_from_one_malloc_arena():
    assert _arenas_after_four_threads("default") > 1  # the check below can see more than one

    assert _arenas_after_four_threads("one") == 1
