"""Shared fixtures: an owner and an outsider with API clients, and a real Celery worker process."""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Servers and workers the tests start share the machine's Redis with other test runs: their
# cache keys get a prefix of this run's own.
os.environ.setdefault("TUNER_CACHE_PREFIX", f"tuner-test-{uuid.uuid4().hex[:8]}")


# Fixtures that start real processes (a Celery worker, a web server, a browser, a fault stack): a
# file that uses one takes seconds a test, some a minute or two.
_PROCESS_FIXTURES = {"celery_worker_process", "live_server", "browser", "postgres_server", "sqlite_server",
                     "open_stack", "open_module_stack", "open_private_stack"}


def pytest_collection_modifyitems(config, items):
    """Files whose tests start real processes run first. `make test` hands out whole files in
    this order (`--dist loadfile --no-loadscope-reorder`), so the many short files fill the end
    and both processes finish together; by default xdist puts the files of fewest tests last,
    and a one-test file of two minutes started last left the other process idle."""
    slow = {item.path for item in items
            if item.get_closest_marker("e2e") or _PROCESS_FIXTURES.intersection(item.fixturenames)}
    items.sort(key=lambda item: item.path not in slow)  # stable: each file's tests keep their order


def pytest_sessionfinish(session):
    from tests import live_servers  # not at the top: it imports this module

    live_servers.drop_templates()


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test gets an empty in-process cache, so nothing one test caches (figures, throttle
    counts) leaks into the next (ids repeat between tests), and no test ever clears a Redis that
    others share."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are made (and log in) in most tests; the real hasher's deliberate slowness (a third of
    a second a hash) is not under test, and cost the suite minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _live_requests_end_with_their_test(request):
    """A test on the live server ends only once the server has answered every request its pages
    made: the server answers in threads of this process, and one still running when the database
    is emptied for the next test reads a study half gone, and its error surfaces in whichever test
    is then using the Django test client (which records any request's exception in the process)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.core.signals import request_finished, request_started

    request_started.connect(_answering, dispatch_uid="tests-live-answering")
    request_finished.connect(_answered, dispatch_uid="tests-live-answered")
    request.getfixturevalue("transactional_db")  # set up before this, so emptied after it
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:  # a test that failed half way
            context.close()
    deadline = time.monotonic() + 30
    while any(thread.is_alive() for thread in list(_ANSWERING)) and time.monotonic() < deadline:
        time.sleep(0.05)


# The live server's threads answering a request now. Not every thread the server has open: one
# holding a browser's idle keep-alive connection waits for a next request that may never come.
_ANSWERING = set()


def _answering(**kwargs):
    if threading.current_thread() is not threading.main_thread():  # the test client's own requests
        _ANSWERING.add(threading.current_thread())


def _answered(**kwargs):
    _ANSWERING.discard(threading.current_thread())


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("owner", password="owner-pass-123")


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("outsider", password="outsider-pass-123")


def _client_for(user):
    from rest_framework.test import APIClient

    from tests.api_keys import api_key_for

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


@pytest.fixture
def site(client, owner):
    """The owner logged in to the pages."""
    client.force_login(owner)
    return client


@pytest.fixture
def api(owner):
    """An API client authenticated with the owner's token."""
    return _client_for(owner)


@pytest.fixture
def outsider_api(outsider):
    return _client_for(outsider)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the test database and a private Redis queue."""
    from django.db import connection

    from tuner_site.celery import app

    queue = f"tuner-test-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "TUNER_QUEUE": queue,
        "TUNER_TRIAL_SOFT_TIME_LIMIT_S": "60",
        "TUNER_TRIAL_HARD_TIME_LIMIT_S": "90",
    }
    from django.conf import settings

    log_path = settings.VAR_DIR / f"worker-{queue}.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tuner_site", "worker", "-Q", queue, "-c", "2", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle", "--hostname", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_ready(app, queue, process, log_path)
        yield process
    finally:
        # A cold shutdown: a warm one (SIGTERM) waits for whatever trials the last tests left
        # running, up to their time limit, and nothing after the session needs them.
        process.send_signal(signal.SIGQUIT)
        stop_process(process, timeout_s=20)
        log.close()


def _database_url(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    return "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings_dict)


def _wait_until_ready(app, queue, process, log_path, timeout_s=60):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with code {process.returncode}; see {log_path}")
        if app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1):
            return
    raise RuntimeError("the Celery worker did not answer a ping within a minute")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test (Playwright allows one sync instance)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make browser` (part of `make test`) installs it")
    # Playwright's sync API runs an event loop; Django must not refuse the ORM under it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def stop_process(process, timeout_s=15):
    """Ask a child process to end (SIGTERM), and kill it if it has not within `timeout_s`."""
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for(predicate, timeout_s=120, interval_s=0.25):
    """Poll until predicate() is truthy; return its value or fail with the last one seen."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval_s)
    raise AssertionError(f"condition not met within {timeout_s} s")
