from tests.live_servers import postgres_server, sqlite_server  # noqa: F401  (fixtures)
