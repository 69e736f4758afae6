"""The web process's set-up in tuner_site/gunicorn_conf.py, which every deployment's gunicorn loads."""

import gc

from tuner_site import gunicorn_conf


def test_a_web_process_freezes_what_it_loaded_out_of_full_collections():
    gc.unfreeze()
    try:
        gunicorn_conf.post_worker_init(worker=None)

        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()
