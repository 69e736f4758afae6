"""The web process's peak memory while a study page opens as a browser opens it, without a browser.

gunicorn as bench/browser.py runs it (one worker, 4 threads, tuner_site/gunicorn_conf.py) serves
the 100,000-trial study that `bench/dashboard.py --database-url URL` built in PostgreSQL; each
round bumps the study's revision and clears the cache (what the first viewer after a change
meets), fetches the page, then its first live poll and its nine charts 4 at a time, then the
summary poll, and prints the worker's peak resident memory (VmHWM). With --before, the same
rounds are run against another checkout too, alternating.

    .venv/bin/python bench/web_memory.py --database-url postgres://postgres@127.0.0.1:5432/<db> \\
        [--before <checkout>] [--rounds 2] [--repeat 2] [--no-pandas]

--no-pandas hides pandas from the web process as if it were not installed: scikit-learn imports
it whenever it is, and only the benchmark requirements install it (about 30 MB).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from servers import wait_for

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHARTS = ["live.json?since=0", *(f"charts/{name}.json" for name in ("importance", "edf", "parallel", "slices", "rank")),
          "charts/contour.json?x=lr&y=momentum", "charts/curves.json", "charts/timeline.json"]
_NO_PANDAS = '''import sys


class _NoPandas:
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


sys.meta_path.insert(0, _NoPandas())
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--before", help="another checkout to measure in alternation")
    parser.add_argument("--rounds", type=int, default=2, help="page openings per server")
    parser.add_argument("--repeat", type=int, default=2, help="servers started per checkout")
    parser.add_argument("--no-pandas", action="store_true")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="tuner-web-memory-"))
    env = {**os.environ, "TUNER_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "tuner_site.settings",
           "CELERY_BROKER_URL": "memory://", "DATABASE_URL": args.database_url}
    if args.no_pandas:
        (var_dir / "sitecustomize.py").write_text(_NO_PANDAS)
        env["PYTHONPATH"] = str(var_dir)
    study_id, session = _session(env)
    roots = [("after", ROOT)] + ([("before", Path(args.before))] if args.before else [])
    try:
        for _ in range(args.repeat):
            for name, root in roots:
                start, peaks = _measure(root, env, var_dir, study_id, session, args.rounds)
                load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
                print(f"{name:6} at start {start:.0f} MB, peak after each opening "
                      f"{', '.join(f'{p:.0f}' for p in peaks)} MB (load {load})")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _session(env):
    script = ("import django; django.setup()\nfrom django.test import Client\nfrom studies.models import Study\n"
              "study = Study.objects.select_related('owner').filter(name__startswith='bench').order_by('-pk').first()\n"
              "client = Client(); client.force_login(study.owner)\nprint(study.pk, client.cookies['sessionid'].value)\n")
    out = subprocess.run([PYTHON, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    study_id, session = out.stdout.split()[-2:]
    return int(study_id), session


def _measure(root, env, var_dir, study_id, session, rounds):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "python:tuner_site.gunicorn_conf", "tuner_site.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/accounts/login/")
        start, peaks = _peak_mb(process), []
        for _ in range(rounds):
            _change(env, study_id)
            shutil.rmtree(var_dir / "cache", ignore_errors=True)
            page = f"/studies/{study_id}"
            _get(base, f"{page}/", session)
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda url: _get(base, f"{page}/{url}", session), CHARTS))
            _get(base, f"{page}/live.json?since={10**12}&summary=1", session)
            peaks.append(_peak_mb(process))
        return start, peaks
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _change(env, study_id):
    # What a trial that completes does to the page: a new revision.
    script = ("import django; django.setup()\nfrom django.db.models import F\nfrom studies.models import Study\n"
              f"Study.objects.filter(pk={study_id}).update(revision=F('revision') + 1)\n")
    subprocess.run([PYTHON, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True)


def _get(base, path, session):
    request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}",
                                                           "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.read()


def _peak_mb(process):
    """The peak resident memory of gunicorn's worker (the child of the arbiter), in MB."""
    worker = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()[0]
    status = Path(f"/proc/{worker}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


if __name__ == "__main__":
    main()
