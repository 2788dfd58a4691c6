"""The Tremplin test kit: a pytest plugin (entry point ``pytest11``) for plugin authors too.

Fixtures:

``make_app(plugins=(), settings=None, extra_plugins=(), region=None, migrate=True)``
    Build an app on a fresh database with the named installed ``plugins`` enabled,
    their ``settings`` (``{name: {key: value}}``), plugin objects ``extra_plugins`` (a
    module or class instance defined in a test file) and migrations applied. Its task
    queue is immediate: a background task runs as soon as it is queued.
``app`` / ``client``
    An app with no optional plugin, and its Flask test client.
``run_cli``
    ``run_cli(app, "db", "status")`` runs the ``tremplin`` command line on ``app``.
``tremplin_database_url``
    The test's own database: a temporary SQLite file, or, when
    ``TREMPLIN_TEST_DATABASE_URL`` is set to a PostgreSQL URL, a fresh schema in that
    database, dropped after the test.
``csrf_token_from``
    ``csrf_token_from(client, "/connexion")``: the CSRF token of the form on that page,
    to send with a POST (field ``csrf_token``) or an API call (header ``X-CSRFToken``).
    Test apps check CSRF tokens, as production does.

Helpers: ``csrf_token_from(client, url)`` and ``sign_in(client, email, password)`` (signs
the test client in through the sign-in form). For a translation catalog:
``extract_messages(source, mapping, folder)`` (what ``pybabel extract`` finds),
``read_catalog(path, locale)``, and the lists a test asserts empty: ``untranslated``,
``unused`` and ``broken_placeholders``.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from click.testing import CliRunner, Result
from flask import Flask

from . import db, migrations
from .app import create_app, runtime_of

TEST_DATABASE_VARIABLE = "TREMPLIN_TEST_DATABASE_URL"

MINIMAL_REGION = """\
[region]
code = "test-region"
name = "Région de test"
locales = ["fr", "en"]

[mail]
backend = "locmem"
"""


def minimal_region(folder: Path) -> Path:
    """Write the smallest valid region folder into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tremplin.toml").write_text(MINIMAL_REGION, encoding="utf-8")
    return folder


def upgrade(app: Flask) -> None:
    """Apply every migration of ``app``'s core areas and plugins."""
    runtime = runtime_of(app)
    with runtime.database.connection_context():
        migrations.upgrade(runtime.database, migrations.components_of(runtime.plugins))


@pytest.fixture
def tremplin_database_url(tmp_path: Path) -> Iterator[str]:
    """A database of the test's own: SQLite file, or PostgreSQL schema when configured."""
    server = os.environ.get(TEST_DATABASE_VARIABLE)
    if not server:
        yield f"sqlite:///{tmp_path / 'tremplin.db'}"
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _with_search_path(server, schema)
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def make_app(tmp_path_factory: pytest.TempPathFactory, tremplin_database_url: str):
    """Factory of apps on the test's database (see the module docstring)."""
    apps: list[Flask] = []

    def factory(
        plugins: Sequence[str] = (),
        settings: dict[str, dict[str, Any]] | None = None,
        extra_plugins: Sequence[object] = (),
        region: Path | str | None = None,
        migrate: bool = True,
    ) -> Flask:
        folder = region or minimal_region(tmp_path_factory.mktemp("region"))
        app = create_app(
            str(folder),
            overrides={
                "database_url": tremplin_database_url,
                "plugins": list(plugins),
                "plugin_settings": settings or {},
                "secret_key": "test-secret-key",
            },
            plugins=extra_plugins,
            # Background tasks (emails...) run as soon as they are queued: no worker needed.
            config={"TESTING": True, "QUEUE_IMMEDIATE": True},
        )
        if migrate:
            upgrade(app)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        database = runtime_of(app).database
        if not database.is_closed():
            database.close()


@pytest.fixture
def app(make_app) -> Flask:
    """An app with the core only, its database migrated."""
    return make_app()


@pytest.fixture
def client(app: Flask):
    """The Flask test client of ``app``."""
    return app.test_client()


