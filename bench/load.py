"""Load figures for issue 7, beside Optuna's RDB storage, measured side by side in one run.

For SQLite and for PostgreSQL (127.0.0.1:5432, a fresh database each):
  1. end-to-end trials per second of a trivial objective through Celery + Redis with one worker
     of 2 processes, beside Optuna running the same objective in 2 processes on RDBStorage;
  2. trials per second through the REST API (gunicorn, 2 processes x 4 threads) with 8 client
     threads, with p50/p95 latency of a trial's requests, both ways: an ask and a tell per trial,
     and one tell with `ask_next` per trial (it hands out the next trial); beside 8 Optuna
     processes doing study.ask()/study.tell() on RDBStorage, talking to the database directly;
  3. peak RSS of the web and worker processes during the run, and of the web processes while a
     10,000-trial study is open in the dashboard.

    .venv/bin/python bench/load.py [--trials 400] [--pairs 800] [--databases sqlite,postgres] [--parts celery,rest]

Optuna comes from requirements-bench.txt; it is never a runtime dependency.
"""

import argparse
import http.cookiejar
import json
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-Pass-123"


# ---------------------------------------------------------------- processes and memory

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree_pids(pid):
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
    return pids


def rss_mb(pid):
    """RSS of each process in the tree, in MB (largest first)."""
    sizes = []
    for each in tree_pids(pid):
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return sorted(sizes, reverse=True)


class PeakRss:
    """Samples the largest single-process RSS in a tree every 0.2 s."""

    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.2):
            sizes = rss_mb(self.pid)
            if sizes:
                self.peak = max(self.peak, sizes[0])

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak


# ---------------------------------------------------------------- databases

def new_database(kind, tmp):
    if kind == "sqlite":
        return f"sqlite:///{tmp}/tuner.sqlite3", f"sqlite:///{tmp}/optuna.sqlite3", lambda: None
    import psycopg

    ours, theirs = f"bench_tuner_{uuid.uuid4().hex[:6]}", f"bench_optuna_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{ours}"')
        conn.execute(f'CREATE DATABASE "{theirs}"')

    def drop():
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{ours}" WITH (FORCE)')
            conn.execute(f'DROP DATABASE IF EXISTS "{theirs}" WITH (FORCE)')

    return (f"postgres://postgres@127.0.0.1:5432/{ours}",
            f"postgresql+psycopg://postgres@127.0.0.1:5432/{theirs}", drop)


# ---------------------------------------------------------------- Tuner side

class Tuner:
    def __init__(self, database_url, tmp, web_workers=2, web_threads=4):
        self.queue = f"bench-{uuid.uuid4().hex[:6]}"
        self.env = {**os.environ, "DATABASE_URL": database_url, "TUNER_VAR_DIR": str(tmp), "TUNER_QUEUE": self.queue,
                    "DJANGO_SUPERUSER_PASSWORD": PASSWORD, "TUNER_MAX_RUNNING_PER_USER": "100000",
                    "TUNER_LOG_LEVEL": "ERROR", "PYTHONWARNINGS": "ignore"}
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("createsuperuser", "--noinput", "--username", "bench", "--email", "b@example.com")
        self.token = self.manage("create_api_token", "bench", "--name", "bench").strip()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:tuner_site.gunicorn_conf", "tuner_site.wsgi",
             "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(web_workers), "--threads", str(web_threads), "--log-level", "warning"],
            cwd=ROOT, env=self.env)
        self.worker = None
        self._wait_web()

    def manage(self, *args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def _wait_web(self):
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url + "/accounts/login/", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def start_worker(self):
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tuner_site", "worker", "-Q", self.queue, "-c", "2",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(6)

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.url + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": f"Token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read() or b"null")

    def stop(self):
        for process in (self.worker, self.web):
            if process:
                process.terminate()
                process.wait(timeout=30)


def tuner_celery_throughput(tuner, n_trials):
    study = tuner.call("POST", "/api/studies/", {
        "name": "trivial", "objective": {"kind": "function", "name": "sphere"}, "sampler": {"name": "random"},
        "search_space": {"x1": {"type": "float", "low": -5, "high": 5}, "x2": {"type": "float", "low": -5, "high": 5}},
        "budget": {"n_trials": n_trials, "parallelism": 2}})
    worker_peak = PeakRss(tuner.worker.pid)
    started = time.perf_counter()
    tuner.call("POST", f"/api/studies/{study['id']}/start/")
    while tuner.call("GET", f"/api/studies/{study['id']}/")["state"] != "completed":
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    return n_trials / elapsed, worker_peak.stop()


