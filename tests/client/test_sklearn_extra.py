"""scikit-learn is an optional extra of the client: the core never loads it, and the extra's
module says how to install it when it is missing."""

import os
import subprocess
import sys
from pathlib import Path

import tuner_client

CLIENT_DIR = str(Path(tuner_client.__file__).resolve().parents[1])


def _python(code):
    # The same tuner_client as the tests import (this checkout's), in a fresh interpreter.
    env = {**os.environ, "PYTHONPATH": CLIENT_DIR}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_importing_the_client_loads_neither_scikit_learn_nor_numpy():
    done = _python(
        "import sys, tuner_client, tuner_client.agent\n"
        "print(sorted(name for name in ('sklearn', 'numpy', 'scipy') if name in sys.modules))"
    )

    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr


def test_without_scikit_learn_the_extra_says_how_to_install_it():
    done = _python(
        "import sys\n"
        "sys.modules['sklearn'] = None  # as if scikit-learn were not installed\n"
        "try:\n"
        "    import tuner_client.sklearn\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )

    assert 'pip install "tuner-client[sklearn]"' in done.stdout, done.stderr
