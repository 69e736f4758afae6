"""`make run`'s launcher: it starts the product, prints the admin password once, and Ctrl-C stops
every process it started."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.live_servers import free_port

ROOT = Path(__file__).resolve().parent.parent



def _descendants(pid):
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                children = []
            found += children
            todo += children
    return found


@pytest.mark.e2e
def test_run_starts_the_product_and_ctrl_c_stops_everything(tmp_path):
    port = free_port()
    env = {**os.environ, "TUNER_VAR_DIR": str(tmp_path), "PORT": str(port), "TUNER_QUEUE": f"run-test-{port}"}
    env.pop("DATABASE_URL", None)
    # Its own process group, so a failing test can still take down everything it started.
    launcher = subprocess.Popen([sys.executable, "scripts/run.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines, children = [], []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("Tuner is running at" in line for line in lines):
            lines.append(launcher.stdout.readline())
        children = _descendants(launcher.pid)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30)

        launcher.send_signal(signal.SIGINT)
        rest = launcher.communicate(timeout=60)[0]
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)

    output = "".join(lines) + rest
    assert page.status == 200
    assert "password:" in output and "username: admin" in output
    assert "broker: Redis at" in output
    assert len(children) >= 3, "a worker, beat and the web server"
    assert "[tuner] stopped" in output
    time.sleep(1)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()], "every started process has exited"
