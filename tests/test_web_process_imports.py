"""What a web process imports before its first request: scikit-learn's model modules only when a model is built."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A web process as gunicorn_conf.post_worker_init loads it: Django set up, then every view.
_LOADED_SKLEARN_MODULES = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted({".".join(name.split(".")[:2]) for name in sys.modules if name.startswith("sklearn.")})))
"""

_MODEL_MODULES = {"sklearn.calibration", "sklearn.compose", "sklearn.datasets", "sklearn.dummy", "sklearn.ensemble",
                  "sklearn.impute", "sklearn.inspection", "sklearn.linear_model", "sklearn.model_selection",
                  "sklearn.neighbors", "sklearn.neural_network", "sklearn.pipeline", "sklearn.svm", "sklearn.tree"}


def test_a_web_process_loads_no_scikit_learn_model_module_before_a_model_is_built():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tuner_site.settings", "CELERY_BROKER_URL": "memory://"}
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", _LOADED_SKLEARN_MODULES], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)

    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))

    assert "sklearn.gaussian_process" in loaded  # the surrogate's kernels: the check below sees sklearn at all
    assert loaded & _MODEL_MODULES == set()
