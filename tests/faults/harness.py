"""Real processes for fault tests: PostgreSQL database, Redis, gunicorn, Celery worker and beat.

Every process is started here in its own session, so a signal sent to its process group
reaches that process and its children and nothing else on the machine. Databases are
cloned from a migrated template (one `CREATE DATABASE ... TEMPLATE`, no migrate per test),
Redis is a private `redis-server` on a free port, and the queue name is private too.
"""

import http.client
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests import live_servers
from tests.live_servers import PG_ADMIN_URL, admin_sql, drop_database, free_port, pg_url

ROOT = Path(__file__).resolve().parents[2]
USERNAME, PASSWORD = "fault", "fault-pass-123"
# The workers' Celery app. To try a proposed product fix without editing product code, point
# TUNER_FAULT_APP at a module that imports tests.faults.app and patches the fix in.
WORKER_APP = os.environ.get("TUNER_FAULT_APP", "tests.faults.app")

# Short timers so a scenario takes seconds (see RELIABILITY.md 3.1).
FAST_TIMERS = {
    "TUNER_GRACE_PERIOD_S": "3",
    "TUNER_HEARTBEAT_INTERVAL_S": "1",
    "TUNER_TRIAL_SOFT_TIME_LIMIT_S": "5",
    "TUNER_TRIAL_HARD_TIME_LIMIT_S": "8",
    "TUNER_VISIBILITY_TIMEOUT_S": "20",
    "TUNER_RECONCILE_INTERVAL_S": "2",
    "TUNER_RESEND_AFTER_S": "5",
    "TUNER_MAX_ATTEMPTS": "3",
}


def wait_for(predicate, timeout_s=60, interval_s=0.2, what="condition"):
    """Poll until predicate() is truthy and return its value; fail after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout_s} s (last value {value!r})")
        time.sleep(interval_s)


def slow_sphere(name, n_trials, parallelism=2, sleep_s=0.5):
    """A built-in study of the sphere function whose every trial sleeps `sleep_s`, so a fault lands mid-trial."""
    return {
        "name": name,
        "objective": {"kind": "function", "name": "sphere"},
        "budget": {"n_trials": n_trials, "parallelism": parallelism},
        "search_space": {"x": {"type": "float", "low": 0, "high": 1},
                         "sleep_s": {"type": "categorical", "choices": [sleep_s]}},
    }


def create_template(admin_url=PG_ADMIN_URL):
    """A migrated template database with the scenarios' user and its API token, in the cluster of
    admin_url (the shared one unless a scenario brings its own): (name, token)."""
    return live_servers.create_template(admin_url, USERNAME, PASSWORD)


def _children(pid):
    """Direct children of pid, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def is_alive(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class Proc:
    """A process this test started, in its own session (its pid is its process group).

    The process is reaped only in `stop()`, after the last signal to its group: until then
    its pid stays reserved (a zombie at worst), so the group id can never name a stranger.
    """

    def __init__(self, name, args, env, log_path):
        self.name, self.args, self.env, self.log_path = name, args, env, log_path
        self.log = open(log_path, "a")  # noqa: SIM115 - open for the process's whole life, closed in stop()
        self.popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        self.pid = self.popen.pid

    def children(self):
        return _children(self.pid)

    def alive(self):
        """Whether the process still runs; never reaps it (see the class docstring)."""
        if self.popen.returncode is not None:
            return False
        try:
            return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
        except ChildProcessError:
            return False

    def log_text(self):
        return Path(self.log_path).read_text(errors="replace")

    def kill_group(self, sig=signal.SIGKILL):
        """Signal the process and everything it started (its process group)."""
        if self.popen.returncode is not None:
            return  # reaped: the group id may belong to someone else by now
        try:
            os.killpg(self.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self, grace_s=3):
        if self.alive() and grace_s:
            self.kill_group(signal.SIGTERM)
            deadline = time.monotonic() + grace_s
            while self.alive() and time.monotonic() < deadline:
                time.sleep(0.1)
        self.kill_group(signal.SIGKILL)  # orphaned pool children keep the group id
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()


@dataclass
class HttpLog:
    """Every response status the test's clients saw (None: no answer at all)."""

    entries: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, method, path, status):
        with self.lock:
            self.entries.append((method, path, status))

    def server_errors(self):
        return [entry for entry in self.entries if entry[2] is not None and entry[2] >= 500 and entry[2] != 503]


