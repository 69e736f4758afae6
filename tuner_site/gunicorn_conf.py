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


# glibc's mallopt parameter for the number of malloc arenas (malloc.h).
_M_ARENA_MAX = -8


def post_worker_init(worker):
    """Give the process one malloc arena, load every view, then keep what the process has loaded
    out of the garbage collector's full collections.

    A web process holds about 210,000 objects once its views are loaded (Django, DRF, numpy,
    scipy, scikit-learn), nearly all of them alive until it exits. Each full collection walked
    them all: 150-280 ms on this 2-core machine, 500-680 ms when it is busy, during which no
    thread of the process runs, so a request holding a study's row lock held it that long and
    every asker of the study waited behind it (bench/README.md, issue 15, sixth round).
    Frozen, they are never walked again (a full collection then takes under a millisecond);
    objects made later are collected as before.
    """
    one_malloc_arena()
    from django.urls import get_resolver

    get_resolver().url_patterns  # imports the views, and the services and engine behind them
    gc.collect()  # what loading left as garbage goes now, not frozen for ever
    gc.freeze()


def one_malloc_arena():
    """Have glibc's malloc serve every thread of this process from one arena; True if it was set.

    By default each thread that allocates gets an arena of its own (up to 8 per core), and each
    arena keeps the high-water mark of the requests its thread served: a worker's 4 threads took
    turns at the advice's fit, the charts and the live poll, and the process held each one's
    peak at once, 256 MB after the advice at 100,000 trials against 244 MB with one arena
    (bench/README.md, issue 15, eighth round). The threads take the GIL to run Python anyway, so
    one arena's lock costs them little. Called before the request threads start: a thread's first
    allocation picks its arena. Elsewhere (musl, macOS) nothing is set.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return mallopt(_M_ARENA_MAX, 1) == 1
