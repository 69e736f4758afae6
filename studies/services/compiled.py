"""Hot queries of a fixed shape, compiled to SQL once per process (PostgreSQL).

Building and compiling an ORM query with annotations and subqueries costs more CPU than
running it: for the lock query, a fifth of a tell's CPU in the web process. The queries of
every ask and tell have one shape each and differ only in an id, so each shape is compiled
once and run as a raw query with the id put in. Only on PostgreSQL: a raw query converts the
model's fields but not the annotations, whose values PostgreSQL gives as they are used (SQLite
would give its clock as text); elsewhere the ORM query runs as usual.
"""

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models.query import RawQuerySet
from django.db.models.sql import InsertQuery, RawQuery, UpdateQuery

# Marks where the id goes among the compiled query's parameters.
_KEY = -7_340_033
_compiled = {}


def rows(name, build, key):
    """The model instances (with their annotations) of the query `build(id)`, with `key` as the id.

    `name` names the query's shape: `build` must make the same SQL for every id, and use the id once.
    """
    if connection.vendor != "postgresql":
        return list(build(key))
    model, sql, params = _sql(name, build, key)
    return list(model.objects.raw(sql, params))


def rows_in_one_trip(*queries):
    """The instances of several queries, each given as `rows` takes it (`(name, build, key)`).

    On PostgreSQL they are sent together and read back in one round trip (psycopg's pipeline
    mode); the server still runs each once the one before it has finished, so a query after
    one that waits for a row lock reads what the lock's holder committed. Elsewhere they run
    in turn. Returns a list of instances per query.
    """
    if connection.vendor != "postgresql":
        return [list(build(key)) for _, build, key in queries]
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        sent = [_sent(*_sql(name, build, key)) for name, build, key in queries]
    return [list(found) for found in sent]


def _sql(name, build, key):
    if name not in _compiled:
        query = build(_KEY)
        sql, params = query.query.sql_with_params()
        if params.count(_KEY) != 1:
            raise RuntimeError(f"the query {name!r} must use its id once among its parameters")
        _compiled[name] = query.model, sql, params
    model, sql, params = _compiled[name]
    return model, sql, [key if param == _KEY else param for param in params]


def _sent(model, sql, params):
    # Executed now, read when the queryset is iterated: in a pipeline, once every query is sent.
    cursor = connection.cursor()
    cursor.execute(sql, params)
    return RawQuerySet(sql, model=model, query=_SentQuery(sql, params, cursor), params=params)


class _SentQuery(RawQuery):
    """A raw query already executed on `cursor`: iterating it reads the rows, sending nothing again."""

    def __init__(self, sql, params, cursor):
        super().__init__(sql, DEFAULT_DB_ALIAS, params)
        self.cursor = cursor

    def _execute_query(self):
        pass


def update_statement(queryset, values):
    """The SQL and parameters of `queryset.update(**values)`, not run."""
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    return query.get_compiler(connection=connection).as_sql()


def insert_statement(obj):
    """The SQL and parameters of the INSERT of a new model instance, as `Model.save` would run it,
    and a function that sets what the database returns (the id) on `obj` from a cursor holding
    the statement's answer."""
    meta = obj._meta
    fields = [field for field in meta.local_concrete_fields if not field.generated and field is not meta.auto_field]
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = meta.db_returning_fields
    [(sql, params)] = compiler.as_sql()

    def read(cursor):
        for value, field in zip(cursor.fetchone(), meta.db_returning_fields):
            setattr(obj, field.attname, value)
        obj._state.adding, obj._state.db = False, connection.alias

    return sql, params, read
