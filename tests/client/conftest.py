import pytest

from tests.client.fixtures import (  # noqa: F401  (fixtures shared with tests/agent)
    make_study,
    server,
    start_agent,
    token,
    write_script,
)


@pytest.fixture(autouse=True)
def _no_heartbeat_outlives_its_test():
    # A test may leave a trial open on purpose; its heartbeat must not beat at the next
    # test's server (or at none, once the live server is gone).
    yield
    from tuner_client._heartbeat import _stop_all

    _stop_all()
