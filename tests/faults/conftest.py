"""Fixtures for the fault-injection suite: a migrated template database and started stacks.

Each scenario gets its own PostgreSQL database (cloned from the template), its own Redis
server and queue, and its own gunicorn, Celery worker(s) and beat, all torn down after it.
"""

import pytest

from .harness import Stack, admin_sql, create_template, drop_database


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


def _stack_factory(template, base_dir):
    stacks = []

    def _open(env=None, **start):
        stack = Stack(*template, base_dir / f"stack{len(stacks)}", env=env)
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