def tuner_ask_tell(tuner, n_pairs, n_clients, combined=False):
    """Trials per second through REST, and p50/p95 of a trial's requests, with 8 client threads.

    Two requests per trial (an ask, then a tell), or with `combined` one: a tell with
    `ask_next` that hands out the client's next trial (after one ask for its first trial).
    """
    study = tuner.call("POST", "/api/studies/", {
        "name": "ask-tell", "objective": {"kind": "external"}, "budget": {"n_trials": n_pairs},
        "sampler": {"name": "random"},  # the same sampler as Optuna's side, so storage is what is compared
        "search_space": {"x": {"type": "float", "low": -5, "high": 5}}})
    latencies, lock = [], threading.Lock()

    def ask():
        try:
            return tuner.call("POST", f"/api/studies/{study['id']}/ask/")
        except urllib.error.HTTPError as error:
            if error.code == 409:
                return None
            raise

    def client():
        trial = None
        while True:
            begin = time.perf_counter()
            trial = trial or ask()
            if trial is None:
                return
            body = {"value": trial["params"]["x"] ** 2, **({"ask_next": True} if combined else {})}
            answer = tuner.call("POST", f"/api/trials/{trial['id']}/tell/", body)
            with lock:
                latencies.append(time.perf_counter() - begin)
            trial = answer.get("next_trial") if combined else None
            if combined and trial is None and answer["no_next_trial"]["status"] == 409:
                return

    web_peak = PeakRss(tuner.web.pid)
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(n_clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, _pct(latencies, 50), _pct(latencies, 95), web_peak.stop()


def tuner_dashboard_memory(tuner, n_trials):
    """Peak web RSS while the study page and its charts of a 10,000-trial study are fetched."""
    code = f"""
import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone
from studies.models import Study, Trial, TrialReport
owner = get_user_model().objects.get(username="bench")
space = {{f"p{{i}}": {{"type": "float", "low": 0, "high": 1}} for i in range(8)}}
study = Study.objects.create(owner=owner, name="big", directions=["minimize"], search_space=space,
    sampler={{"name": "random"}}, objective={{"kind": "external"}}, seed=0, n_trials={n_trials}, state="completed",
    next_number={n_trials}, revision={n_trials})
rng = np.random.default_rng(0); now = timezone.now()
trials = [Trial(study=study, number=n, params={{k: float(rng.random()) for k in space}}, value=float(rng.random()),
    state="complete", revision=n + 1, started_at=now, finished_at=now) for n in range({n_trials})]
Trial.objects.bulk_create(trials, batch_size=2000)
ids = list(Trial.objects.filter(study=study).values_list("pk", flat=True))
TrialReport.objects.bulk_create([TrialReport(trial_id=t, step=s, value=float(s)) for t in ids for s in range(10)],
    batch_size=5000)
print(study.pk)
"""
    study_id = tuner.manage("shell", "-c", code).strip().splitlines()[-1]
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(tuner.url + "/accounts/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode()
    opener.open(urllib.request.Request(tuner.url + "/accounts/login/", data=form,
                                       headers={"Referer": tuner.url + "/accounts/login/"}))
    web_peak = PeakRss(tuner.web.pid)
    paths = [f"/studies/{study_id}/", f"/studies/{study_id}/trials.json", f"/studies/{study_id}/live.json?since=0"]
    from_charts = subprocess.run([sys.executable, "-c", "from dashboard.charts import CHARTS; print(' '.join(CHARTS))"],
                                 cwd=ROOT, env=tuner.env, capture_output=True, text=True).stdout.split()
    paths += [f"/studies/{study_id}/charts/{name}.json" for name in from_charts]
    for _ in range(2):
        for path in paths:
            try:
                opener.open(tuner.url + path, timeout=300).read()
            except urllib.error.HTTPError:
                pass
    return web_peak.stop()


# ---------------------------------------------------------------- Optuna side

def _sphere(trial):
    return trial.suggest_float("x1", -5, 5) ** 2 + trial.suggest_float("x2", -5, 5) ** 2


def _optuna_optimize(storage, name, n_trials):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler())
    study.optimize(_sphere, n_trials=n_trials)


def _optuna_ask_tell(storage, name, n_pairs, out):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler())
    latencies = []
    try:
        for _ in range(n_pairs):
            begin = time.perf_counter()
            trial = study.ask()
            study.tell(trial, trial.suggest_float("x", -5, 5) ** 2)
            latencies.append(time.perf_counter() - begin)
    finally:
        # A process that fails (SQLite's "database is locked" on a busy machine) still reports the
        # pairs it did, so the parent does not wait for it for ever; its traceback shows above the table.
        out.put(latencies)


