"""gunicorn settings every deployment uses: `gunicorn -c python:tuner_site.gunicorn_conf tuner_site.wsgi`.

Only what must hold everywhere is here; bind, workers and log files stay on the command line.
"""

import ctypes
import gc

from gunicorn.glogging import Logger

from tuner_site.logmask import mask_share_tokens


class MaskingLogger(Logger):
    """gunicorn's logger, with share-link tokens masked in every access-log field (request
    line, path, query, referer, headers), so `--access-logfile` never records a working link."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_share_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = MaskingLogger


def post_worker_init(worker):
    """Load every view, then keep what the process has loaded out of the garbage collector's
    full collections.

    A web process holds about 210,000 objects once its views are loaded (Django, DRF, numpy,
    scipy, scikit-learn), nearly all of them alive until it exits. Each full collection walked
    them all: 150-280 ms on this 2-core machine, 500-680 ms when it is busy, during which no
    thread of the process runs, so a request holding a study's row lock held it that long and
    every asker of the study waited behind it (bench/README.md, issue 15, sixth round).
    Frozen, they are never walked again (a full collection then takes under a millisecond);
    objects made later are collected as before.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # imports the views, and the services and engine behind them
    gc.collect()  # what loading left as garbage goes now, not frozen for ever
    gc.freeze()


def post_request(worker, req, environ, resp):
    """After a page, chart, export or advice (not the API, not a static file), give the memory
    it freed back to the system.

    glibc's malloc gives each thread that allocates an arena of its own and keeps what a request
    freed in its thread's arena; a worker's 4 threads took turns at the advice's fit, the first
    live poll and the charts, and the process held the peak of each at once (bench/README.md,
    issue 15, eighth round: the figures, and why the lazy imports measured beside this were
    reverted). One arena for every thread held less but cost the API's tells 5-25% of their
    throughput; the API's small requests free little, and skip this. Runs after the answer is sent.
    """
    if not environ.get("PATH_INFO", "").startswith(_NOT_TRIMMED):
        release_free_memory()


_NOT_TRIMMED = ("/api/", "/static/")


def release_free_memory():
    """Return the free memory of every malloc arena to the system (glibc's malloc_trim); False
    where there is no such call (musl, macOS) or nothing was returned. 0.2 ms on a web process."""
    trim = getattr(_LIBC, "malloc_trim", None)
    return bool(trim and trim(0))


_LIBC = ctypes.CDLL(None)
