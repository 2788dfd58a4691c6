"""The database: peewee from a URL, the proxy every model is bound to, and transactions.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout;
PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import peewee
from playhouse import db_url, pool

from .i18n import _

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
}
SCHEMES = {"sqlite", "postgres", "postgresql"}
# Rows per ``executemany`` of ``insert_rows``, and per multi-row INSERT of its fallback
# (well under SQLite's 32,766 variables).
EXECUTEMANY_ROWS = 1000
INSERT_MANY_ROWS = 500
# A pooled connection older than this is closed rather than handed out again.
POOL_STALE_SECONDS = 300
# Field classes (exactly: a subclass may convert otherwise) whose ``db_value`` gives back a
# value of these exact types unchanged, as it does ``None``: ``insert_rows`` hands a column
# of such values to the driver as it is. A foreign key converts as the field it refers to.
UNCONVERTED: dict[type[peewee.Field], frozenset[type]] = {
    **dict.fromkeys(
        (
            peewee.IntegerField,
            peewee.BigIntegerField,
            peewee.SmallIntegerField,
            peewee.AutoField,
            peewee.BigAutoField,
        ),
        frozenset({int, type(None)}),
    ),
    peewee.FloatField: frozenset({float, type(None)}),
    peewee.CharField: frozenset({str, type(None)}),
    peewee.TextField: frozenset({str, type(None)}),
    peewee.BooleanField: frozenset({bool, type(None)}),
    peewee.DateTimeField: frozenset({datetime.datetime, type(None)}),
    peewee.DateField: frozenset({datetime.date, type(None)}),
}


class BaseModel(peewee.Model):
    """Base of every Tremplin model: bound to the active instance's database."""

    class Meta:
        database = database
        legacy_table_names = False


def connect(url: str, base_dir: Path | None = None, pooled: bool = False) -> peewee.Database:
    """A (not yet connected) peewee database for ``url``.

    ``sqlite:///relative/path.db`` is resolved against ``base_dir`` (the region folder);
    ``sqlite:////absolute/path.db`` and ``postgresql://user@host:port/name`` are taken
    as they are. Raise ``ValueError`` for a scheme Tremplin does not support.

    ``pooled``: closing a connection hands it back to a pool (``playhouse.pool``) for the
    next request of the same process instead of closing it, which saves the connection's
    setup on every request (a few milliseconds on SQLite, more on PostgreSQL). One
    connection per thread in use, replaced by a new one once ``POOL_STALE_SECONDS`` old;
    a transaction left open is rolled back before the connection is reused.
    """
    scheme = urlsplit(url).scheme
    if scheme not in SCHEMES:
        raise ValueError(
            _(
                "unsupported database URL scheme %(scheme)r (use sqlite or postgresql)",
                scheme=scheme,
            )
        )
    if scheme == "sqlite":
        return _sqlite(url, base_dir, pooled)
    if pooled:
        return pool.PooledPostgresqlDatabase(
            max_connections=None, stale_timeout=POOL_STALE_SECONDS, **db_url.parse(url)
        )
    return db_url.connect(url)


def is_sqlite(db: peewee.Database) -> bool:
    """Whether ``db`` (or the database behind a proxy) is SQLite."""
    target = db.obj if isinstance(db, peewee.DatabaseProxy) else db
    return isinstance(target, peewee.SqliteDatabase)


def redact(url: str) -> str:
    """``url`` with its password replaced by ``***``, for logs and pages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def insert_rows(model: type[peewee.Model], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, ``model``'s field names) in bulk.

    peewee writes the one-row ``INSERT`` once; the driver runs it for every row
    (``executemany``, in batches), which spares peewee building a node per value: ten
    times faster than ``insert_many`` on ten thousand rows. On PostgreSQL the rows go
    through ``COPY table (columns) FROM STDIN`` instead (the same defaults and triggers,
    several times faster than ``executemany``). Falls back to ``insert_many`` if the
    statement's parameters are not in the order of the row's keys, as when a row leaves
    out a column that has a default (peewee adds it to the statement): give those too.

    A column goes through its field's ``db_value`` only if one of its values is of a type
    the field would change (``column_values``): the same values for the driver, without a
    call per value for the text and numbers of most columns. On SQLite a column of
    timestamps is adapted to text once per distinct moment (``_adapted``).
    """
    if not rows:
        return
    fields = [model._meta.fields[name] for name in rows[0]]
    sql, first = model.insert_many(rows[:1], fields=fields).sql()
    columns = [column_values(field, [row[field.name] for row in rows]) for field in fields]
    if tuple(first) != tuple(column[0] for column in columns):
        for chunk in peewee.chunked(rows, INSERT_MANY_ROWS):
            model.insert_many(chunk).execute()
        return
    cursor = database.cursor()
    if not is_sqlite(database.obj):
        names = [field.column_name for field in fields]
        copy_rows(cursor, model._meta.table_name, names, zip(*columns, strict=True))
        return
    params = list(zip(*[_adapted(column) for column in columns], strict=True))
    for chunk in peewee.chunked(params, EXECUTEMANY_ROWS):
        cursor.executemany(sql, chunk)