class Browser:
    """The dashboard as a person sees it: log in through the form, then GET pages."""

    def __init__(self, stack):
        self.stack = stack
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = self.get("/accounts/login/")[1]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": csrf})
        status, page = self._send("POST", "/accounts/login/", data.encode())
        assert status == 200 and "logout" in page.lower(), (status, page[:500])

    def get(self, path):
        return self._send("GET", path)

    def _send(self, method, path, data=None):
        request = urllib.request.Request(self.stack.url + path, data=data, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                status, body = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
        except OSError as exc:
            status, body = None, repr(exc)
        self.stack.http_log.add(method, path, status)
        return status, body


class Stack:
    """One scenario's processes and database. Call `close()` (the fixture does).

    The database is cloned from `template` in the cluster of `admin_url`: the shared one,
    unless the scenario brings its own (see private_pg.py).
    """

    def __init__(self, template, token, tmp, env=None, admin_url=PG_ADMIN_URL):
        self.tmp, self.token, self.admin_url = Path(tmp), token, admin_url
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.killed_at = {}  # pid → time the test SIGKILLed it
        self.database = f"tuner_faults_{uuid.uuid4().hex[:8]}"
        admin_sql(f'CREATE DATABASE "{self.database}" TEMPLATE "{template}"', admin_url)
        self.queue = f"faults-{uuid.uuid4().hex[:8]}"
        self.redis_port = free_port()
        self.web_port = free_port()
        self.url = f"http://127.0.0.1:{self.web_port}"
        self.eval_log = self.tmp / "evaluations.jsonl"
        self.access_log = self.tmp / "access.log"
        self.http_log = HttpLog()
        self.procs = []
        self.redis = self.web = self.beat = None
        self.workers = {}
        self.env = {
            **os.environ,
            **FAST_TIMERS,
            "DATABASE_URL": pg_url(self.database, admin_url),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "TUNER_QUEUE": self.queue,
            "TUNER_VAR_DIR": str(self.tmp / "var"),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "FAULT_LOG": str(self.eval_log),
            "TUNER_LOG_LEVEL": "INFO",
            **(env or {}),
        }

    # -- processes -------------------------------------------------------------------

    def _spawn(self, name, args):
        proc = Proc(name, args, self.env, self.tmp / f"{name}.log")
        self.procs.append(proc)
        return proc

    def start_redis(self):
        self.redis = self._spawn("redis", [
            "redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--maxmemory-policy", "noeviction", "--dir", str(self.tmp),
        ])
        wait_for(self.redis_up, 20, what="redis answering PING")
        return self.redis

    def redis_up(self):
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def spawn_web(self):
        self.web = self._spawn("web", [
            sys.executable, "-m", "gunicorn", "-c", "python:tuner_site.gunicorn_conf", "tuner_site.wsgi",
            "--bind", f"127.0.0.1:{self.web_port}",
            "--workers", "2", "--threads", "4", "--preload", "--graceful-timeout", "5", "--timeout", "60",
            "--access-logfile", str(self.access_log), "--access-logformat", "%(m)s %(U)s %(s)s",
        ])
        return self.web

    def wait_web(self):
        wait_for(lambda: self._status("GET", "/api/studies/") == 200, 60, 0.3, what="gunicorn answering")

    def spawn_worker(self, name="w1", concurrency=2):
        worker = self._spawn(name, [
            sys.executable, "-m", "celery", "-A", WORKER_APP, "worker", "-Q", self.queue,
            "-c", str(concurrency), "--prefetch-multiplier", "1", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-n", f"{name}-{self.queue}@%h", "--loglevel", "INFO",
        ])
        self.workers[name] = worker
        return worker

    def wait_worker(self, worker, concurrency=2):
        wait_for(lambda: " ready." in worker.log_text() or not worker.alive(), 60, 0.3, what=f"{worker.name} ready")
        assert worker.alive(), worker.log_text()[-3000:]
        wait_for(lambda: len(worker.children()) >= concurrency, 30, what=f"{worker.name} pool children")

    def spawn_beat(self):
        self.beat = self._spawn("beat", [
            sys.executable, "-m", "celery", "-A", "tuner_site", "beat", "-s", str(self.tmp / "beat-schedule"),
            "--pidfile", str(self.tmp / "beat.pid"), "--loglevel", "INFO",
        ])
        return self.beat

    def start(self, web=True, workers=(("w1", 2),), beat=True):
        """Start Redis, then the web server, workers and beat side by side; wait until all are up."""
        self.start_redis()
        if web:
            self.spawn_web()
        started = [(self.spawn_worker(name, concurrency), concurrency) for name, concurrency in workers]
        if beat:
            self.spawn_beat()
        if web:
            self.wait_web()
        for worker, concurrency in started:
            self.wait_worker(worker, concurrency)
        return self

    def close(self):
        # The scenario is over and its record checked: no need for a graceful shutdown.
        if getattr(self, "_record", None) is not None:
            self._record.close()
        for proc in self.procs:
            proc.kill_group(signal.SIGKILL)
        for proc in self.procs:
            proc.stop(grace_s=0)
        drop_database(self.database, self.admin_url)

    # -- HTTP ------------------------------------------------------------------------

    def call(self, method, path, body=None, headers=None, timeout_s=30):
        """Send one request with the user's token; return (status, json body). No answer → (None, error)."""
        all_headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json", **(headers or {})}
        conn = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=timeout_s)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=all_headers)
            response = conn.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self.http_log.add(method, path, None)
            return None, repr(exc)
        finally:
            conn.close()
        self.http_log.add(method, path, status)
        try:
            return status, json.loads(raw or b"null")
        except ValueError:
            return status, raw.decode(errors="replace")

    def browser(self):
        """A logged-in session (cookies and CSRF) for the HTML pages and their JSON endpoints."""
        return Browser(self)

    def _status(self, method, path):
        return self.call(method, path)[0]

    def create_study(self, spec, start=True, manual=()):
        """Create a study (optionally enqueue manual params first), start it, return its id."""
        status, body = self.call("POST", "/api/studies/", spec)
        assert status == 201, body
        study_id = body["id"]
        for params in manual:
            status, trial = self.call("POST", f"/api/studies/{study_id}/trials/", {"params": params})
            assert status == 201, trial
        if start:
            status, body = self.call("POST", f"/api/studies/{study_id}/start/")
            assert status == 202, body
        return study_id

    # -- the record ------------------------------------------------------------------

    def sql(self, query, *args):
        """Read the record over one connection kept for the scenario, so the harness adds one
        database session however often it looks (test 11 counts the sessions Tuner opens); a
        connection cut by a database restart is opened again once."""
        import psycopg

        for attempt in (1, 2):
            if getattr(self, "_record", None) is None or self._record.closed:
                self._record = psycopg.connect(pg_url(self.database, self.admin_url), autocommit=True,
                                               connect_timeout=10)
            try:
                return self._record.execute(query, args).fetchall()
            except (psycopg.OperationalError, psycopg.InterfaceError):
                self._record.close()
                if attempt == 2:
                    raise

    def trials(self, study_id):
        """The study's trials as dicts, by number."""
        rows = self.sql(
            "SELECT id, number, state, params, value, error, attempts, origin FROM studies_trial "
            "WHERE study_id = %s ORDER BY number", study_id,
        )
        keys = ("id", "number", "state", "params", "value", "error", "attempts", "origin")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def study_state(self, study_id):
        return self.sql("SELECT state FROM studies_study WHERE id = %s", study_id)[0][0]

    def wait_study(self, study_id, state="completed", timeout_s=90):
        return wait_for(lambda: self.study_state(study_id) == state, timeout_s, 0.5,
                        what=f"study {study_id} {state} (trials {self._summary(study_id)})")

    def _summary(self, study_id):
        return [(t["number"], t["state"], t["attempts"]) for t in self.trials(study_id)]

    def kill(self, pid):
        """SIGKILL one process this test started (a pool child, say) and note when."""
        os.kill(pid, signal.SIGKILL)
        self.killed_at[pid] = time.time()

    def evaluations(self):
        """The fault objective's records: dicts with event ("start"/"end"), pid, params, t."""
        if not self.eval_log.exists():
            return []
        return [json.loads(line) for line in self.eval_log.read_text().splitlines() if line.strip()]

    def wait_evaluation_start(self, predicate=lambda record: True, timeout_s=30):
        return wait_for(lambda: next((r for r in self.evaluations() if r["event"] == "start" and predicate(r)), None),
                        timeout_s, 0.1, what="an evaluation to start")

    def access_server_errors(self):
        if not self.access_log.exists():
            return []
        errors = []
        for line in self.access_log.read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[-1].isdigit() and int(parts[-1]) >= 500 and int(parts[-1]) != 503:
                errors.append(line)
        return errors

    def assert_invariants(self, settle_s=30):
        """What must hold after every scenario: nothing left running, numbers unique and
        contiguous per study, and no answer in the 5xx range other than 503."""
        try:
            wait_for(lambda: self.sql("SELECT count(*) FROM studies_trial WHERE state = 'running'")[0][0] == 0,
                     settle_s, 0.5, what="no trial left running")
        except AssertionError as exc:
            # Which trials, and what the clients were answered, is what the reader needs to find the cause.
            left = self.sql("SELECT study_id, number, worker, attempts, request_key, started_at, heartbeat_at "
                            "FROM studies_trial WHERE state = 'running'")
            unusual = [entry for entry in self.http_log.entries if entry[2] is None or entry[2] >= 300]
            raise AssertionError(f"{exc}; running: {left}; answers other than 2xx: {unusual[-30:]}") from None
        for study_id, count, distinct, low, high in self.sql(
            "SELECT study_id, count(*), count(DISTINCT number), min(number), max(number) FROM studies_trial "
            "GROUP BY study_id"
        ):
            assert count == distinct, f"study {study_id}: duplicate trial numbers"
            assert (low, high) == (0, count - 1), f"study {study_id}: numbers {low}..{high} for {count} trials"
        next_numbers = self.sql(
            "SELECT s.id, s.next_number, count(t.id) FROM studies_study s LEFT JOIN studies_trial t "
            "ON t.study_id = s.id GROUP BY s.id, s.next_number"
        )
        for study_id, next_number, count in next_numbers:
            assert next_number == count, f"study {study_id}: next_number {next_number} but {count} trials"
        assert not self.http_log.server_errors(), self.http_log.server_errors()[:10]
        assert not self.access_server_errors(), self.access_server_errors()[:10]


def evaluations_of(records, params):
    """The start and end records of one params dict, in time order."""
    return [r for r in records if r["params"] == params]


def runs_of(records, killed_at=None):
    """Each evaluation as (params key, pid, start, end); end is its "end" record, else the
    time the test killed that pid, else infinity (it may still be going)."""
    killed_at = killed_at or {}
    runs = []
    ordered = sorted(records, key=lambda r: r["t"])
    for i, start in enumerate(ordered):
        if start["event"] != "start":
            continue
        end = next((r["t"] for r in ordered[i + 1:] if r["event"] == "end" and r["pid"] == start["pid"]
                    and r["params"] == start["params"]), None)
        if end is None:
            end = killed_at.get(start["pid"], float("inf"))
        runs.append((json.dumps(start["params"], sort_keys=True), start["pid"], start["t"], end))
    return runs


def overlapping_runs(records, killed_at=None):
    """Pairs of evaluations of the same params that ran at the same time."""
    runs = runs_of(records, killed_at)
    return [(a, b) for i, a in enumerate(runs) for b in runs[i + 1:]
            if a[0] == b[0] and a[2] < b[3] and b[2] < a[3]]
