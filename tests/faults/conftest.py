"""Fixtures for the fault-injection suite: a migrated template database and started stacks.

Each scenario gets its own PostgreSQL database (cloned from the template), its own Redis
server and queue, and its own gunicorn, Celery worker(s) and beat, all torn down after it.
The database lives in the shared cluster, except for a scenario that restarts PostgreSQL:
that one gets a private cluster (`private_pg`) and stacks on it (`open_private_stack`).
"""

import pytest

from .harness import PG_ADMIN_URL, Stack, admin_sql, create_template, drop_database
from .private_pg import ClusterUnavailable, PrivateCluster


def pytest_configure(config):
    config.addinivalue_line("markers", "faults: fault-injection scenario with real processes (tests/faults)")


@pytest.fixture(scope="session")
def fault_template():
    """(template database name, API token of its user)."""
    import psycopg

    try:
        admin_sql("SELECT 1")
    except psycopg.OperationalError as exc:  # no PostgreSQL on 127.0.0.1:5432: the suite cannot run here
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    name, token = create_template()
    try:
        yield name, token
    finally:
        drop_database(name)


def _stack_factory(template, base_dir, admin_url=PG_ADMIN_URL):
    stacks = []

    def _open(env=None, **start):
        stack = Stack(*template, base_dir / f"stack{len(stacks)}", env=env, admin_url=admin_url)
        stacks.append(stack)
        return stack.start(**start)

    return _open, stacks


def _close(stacks):
    for stack in stacks:
        stack.close()


@pytest.fixture
def open_stack(fault_template, tmp_path):
    """Factory: ``open_stack(env={...}, web=True, workers=(("w1", 2),), beat=True)`` → a started Stack."""
    factory, stacks = _stack_factory(fault_template, tmp_path)
    yield factory
    _close(stacks)


@pytest.fixture(scope="module")
def open_module_stack(fault_template, tmp_path_factory):
    """The same factory, for stacks shared by the tests of one module."""
    factory, stacks = _stack_factory(fault_template, tmp_path_factory.mktemp("faults"))
    yield factory
    _close(stacks)


@pytest.fixture(scope="module")
def private_pg():
    """A PostgreSQL cluster of the module's own, which its tests may stop, start and restart."""
    try:
        cluster = PrivateCluster.create()
    except ClusterUnavailable as exc:  # fail, not skip: every machine that runs the suite has PostgreSQL
        pytest.fail(f"cannot start a private PostgreSQL cluster: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def open_private_stack(private_pg, tmp_path_factory):
    """`open_module_stack`, on a database migrated in the module's `private_pg` cluster."""
    template = create_template(private_pg.admin_url)
    factory, stacks = _stack_factory(template, tmp_path_factory.mktemp("faults"), private_pg.admin_url)
    yield factory
    if not private_pg.running():  # a test that failed mid-outage; closing drops the database
        private_pg.start()
    _close(stacks)
