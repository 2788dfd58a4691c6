"""Each test's own database, and copies of a database migrated once per run.

Migrating a fresh database is most of what a test costs: a tenth of a second on SQLite,
more than a second on PostgreSQL, where every statement of a migration is a round trip.
So the first test that needs a set of migrations applied has them applied once to a
template, and every test that needs the same set gets a copy of it: a file copy on
SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL. A set is known by its components'
names and the content of their migration files: a test plugin with migrations of its own
gets a template of its own, and a migration edited between two runs is applied again.

On PostgreSQL each test gets a database of its own on the server of
``TREMPLIN_TEST_DATABASE_URL``, which needs a user allowed to create databases; without
that right each test gets a schema of its own in that database, migrated every time.

Even a copy costs tenths of a second there (the catalogs are copied too), so a test's
copy is kept for the next test of the same migrations when its structure is still the
template's: its rows are deleted, its sequences set back and its statistics reset (a few
milliseconds; this needs a superuser, as on the CI's server, else every test gets a new
copy). A test that changed the structure (a table, a column, an index, a function, a
migration), ran ``ANALYZE`` or grew a table beyond a few pages gets its database dropped.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import errors, sql

from .. import clock, db, migrations

# Tests need no durability: without synchronous commits each write is much cheaper.
_FAST_WRITES = "-c synchronous_commit=off"


def migrations_key(components: Iterable[tuple[str, Path]]) -> str:
    """A short name for a set of migrations: components, their files and those files' text."""
    digest = hashlib.sha256()
    for component, directory in components:
        digest.update(component.encode())
        for file in sorted(Path(directory).glob("[0-9]*.py")):
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