@pytest.fixture
def run_cli():
    """Run the ``tremplin`` command line on an app: ``run_cli(app, "db", "status")``."""
    from .cli import CliState, cli

    def run(app: Flask, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), obj=CliState(app=app), input=input)

    return run


CSRF_FIELD = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


def csrf_token_from(client, url: str) -> str:
    """The CSRF token of the first form on page ``url`` (fetched with ``client``).

    The token belongs to the client's session: send it back with the same client, as the
    ``csrf_token`` field of a form or the ``X-CSRFToken`` header of an API call.
    """
    response = client.get(url)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    if match is None:
        raise AssertionError(f"no csrf_token field on {url} (status {response.status_code})")
    return match.group(1)


@pytest.fixture(name="csrf_token_from")
def csrf_token_from_fixture():
    """``csrf_token_from(client, url)``: the CSRF token of the form on ``url``."""
    return csrf_token_from


def sign_in(client, email: str, password: str):
    """Sign ``client`` in through the sign-in form; return the response (a redirection)."""
    token = csrf_token_from(client, "/connexion")
    response = client.post(
        "/connexion", data={"email": email, "password": password, "csrf_token": token}
    )
    if response.status_code != 302:
        raise AssertionError(f"signing in as {email} failed (status {response.status_code})")
    return response


def has_planner_statistics(app: Flask, table: str) -> bool:
    """Whether ``ANALYZE`` gathered the query planner's statistics of ``table``."""
    database = runtime_of(app).database
    if db.is_sqlite(database):
        if not database.table_exists("sqlite_stat1"):
            return False
        query = "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = %s"
    else:
        query = (
            "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = %s "
            "AND schemaname = current_schema() AND last_analyze IS NOT NULL"
        )
    with database.connection_context():
        (count,) = database.execute_sql(query.replace("%s", database.param), (table,)).fetchone()
    return count > 0


def _with_search_path(url: str, schema: str) -> str:
    parts = urlsplit(url)
    # Tests need no durability: without synchronous commits each migration is much cheaper.
    options = f"-c search_path={schema} -c synchronous_commit=off"
    query = "&".join(filter(None, [parts.query, urlencode({"options": options})]))
    return urlunsplit(parts._replace(query=query))


# Translation catalogs

# %(name)s / %(num)d and {name} / {name!r}: what a translation must keep to be filled in.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w*[^{}]*\}")


def extract_messages(source: Path, mapping: Path, folder: Path) -> Catalog:
    """What ``pybabel extract -F mapping source`` finds (its ``.pot`` written in ``folder``)."""
    pot = folder / "extracted.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(mapping), "-o", str(pot), str(source)]
    )
    return read_catalog(pot)


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """The ``.po`` or ``.pot`` catalog at ``path``."""
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def message_ids(catalog: Catalog) -> set:
    """The ids of ``catalog``'s messages (a tuple for a plural), its header left out."""
    return {message.id for message in catalog if message.id}


def untranslated(extracted: Catalog, translated: Catalog) -> list:
    """Ids found in the code that ``translated`` lacks, or lacks a plural form of."""
    return [
        message.id
        for message in extracted
        if message.id
        and (
            message.id not in translated
            or not all(_forms(translated[message.id].string))
            or len(_forms(translated[message.id].string)) != len(_forms(message.id))
        )
    ]


def unused(extracted: Catalog, translated: Catalog) -> list[str]:
    """Ids ``translated`` holds that the code no longer uses, sorted."""
    return sorted(map(str, message_ids(translated) - message_ids(extracted)))


def broken_placeholders(translated: Catalog) -> list[tuple]:
    """``(id, translation)`` of the translations that lose or add a placeholder."""
    broken = []
    for message in translated:
        if not message.id:
            continue
        expected = _placeholders(_forms(message.id)[-1])
        for form in _forms(message.string):
            if _placeholders(form) != expected:
                broken.append((message.id, form))
    return broken


def _placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def _forms(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)
