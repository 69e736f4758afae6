"""Hot queries of a fixed shape, compiled to SQL once per process (PostgreSQL).

Building and compiling an ORM query with annotations and subqueries costs more CPU than
running it: for the lock query, a fifth of a tell's CPU in the web process. The queries of
every ask and tell have one shape each and differ only in an id, so each shape is compiled
once and run as a raw query with the id put in. Only on PostgreSQL: a raw query converts the
model's fields but not the annotations, whose values PostgreSQL gives as they are used (SQLite
would give its clock as text); elsewhere the ORM query runs as usual.
"""

from django.db import connection

# Marks where the id goes among the compiled query's parameters.
_KEY = -7_340_033
_compiled = {}


def rows(name, build, key):
    """The model instances (with their annotations) of the query `build(id)`, with `key` as the id.

    `name` names the query's shape: `build` must make the same SQL for every id, and use the id once.
    """
    if connection.vendor != "postgresql":
        return list(build(key))
    if name not in _compiled:
        query = build(_KEY)
        sql, params = query.query.sql_with_params()
        if params.count(_KEY) != 1:
            raise RuntimeError(f"the query {name!r} must use its id once among its parameters")
        _compiled[name] = query.model, sql, params
    model, sql, params = _compiled[name]
    return list(model.objects.raw(sql, [key if param == _KEY else param for param in params]))
