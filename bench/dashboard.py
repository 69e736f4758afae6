"""Dashboard speed at scale: a 10,000- or 100,000-trial study, 8 params, 10 intermediate values each.

Builds the study (bench/study_data.py) in a throw-away SQLite database, then times every page
and JSON endpoint through Django's test client (server time, no network, no browser),
and prints time, bytes as sent to a browser that accepts gzip, and query count with the
ratio to the targets of issues 4 and 15. With --optuna, writes the same trials into an
Optuna storage and times optuna-dashboard's JSON over HTTP beside them.

    .venv/bin/python bench/dashboard.py [--trials 100000] [--repeat 3] [--optuna] [--database postgres]
        [--gunicorn [--product-venv [PATH]]]

Charts are timed cold (the per-revision cache is cleared before each run), which is what
the first viewer after a change pays; so are the rows named "first opening after a change".
With --database postgres the study is built in a throw-away PostgreSQL database on
127.0.0.1:5432 (dropped at the end) instead of SQLite. The last column is the bench process's
peak resident memory (VmHWM) after each request, which only grows: where it jumps, that
request raised the peak. With --gunicorn the same requests go over HTTP to a real web process
instead (gunicorn with tuner_site/gunicorn_conf.py as `make run` starts it, one worker of 4
threads so that every request reaches it), and the peak is that worker's; times then include
HTTP on localhost, and queries are not counted. With --product-venv PATH as well, that worker runs
in a virtualenv built from requirements.txt alone (created at PATH, by default
$TUNER_VAR_DIR/product-venv, when it is missing): the product's own environment, where this
bench's venv also holds what requirements-dev.txt and requirements-bench.txt install
(pandas among them, which scikit-learn imports whenever it is installed). The first lines of
the output name the environment the measured process runs in.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TUNER_VAR_DIR", tempfile.mkdtemp(prefix="tuner-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuner_site.settings")
os.environ.pop("DATABASE_URL", None)
# A private cache (files in the throw-away var dir): charts are timed cold by clearing the cache,
# and clearing a Redis cache would flush a Redis that other Tuners, their queues included, share.
os.environ["CELERY_BROKER_URL"] = "memory://"

OPTUNA_TIMEOUT_S = 300
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGETS = {"page": (0.300, None), "chart": (0.500, 2_000_000), "table": (0.200, None), "poll": (0.050, None)}


def measure(client, url, repeat, before=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if isinstance(client, _Gunicorn):
        return client.measure(url, repeat, before)
    times, size, n_queries = [], 0, 0
    for _ in range(repeat):
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            size, head = _consume(response)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code, head)
        n_queries = len(queries)
    return statistics.median(times), size, n_queries


def _consume(response):
    """(bytes sent, the first 300 of them): a streamed body is counted chunk by chunk, as a socket
    would take it, so that the bench process's peak memory is the server's, not a client's copy
    of the whole export (joined, it held the 5 MB twice)."""
    if not response.streaming:
        return len(response.content), response.content[:300]
    size, head = 0, b""
    for chunk in response.streaming_content:
        head = head or chunk[:300]
        size += len(chunk)
    return size, head


def peak_mb(pid="self"):
    """A process's peak resident memory so far (VmHWM), in MB: this one's unless a pid is given."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def postgres_database():
    """A throw-away PostgreSQL database: (its URL, a function that drops it)."""
    import uuid

    import psycopg

    name = f"bench_dashboard_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgres://postgres@127.0.0.1:5432/{name}", drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--optuna", action="store_true", help="also time optuna-dashboard on the same trials")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", help="an existing database to use and keep (the study is built there "
                        "once, and read again by later runs: before and after a change, on the same rows)")
    parser.add_argument("--gunicorn", action="store_true", help="send the requests to a gunicorn web process "
                        "(one worker, 4 threads) and print its peak memory instead of this process's")
    parser.add_argument("--product-venv", nargs="?", const="", metavar="PATH",
                        help="with --gunicorn: run the worker in a virtualenv of requirements.txt alone, built at "
                        "PATH (default $TUNER_VAR_DIR/product-venv) if missing")
    args = parser.parse_args()
    if args.product_venv is not None and not args.gunicorn:
        parser.error("--product-venv needs --gunicorn: the bench's own process runs in the bench's venv")
    warnings.filterwarnings("ignore", message="No directory at")
    drop = None
    if args.database_url:
        os.environ["DATABASE_URL"], args.database = args.database_url, "postgres"
    elif args.database == "postgres":
        os.environ["DATABASE_URL"], drop = postgres_database()
    try:
        run(args)
    finally:
        if drop is not None:
            drop()