def copy_rows(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write ``rows`` (values in the order of ``columns``) into ``table`` by PostgreSQL's
    ``COPY table (columns) FROM STDIN`` on a psycopg ``cursor``: the same defaults and
    triggers as ``INSERT``, several times faster than ``executemany``."""
    names = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def column_values(field: peewee.Field, values: list[Any]) -> list[Any]:
    """``values`` of ``field``'s column, as its ``db_value`` gives them to the driver.

    ``values`` themselves if they are all of types ``db_value`` gives back unchanged
    (``UNCONVERTED``), without a call per value; otherwise ``db_value`` of each.
    """
    if set(map(type, values)) <= _unconverted(field):
        return values
    return list(map(field.db_value, values))


def _unconverted(field: peewee.Field) -> frozenset[type]:
    if type(field) is peewee.ForeignKeyField:
        return _unconverted(field.rel_field)
    return UNCONVERTED.get(type(field), frozenset())


def _adapted(values: list[Any]) -> list[Any]:
    """A column of timestamps as sqlite3 gives them to SQLite, each distinct one once.

    A bulk insert stamps its rows with the same moment: sqlite3 would adapt it (its
    registered adapter, to text) again for every row. Any other column is left as it is.
    """
    if set(map(type, values)) != {datetime.datetime}:
        return values
    text = {value: sqlite3.adapt(value) for value in set(values)}
    return [text[value] for value in values]


def new_ids(model: type[peewee.Model], count: int) -> list[int]:
    """``count`` ids drawn from the sequence of ``model``'s primary key, ascending.

    PostgreSQL only: for rows that ``insert_rows`` writes with their ids, when the caller
    needs them (``COPY`` returns nothing).
    """
    table = model._meta.table_name
    column = model._meta.primary_key.column_name
    cursor = database.execute_sql(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
        (f'"{table}"', column, count),
    )
    return [row_id for (row_id,) in cursor.fetchall()]


def among(column: peewee.Node, values: list[Any]) -> peewee.Node:
    """The condition ``column IN values``, cheap to build and to send for many values.

    ``values`` are bound as they are (converted already, as the database stores them). On
    PostgreSQL, ``column = ANY(%s)`` with one array parameter: a short statement, whose
    text psycopg parses once and caches, where a long ``IN (...)`` list is parsed again
    every time. On SQLite, ``IN (?, ?, ...)`` written as one piece of SQL rather than a
    node per value (keep ``values`` under SQLite's 32,766 parameters).
    ``tremplin.prepared.Builder.is_in`` writes the same condition for statements written
    once per shape.
    """
    if not values:
        return peewee.SQL("1 = 0")
    mark = database.param
    if is_sqlite(database):
        placeholders = ", ".join([mark] * len(values))
        return peewee.NodeList((column, peewee.SQL(f"IN ({placeholders})", list(values))))
    return peewee.NodeList((column, peewee.SQL(f"= ANY({mark})", [list(values)])))


def unindexed(column: peewee.Node) -> peewee.Node:
    """``column`` in a condition that must not choose the query's index (SQLite only).

    On SQLite, ``+column`` (a unary plus: SQLite's documented way) keeps the planner from
    driving a query by an index on ``column``; PostgreSQL, whose text has no unary plus and
    whose planner has statistics, gets the column as it is.
    """
    if is_sqlite(database):
        return peewee.NodeList((peewee.SQL("+"), column), glue="")
    return column


def analyze(db: peewee.Database, *, vacuum: bool = False) -> None:
    """Refresh the query planner's statistics (``ANALYZE``), after many rows were written.

    PostgreSQL's autovacuum would get there on its own, SQLite never does: a bulk import or
    the demo's generation runs it so that the next queries are planned on real numbers.
    With ``vacuum``, PostgreSQL also vacuums (``VACUUM ANALYZE``, outside a transaction):
    after a bulk load it marks the tables' pages all-visible, so that an index-only scan
    reads no table page, as autovacuum would later. SQLite's ``VACUUM`` rewrites the whole
    file and gives nothing of the kind: there, ``ANALYZE`` only.
    """
    db.execute_sql("VACUUM ANALYZE" if vacuum and not is_sqlite(db) else "ANALYZE")


def check(db: peewee.Database) -> None:
    """Run a trivial query; raise ``peewee.DatabaseError`` if the database does not answer."""
    db.execute_sql("SELECT 1").fetchone()


def _sqlite(url: str, base_dir: Path | None, pooled: bool) -> peewee.SqliteDatabase:
    path = db_url.parse(url)["database"]
    if path != ":memory:":
        file = Path(path)
        if not file.is_absolute() and base_dir is not None:
            file = base_dir / file
        file.parent.mkdir(parents=True, exist_ok=True)
        path = str(file)
    if pooled:  # the pool's own ``timeout`` is for waiting on a free connection
        return pool.PooledSqliteDatabase(
            path,
            pragmas=SQLITE_PRAGMAS,
            max_connections=None,
            stale_timeout=POOL_STALE_SECONDS,
            # The pool hands a connection to one thread at a time, whichever thread handed
            # it back (gunicorn --threads): sqlite3 must not tie it to the first.
            check_same_thread=False,
        )
    return peewee.SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=10)