class Templates:
    """The migrated templates of one test process, by migrations key, and the copies kept
    for reuse; dropped at its end."""

    def __init__(self, server: str | None, folder: Path):
        self.server = server
        self.folder = folder
        self._made: dict[str, str] = {}
        self._shapes: dict[str, _Shape] = {}
        self._idle: dict[str, list[str]] = {}
        self._administration: psycopg.Connection | None = None
        rights = _rights(server) if server is not None else set()
        self.databases_allowed = "createdb" in rights
        self.copies_reused = "superuser" in rights

    def source(self, components: list[tuple[str, Path]]) -> str:
        """The template for ``components``' migrations (a file, or a database's name)."""
        key = migrations_key(components)
        if key not in self._made:
            self._made[key] = self._make(key, components)
        return self._made[key]

    def copy(self, components: list[tuple[str, Path]], name: str) -> None:
        """Make database ``name`` migrated for ``components``: a kept copy renamed if there is
        one, else a new copy of the template."""
        key = migrations_key(components)
        source = self.source(components)
        if self._idle.get(key):
            statement = sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(self._idle[key].pop()), sql.Identifier(name)
            )
        else:
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(source)
            )
        self.administer(statement)

    def give_back(self, components: list[tuple[str, Path]], name: str) -> None:
        """Keep the copy ``name`` for the next test if its structure is the template's, with
        its rows deleted; else drop it."""
        key = migrations_key(components)
        if self.copies_reused and _reset(self.server, name, self._shapes[key]):
            kept = f"tremplin_kept_{uuid.uuid4().hex[:8]}_{key}"
            self.administer(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(name), sql.Identifier(kept)
                )
            )
            self._idle.setdefault(key, []).append(kept)
        else:
            self.drop_database(name)

    def _make(self, key: str, components: list[tuple[str, Path]]) -> str:
        if self.server is None:
            path = self.folder / f"template-{key}.db"
            _migrate(f"sqlite:///{path}", components)
            return str(path)
        name = f"tremplin_template_{uuid.uuid4().hex[:8]}_{key}"
        self.administer(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = _database_url(self.server, name)
        _migrate(url, components)
        with psycopg.connect(url) as connection:
            self._shapes[key] = _shape(connection)
        return name

    def drop(self) -> None:
        """Drop the templates and kept copies made on the server (files go with the run's
        folder)."""
        if self.server is not None:
            for name in [*self._made.values(), *(n for idle in self._idle.values() for n in idle)]:
                self.drop_database(name)
        self._made.clear()
        self._idle.clear()
        if self._administration is not None:
            self._administration.close()
            self._administration = None

    def administer(self, statement: sql.Composable) -> None:
        """Run ``statement`` on the server (creating, renaming, dropping databases), through
        one connection kept for the process: a new one costs milliseconds each time."""
        if self._administration is not None:
            try:
                self._administration.execute(statement)
                return
            except psycopg.OperationalError:
                if not self._administration.broken:
                    raise
                self._administration.close()  # the server closed it: a new one, once
        self._administration = psycopg.connect(self.server, autocommit=True)
        self._administration.execute(statement)

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists, even if a connection is still open to it."""
        # FORCE: a connection a test left open (a pool, a thread) must not keep its database.
        self.administer(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


class TestDatabase:
    """The database of one test, made when first needed: empty, or a migrated copy."""

    __test__ = False  # a helper, not a class of tests for pytest to collect

    def __init__(self, templates: Templates, folder: Path):
        self.templates = templates
        self.made = False
        self._components: list[tuple[str, Path]] | None = None
        server = templates.server
        if server is None:
            self._path = folder / "tremplin.db"
            self.url = f"sqlite:///{self._path}"
        elif templates.databases_allowed:
            self._name = f"tremplin_test_{uuid.uuid4().hex[:16]}"
            self.url = _database_url(server, self._name)
        else:
            self._name = f"test_{uuid.uuid4().hex[:16]}"
            self.url = _schema_url(server, self._name)

    def empty(self) -> str:
        """Make the database (empty) if it is not made yet; return its URL."""
        if not self.made:
            self._create()
            self.made = True
        return self.url

    def migrated(self, components: list[tuple[str, Path]]) -> str:
        """Make the database as a copy of ``components``' migrated template if it is not made
        yet (else leave it as it is); return its URL. Migrations the copy lacks, none unless
        the database was made before, are left to the caller's upgrade."""
        if self.made or not (self.templates.server is None or self.templates.databases_allowed):
            return self.empty()
        if self.templates.server is None:
            shutil.copyfile(self.templates.source(components), self._path)
        else:
            self.templates.copy(components, self._name)
            self._components = components
        self.made = True
        _date_migrations_now(self.url)
        return self.url

    def drop(self) -> None:
        """Drop the test's database or schema, or give a copy back for reuse (a SQLite file
        goes with the test's folder)."""
        server = self.templates.server
        if not self.made or server is None:
            return
        if self._components is not None:
            self.templates.give_back(self._components, self._name)
        elif self.templates.databases_allowed:
            self.templates.drop_database(self._name)
        else:
            self.templates.administer(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(self._name))
            )

    def _create(self) -> None:
        server = self.templates.server
        if server is None:
            return  # SQLite makes the file on first connection
        kind = "DATABASE" if self.templates.databases_allowed else "SCHEMA"
        self.templates.administer(sql.SQL(f"CREATE {kind} {{}}").format(sql.Identifier(self._name)))


def _migrate(url: str, components: list[tuple[str, Path]]) -> None:
    database = db.connect(url)
    with database.connection_context():
        migrations.upgrade(database, components)
    database.close()


def _date_migrations_now(url: str) -> None:
    """A copy says its migrations were applied now, as a database migrated by the test."""
    database = db.connect(url)
    with database.connection_context(), database.bind_ctx([migrations.AppliedMigration]):
        migrations.AppliedMigration.update(applied_at=clock.now()).execute()
    database.close()


def _rights(server: str) -> set[str]:
    """What the server's user may do that the kit uses: ``createdb``, ``superuser``."""
    with psycopg.connect(server, autocommit=True) as connection:
        try:
            row = connection.execute(
                "SELECT rolcreatedb OR rolsuper, rolsuper FROM pg_roles "
                "WHERE rolname = current_user"
            ).fetchone()
        except errors.Error:
            return set()
    createdb, superuser = row or (False, False)
    return {right for right, held in (("createdb", createdb), ("superuser", superuser)) if held}


