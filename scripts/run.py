#!/usr/bin/env python
"""`make run`: prepare the database and static files, find or start a broker, then run the
web server and a Celery worker until Ctrl-C, which stops every process started here."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("TUNER_VAR_DIR", ROOT / "var"))
PYTHON = sys.executable
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def say(message):
    print(f"[tuner] {message}", flush=True)


def answers(url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def choose_broker(env, children):
    """Use REDIS_URL if it answers; else start redis-server; else Celery's filesystem transport."""
    wanted = env.get("REDIS_URL", DEFAULT_REDIS)
    if answers(wanted):
        say(f"broker: Redis at {wanted}")
        return
    if shutil.which("redis-server"):
        port = free_port()
        children.append(subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        ))
        url = f"redis://127.0.0.1:{port}/0"
        for _ in range(50):
            if answers(url):
                break
            time.sleep(0.1)
        env["REDIS_URL"] = env["CELERY_BROKER_URL"] = url
        say(f"broker: nothing answered at {wanted}; started redis-server at {url}")
        return
    env["CELERY_BROKER_URL"] = "filesystem://"
    say(f"broker: nothing answered at {wanted} and there is no redis-server binary; "
        f"using Celery's filesystem transport in {VAR / 'broker'}")


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _interrupt(*_):
    raise KeyboardInterrupt


def main():
    # Installed explicitly: a shell that starts us in the background leaves SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    env = dict(os.environ)
    children = []
    try:
        choose_broker(env, children)
        say(f"database: {env.get('DATABASE_URL', 'SQLite file ' + str(VAR / 'tuner.sqlite3'))}")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "ensure_admin")
        cores = str(os.cpu_count() or 1)
        address = f"127.0.0.1:{env.get('PORT', '8000')}"
        children.append(subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "tuner_site", "worker", "--concurrency", cores, "--loglevel", "INFO"],
            cwd=ROOT, env=env,
        ))
        children.append(subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "tuner_site", "beat", "--loglevel", "INFO",
             "--schedule", str(VAR / "celerybeat-schedule")],
            cwd=ROOT, env=env,
        ))
        children.append(subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "python:tuner_site.gunicorn_conf", "tuner_site.wsgi", "--bind", address,
             "--workers", "2", "--threads", "4", "--access-logfile", "-"],
            cwd=ROOT, env=env,
        ))
        wait_for_port(address)
        say(f"Tuner is running at http://{address}/  (Ctrl-C stops everything)")
        wait_for_exit(children)
    except KeyboardInterrupt:
        pass
    finally:
        stop(children)


def wait_for_port(address, timeout_s=60):
    """Return once the web server accepts connections, so the address we print works."""
    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)


def wait_for_exit(children):
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    say("a process exited; stopping the rest")


def stop(children):
    for child in reversed(children):
        if child.poll() is None:
            child.terminate()
    deadline = time.time() + 15
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.time(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
    say("stopped")


if __name__ == "__main__":
    main()