def build(args, optuna_path):
    """Build the study in a child process, so that building it (a million report rows in memory)
    does not count in this process's peak memory; returns (study id, Optuna's study id or None)."""
    import subprocess

    script = ("import sys; sys.path.insert(0, %r)\n"
              "from bench import study_data\n"
              "study_data.setup_django()\n"
              "from studies.models import Study\n"
              "found = Study.objects.filter(name=f'bench {%d:,}').order_by('pk').first() if %r else None\n"
              "if found is not None: print(found.pk, None); sys.exit()\n"
              "study, user, optuna_id = study_data.build_study(%d, %d, %r)\n"
              "print(study.pk, optuna_id)\n") % (str(ROOT), args.trials, bool(args.database_url) and not optuna_path,
                                                   args.trials, args.reports, optuna_path)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True)
    study_id, optuna_id = out.stdout.split()[-2:]
    return int(study_id), None if optuna_id == "None" else int(optuna_id)


def run(args):
    from bench import study_data

    started = time.perf_counter()
    optuna_path = Path(os.environ["TUNER_VAR_DIR"]) / "optuna.sqlite3" if args.optuna else None
    study_id, optuna_id = build(args, optuna_path)
    # Django alone: the child that built the study made the tables (migrate), which a web server
    # never runs in its own process either (`make run` migrates first, in a process of its own).
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from django.db.models import F

    from studies.models import Study

    study = Study.objects.select_related("owner").get(pk=study_id)
    user = study.owner
    where = "PostgreSQL" if args.database == "postgres" else f"SQLite, {os.environ['TUNER_VAR_DIR']}"
    print(f"built study #{study.pk}: {args.trials:,} trials × {len(study_data.SPACE)} params × {args.reports} reports "
          f"in {time.perf_counter() - started:.1f} s ({where})\n")
    _keep_figures(study.pk)
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(user)
    python = sys.executable
    if args.product_venv is not None:
        python = product_python(Path(args.product_venv or Path(os.environ["TUNER_VAR_DIR"]) / "product-venv"))
    print(f"measured process: {'a gunicorn worker' if args.gunicorn else 'this bench process'}, "
          f"{describe_environment(python)}\n")
    if args.gunicorn:
        client = _Gunicorn(client.cookies["sessionid"].value, python)
    base = f"/studies/{study.pk}"
    def change():
        # What a trial that completes does to the page: a new revision (the summary and the
        # counts are recomputed; the importance is kept until the complete trials grow a tenth).
        Study.objects.filter(pk=study.pk).update(revision=F("revision") + 1)

    cases = [("page", "study page, cache cold", f"{base}/", cache.clear),
             ("page", "study page, first opening after a change", f"{base}/", change),
             ("page", "study page HTML", f"{base}/", None), ("page", "studies list HTML", "/", None),
             ("poll", "live poll + summary, first after a change", f"{base}/live.json?since={study.revision}&summary=1",
              change)]
    for name in ("parallel", "slices", "rank", "contour", "curves", "edf", "timeline", "importance"):
        cases.append(("chart", f"chart: {name}", f"{base}/charts/{name}.json?x=lr&y=optimizer", cache.clear))
    cases += [
        ("table", "trial table, page 1 by number", f"{base}/trials.json", None),
        ("table", "trial table, sorted by a param + filtered", f"{base}/trials.json?sort=params.lr&dir=desc&min_depth=4&state=complete", None),
        ("table", "trial table, two ticked choices", f"{base}/trials.json?params.optimizer=adam&params.optimizer=sgd", None),
        ("table", "trial table, page 150 sorted by value", f"{base}/trials.json?sort=value&page=150", None),
        ("table", "trial table, last page by number", f"{base}/trials.json?page={args.trials // 50}", None),
        ("poll", "live poll, nothing new", f"{base}/live.json?since={study.revision}", None),
        (None, "live poll, first load (20,000 points)", f"{base}/live.json?since=0", None),
        (None, "export CSV (streamed)", f"{base}/export.csv", None),
        (None, "advice (surrogate fit), cold", f"{base}/advice.json", cache.clear),
    ]
    print(f"{'request':44} {'median ms':>10} {'target':>8} {'ratio':>6} {'bytes sent':>11} {'queries':>8} {'peak MB':>8}")
    try:
        print(f"{'(before the first request)':44} {'':>10} {'':>8} {'':>6} {'':>11} {'':>8} {client_peak(client):8.0f}")
        for kind, label, url, before in cases:
            seconds, size, n_queries = measure(client, url, args.repeat, before)
            _row(label, seconds, TARGETS.get(kind, (None, None))[0], size, n_queries, client_peak(client))
    finally:
        if isinstance(client, _Gunicorn):
            client.stop()
    print("\ntargets: page < 300 ms, chart < 500 ms and < 2,000,000 bytes, table page < 200 ms, "
          "live poll < 50 ms (ratio < 1 meets them); bytes as sent to a browser that accepts gzip")
    if optuna_id is not None:
        _optuna_dashboard(optuna_path, optuna_id, args)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average while measuring: {load} on {os.cpu_count()} cores (timings scale with it)")