def optuna_throughput(storage, n_trials, n_processes):
    import optuna

    optuna.create_study(study_name="trivial", storage=storage)
    processes = [multiprocessing.Process(target=_optuna_optimize, args=(storage, "trivial", n_trials // n_processes))
                 for _ in range(n_processes)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return n_trials / (time.perf_counter() - started)


def optuna_ask_tell(storage, n_pairs, n_clients):
    import optuna

    optuna.create_study(study_name="ask-tell", storage=storage)
    out = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=_optuna_ask_tell, args=(storage, "ask-tell", n_pairs // n_clients, out))
                 for _ in range(n_clients)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    latencies = [value for _ in processes for value in out.get()]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, _pct(latencies, 50), _pct(latencies, 95)


def _pct(values, q):
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else float("nan")


# ---------------------------------------------------------------- main

def run(kind, args):
    with tempfile.TemporaryDirectory(prefix="tuner-load-") as tmp:
        ours, theirs, drop = new_database(kind, tmp)
        tuner = Tuner(ours, tmp, args.web_workers, args.web_threads)
        try:
            nan = float("nan")
            tps, worker_mb, optuna_tps = nan, nan, nan
            pairs, p50, p95, web_mb, o_pairs, o_p50, o_p95 = (nan,) * 7
            one, one_p50, one_p95, one_mb = (nan,) * 4
            if "celery" in args.parts:
                tuner.start_worker()
                tps, worker_mb = tuner_celery_throughput(tuner, args.trials)
                optuna_tps = optuna_throughput(theirs, args.trials, 2)
            if "rest" in args.parts:
                pairs, p50, p95, web_mb = tuner_ask_tell(tuner, args.pairs, args.clients)
                one, one_p50, one_p95, one_mb = tuner_ask_tell(tuner, args.pairs, args.clients, combined=True)
                web_mb = max(web_mb, one_mb)
                o_pairs, o_p50, o_p95 = optuna_ask_tell(theirs, args.pairs, args.clients)
            dash_mb = tuner_dashboard_memory(tuner, args.dashboard_trials) if kind == args.dashboard_on else None
        finally:
            tuner.stop()
            drop()
    return {"kind": kind, "tps": tps, "optuna_tps": optuna_tps, "pairs": pairs, "p50": p50, "p95": p95,
            "one": one, "one_p50": one_p50, "one_p95": one_p95, "optuna_pairs": o_pairs, "optuna_p50": o_p50, "optuna_p95": o_p95,
            "worker_mb": worker_mb, "web_mb": web_mb, "dashboard_mb": dash_mb}


def report(rows):
    print("\n| database | Tuner trials/s (Celery, 2 procs) | Optuna trials/s (2 procs) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['kind']} | {r['tps']:.1f} | {r['optuna_tps']:.1f} | {r['tps'] / r['optuna_tps']:.2f}x |")
    print("\n| database | Tuner trials/s, ask + tell (REST, 8 clients) | p50 / p95 ms | Tuner trials/s, tell with "
          "ask_next | p50 / p95 ms | Optuna ask+tell/s (8 procs) | p50 / p95 ms | ratio, 2 requests | ratio, 1 request |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['kind']} | {r['pairs']:.1f} | {r['p50'] * 1e3:.0f} / {r['p95'] * 1e3:.0f} | {r['one']:.1f} | "
              f"{r['one_p50'] * 1e3:.0f} / {r['one_p95'] * 1e3:.0f} | {r['optuna_pairs']:.1f} | "
              f"{r['optuna_p50'] * 1e3:.0f} / {r['optuna_p95'] * 1e3:.0f} | {r['pairs'] / r['optuna_pairs']:.2f}x | "
              f"{r['one'] / r['optuna_pairs']:.2f}x |")
    print("\n| database | peak RSS, one worker process | peak RSS, one web process | web RSS with a 10,000-trial dashboard open |")
    print("| --- | ---: | ---: | ---: |")
    for r in rows:
        dash = f"{r['dashboard_mb']:.0f} MB" if r["dashboard_mb"] else "—"
        print(f"| {r['kind']} | {r['worker_mb']:.0f} MB (target < 400) | {r['web_mb']:.0f} MB (target < 250) | {dash} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=400)
    parser.add_argument("--pairs", type=int, default=800)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--web-threads", type=int, default=4, help="gunicorn threads per process")
    parser.add_argument("--dashboard-trials", type=int, default=10_000)
    parser.add_argument("--dashboard-on", default="postgres", choices=["sqlite", "postgres"])
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--parts", default="celery,rest,dashboard", help="comma-separated: celery, rest, dashboard")
    args = parser.parse_args()
    kinds = [kind for kind in ("sqlite", "postgres") if kind in args.databases.split(",")]
    if args.dashboard_on not in kinds:
        args.dashboard_on = kinds[-1]
    if "dashboard" not in args.parts:
        args.dashboard_on = None
    report([run(kind, args) for kind in kinds])


if __name__ == "__main__":
    main()