@dataclass(frozen=True)
class _Shape:
    """A database's structure (a digest of it) and its sequences' values, as migrated."""

    structure: str
    sequences: tuple[tuple[str, int, bool], ...]


# Any change of structure writes rows of the system catalogs (a table, a column, a default,
# an index, a constraint, a trigger, a function, a type, a sequence's definition): a row
# added or changed carries the writing transaction's id (``xmin``), a row removed lowers the
# count. A copy's catalogs are the template's, file for file, until its test changes them.
# Reading counts and highest ids costs a few milliseconds where writing out every
# definition cost tens. The history of migrations is compared by content: ids included.
_CATALOGS = (
    "pg_class",
    "pg_attribute",
    "pg_attrdef",
    "pg_index",
    "pg_constraint",
    "pg_trigger",
    "pg_namespace",
    "pg_proc",
    "pg_type",
    "pg_sequence",
)
_STRUCTURE = sql.SQL("SELECT concat_ws(' ', {}, {})").format(
    sql.SQL(", ").join(
        sql.SQL("(SELECT count(*) || '@' || max(xmin::text::bigint) FROM {})").format(
            sql.Identifier(catalog)
        )
        for catalog in _CATALOGS
    ),
    sql.SQL(
        "(SELECT string_agg(id || ' ' || component || '/' || name, ',' ORDER BY id) FROM {})"
    ).format(sql.Identifier(migrations.HISTORY_TABLE)),
)


# What the planner would remember of a test (statistics, table sizes) could change the plans
# of the next: a database analysed, vacuumed or grown beyond a few pages is not kept.
_LARGEST_KEPT = 128 * 1024
_WORKED_ON = """
SELECT EXISTS (
    SELECT FROM pg_stat_user_tables
    WHERE vacuum_count + autovacuum_count + analyze_count + autoanalyze_count > 0
) OR EXISTS (
    SELECT FROM pg_class
    WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i', 't')
    AND pg_relation_size(oid) > %s
)
"""


def _shape(connection: psycopg.Connection) -> _Shape:
    (structure,) = connection.execute(_STRUCTURE).fetchone()
    sequences = connection.execute(
        "SELECT sequencename, coalesce(last_value, start_value), last_value IS NOT NULL "
        "FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename"
    ).fetchall()
    return _Shape(structure, tuple(sequences))


def _reset(server: str, name: str, template: _Shape) -> bool:
    """Delete the rows of database ``name`` and set its sequences back, if its structure is
    still ``template``'s; whether it was."""
    with psycopg.connect(_database_url(server, name), autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (structure,) = connection.execute(_STRUCTURE).fetchone()
        if structure != template.structure:
            return False
        (worked_on,) = connection.execute(_WORKED_ON, (_LARGEST_KEPT,)).fetchone()
        if worked_on:
            return False
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> %s",
            (migrations.HISTORY_TABLE,),
        ).fetchall()
        # One round trip: rows go whatever their foreign keys (the checks are triggers, off
        # for this transaction), then the sequences as they were in the template.
        statements = [sql.SQL("BEGIN; SET LOCAL session_replication_role = replica")]
        statements += [sql.SQL("DELETE FROM {}").format(sql.Identifier(t)) for (t,) in tables]
        statements += [
            sql.SQL("SELECT setval({}, {}, {})").format(
                sql.Literal(sql.Identifier(sequence).as_string(connection)),
                sql.Literal(value),
                sql.Literal(called),
            )
            for sequence, value, called in template.sequences
        ]
        statements.append(sql.SQL("COMMIT"))
        connection.execute(sql.SQL("; ").join(statements))
        connection.execute("SELECT pg_stat_reset()")
    return True


def _database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    query = "&".join(
        filter(None, [parts.query, urlencode({"options": _FAST_WRITES}, quote_via=quote)])
    )
    return urlunsplit(parts._replace(path=f"/{name}", query=query))


def _schema_url(server: str, schema: str) -> str:
    parts = urlsplit(server)
    options = f"-c search_path={schema} {_FAST_WRITES}"
    query = "&".join(filter(None, [parts.query, urlencode({"options": options}, quote_via=quote)]))
    return urlunsplit(parts._replace(query=query))