def product_python(venv):
    """The Python of a virtualenv holding requirements.txt alone, built at `venv` if missing
    (from this Python's own interpreter, so both run the same version): the packages a
    deployment installs, none of requirements-dev.txt's or requirements-bench.txt's."""
    import subprocess

    python = venv / "bin" / "python"
    if not python.exists():
        print(f"building the product's venv at {venv} (pip install -r requirements.txt; once)...", flush=True)
        subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(ROOT / "requirements.txt")],
                       check=True)
    return str(python)


def describe_environment(python):
    """Which environment a Python runs in, in words: its venv, how many packages it holds, and
    whether pandas is among them (scikit-learn imports it when it is: ~30 MB of a web process)."""
    import subprocess

    script = ("import sys, importlib.metadata as m, importlib.util as u\n"
              "print(sys.prefix, len({d.metadata['Name'].lower() for d in m.distributions()}), "
              "bool(u.find_spec('pandas')))")
    prefix, n_packages, pandas = subprocess.run([python, "-c", script], check=True, capture_output=True,
                                                text=True).stdout.split()
    which = ("the product's own venv (requirements.txt alone)" if Path(prefix) != Path(sys.prefix)
             else "the bench's venv (requirements, -dev and -bench)")
    return (f"in {which}: {prefix}, {n_packages} packages, pandas "
            f"{'installed (scikit-learn imports it)' if pandas == 'True' else 'not installed'}")


def client_peak(client):
    """The peak resident memory (MB) of the process that serves the requests."""
    return peak_mb(client.worker) if isinstance(client, _Gunicorn) else peak_mb()


