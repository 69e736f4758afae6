from tests.client.fixtures import (  # noqa: F401  (fixtures)
    django_db_use_migrations,
    make_study,
    server,
    start_agent,
    token,
    write_script,
)
