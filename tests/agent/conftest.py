from tests.client.fixtures import (  # noqa: F401  (fixtures shared with tests/agent)
    make_study,
    server,
    start_agent,
    token,
    write_script,
)