class _Gunicorn:
    """A gunicorn web process serving this checkout, as `make run` starts it (tuner_site/gunicorn_conf.py)
    but with one worker of 4 threads, so that every request reaches the process whose memory is read;
    requests go over HTTP on localhost with the session of `session_id`, one at a time."""

    def __init__(self, session_id, python=sys.executable):
        import socket
        import subprocess

        from servers import wait_for

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [python, "-m", "gunicorn", "-c", "python:tuner_site.gunicorn_conf", "tuner_site.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.url, self.session_id = f"http://127.0.0.1:{port}", session_id
        wait_for(f"{self.url}/accounts/login/", self.process)
        self.worker = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()[0]

    def measure(self, url, repeat, before=None):
        """(median seconds, bytes sent, "—"): as `measure`, over HTTP; the body read as a socket takes it."""
        import urllib.request

        times, size = [], 0
        for _ in range(repeat):
            if before:
                before()
            request = urllib.request.Request(self.url + url, headers={"Cookie": f"sessionid={self.session_id}",
                                                                      "Accept-Encoding": "gzip"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=600) as response:
                size = 0
                while chunk := response.read(65536):
                    size += len(chunk)
            times.append(time.perf_counter() - started)
        return statistics.median(times), size, "—"

    def stop(self):
        import signal

        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def _keep_figures(study_id):
    """What a worker does within a minute of a large study's last change (`services/figures.py`):
    its figures kept in the database, where a page opened with the cache cold reads them. In a
    child process, as a worker would (and out of this process's peak memory); a checkout
    without it (an earlier main, timed by this script) skips it."""
    import subprocess

    script = ("import sys, time; sys.path.insert(0, %r)\n"
              "from bench import study_data\n"
              "study_data.setup_django()\n"
              "try:\n    from studies.services import figures\n"
              "except ImportError:\n    sys.exit()\n"
              "started = time.perf_counter()\n"
              "figures.keep_figures(%d)\n"
              "print(f'figures kept in the database (the worker job) in {time.perf_counter() - started:.1f} s')\n"
              ) % (str(ROOT), study_id)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True)
    if out.stdout.strip():
        print(out.stdout.strip() + "\n")


def _row(label, seconds, target_s, size, n_queries, peak=None):
    ratio = f"{seconds / target_s:.2f}" if target_s else "—"
    target = f"{target_s * 1000:.0f}" if target_s else "—"
    peak = f"{peak:8.0f}" if peak is not None else ""
    print(f"{label:44} {seconds * 1000:10.1f} {target:>8} {ratio:>6} {size:11,} {n_queries:>8} {peak}")


def _optuna_dashboard(path, study_id, args):
    """optuna-dashboard on the same trials, over HTTP on localhost (its server, its in-memory cache)."""
    import urllib.request

    with serve_optuna_dashboard(path) as url:
        api = f"{url}/api/studies/{study_id}"
        print(f"\noptuna-dashboard {_optuna_dashboard_version()} on the same trials (HTTP on localhost; "
              "it draws every chart in the browser from the whole study's JSON)")
        print(f"{'request':44} {'median ms':>10} {'target':>8} {'ratio':>6} {'bytes sent':>11} {'queries':>8}")
        for label, target, query, repeat in (
            ("study JSON, first load (cold cache)", None, f"{api}", 1),
            ("study JSON, again (its cache warm)", None, f"{api}", 1),
            ("live poll, nothing new (?after=N)", TARGETS["poll"][0], f"{api}?after={args.trials}", 1),
            ("param importances", TARGETS["chart"][0], f"{api}/param_importances", 1),
        ):
            times = []
            for _ in range(repeat):
                request = urllib.request.Request(query, headers={"Accept-Encoding": "gzip"})
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=OPTUNA_TIMEOUT_S) as response:
                        body = response.read()
                except TimeoutError:
                    print(f"{label:44} no answer within {OPTUNA_TIMEOUT_S} s")
                    return
                except OSError as exc:  # it ran out of memory or closed the connection
                    print(f"{label:44} failed: {exc!r}")
                    return
                times.append(time.perf_counter() - started)
            _row(label, statistics.median(times), target, len(body), "—")


def _optuna_dashboard_version():
    import optuna_dashboard

    return optuna_dashboard.__version__


class serve_optuna_dashboard:
    """`with serve_optuna_dashboard(path) as url:` optuna-dashboard's own server on a free port."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        import socket
        import subprocess
        import urllib.request

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [str(Path(sys.executable).parent / "optuna-dashboard"), f"sqlite:///{self.path}",
                   "--host", "127.0.0.1", "--port", str(port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/api/meta", timeout=5).read()
                return url
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("optuna-dashboard did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


if __name__ == "__main__":
    main()
