"""The Tremplin test kit: a pytest plugin (entry point ``pytest11``) for plugin authors too.

Fixtures:

``make_app(plugins=(), settings=None, extra_plugins=(), region=None, migrate=True)``
    Build an app on a fresh database with the named installed ``plugins`` enabled,
    their ``settings`` (``{name: {key: value}}``), plugin objects ``extra_plugins`` (a
    module or class instance defined in a test file) and migrations applied. Its task
    queue is immediate: a background task runs as soon as it is queued. Its database
    connections are pooled, as served: a request reuses the connection of the one before.
    It reuses the templates compiled by the apps before it (``templates``).
``make_module_app``
    The same factory for an app that a module's tests share, built by a module-scoped
    fixture (inside ``with pinned_at_test_now(request.config):``), on a database of the
    module's own: for what is too slow to make for each test, a served demo network.
``app`` / ``client``
    An app with no optional plugin, and its Flask test client.
``run_cli``
    ``run_cli(app, "db", "status")`` runs the ``tremplin`` command line on ``app``.
``tremplin_database_url``
    The test's own database, empty: a temporary SQLite file, or, when
    ``TREMPLIN_TEST_DATABASE_URL`` is set to a PostgreSQL URL, a database of its own on that
    server (a schema of its own in that database if the user may not create databases),
    dropped after the test. ``make_app`` gives the test a copy of a database migrated once
    per run for the same migrations (``tremplin.testing.databases``).
``clock``
    The test's clock (``tremplin.clock``), pinned for every test at the same moment
    (``DEFAULT_TEST_NOW``, or the one given by ``--tremplin-now=2026-03-29T00:30`` or the
    ``TREMPLIN_TEST_NOW`` variable; UTC unless an offset is given), from which time flows
    on: ``clock.start``, ``clock.now()``, ``clock.today(tz)``, ``with clock.travel(days=3):``
    for a block, ``clock.advance(hours=12)`` and ``clock.pin(moment)`` for the rest of the
    test. Every test is pinned, whether it asks for ``clock`` or not.
``csrf_token_from``
    ``csrf_token_from(client, "/connexion")``: the CSRF token of the form on that page,
    to send with a POST (field ``csrf_token``) or an API call (header ``X-CSRFToken``).
    Test apps check CSRF tokens, as production does.
``network`` / ``make_network``
    A ``Network`` of people on ``app`` (or on ``make_network(other_app)``): see below.
``fast_passwords``
    Hash passwords with argon2's cheapest parameters (the network's fixtures use it).
``outbox`` / ``deliver`` / ``link_in``
    The emails ``app`` sent (kept in memory); ``deliver()`` sends what waits and returns
    the emails sent since its last call; ``link_in(message)``, the path of an email's
    first link. ``pdf_text(data)`` (a function) is the text of a PDF, read back by pypdf;
    ``queued_emails(app, "charter/")`` (a function), the emails queued from templates of
    that prefix, with their recipient, language and context.

Factories (``tremplin.testing.factories``): ``Network(app)`` makes, through the core's
services, the territory tree (``hdf`` > ``ac-lille`` > ``59``, ``62`` > three basins) and on
demand ``network.admin()``, ``referent("59")``, ``educator(school)``,
``partner_manager(company)``, ``ambassador("Soudeuse", zones=["59"])``,
``school(...)``, ``organisation(...)``, ``account(role, ...)``, requests
(``request(educator, ambassador)``) and interventions in any state
(``intervention(educator, ambassador, "completed", on=in_days(3))``). Every account's
password is ``PASSWORD``; ``in_days(3)`` is a UTC moment three days from the test clock's now.

Clients (``tremplin.testing.clients``): ``client_of(app, account)``, a test client signed
in through the sign-in page; ``api_client(app, account)``, the same sending its session's
CSRF token (``X-CSRFToken``) with every request; ``sign_in(client, account_or_email,
password=PASSWORD)``; ``post_form(client, url, data)``, a form posted with the token of its
page; ``csrf_token_from(client, url)``.

Waiting (``tremplin.testing.waiting``): ``wait_for(find, seconds=10, what="")``, what
``find()`` returns once it is truthy, for what another process or thread does (a served
instance answering, its worker sending an email); the test fails after ``seconds``.

For a translation catalog:
``extract_messages(source, mapping, folder)`` (what ``pybabel extract`` finds),
``read_catalog(path, locale)``, and the lists a test asserts empty: ``untranslated``,
``unused`` and ``broken_placeholders``.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from click.testing import CliRunner, Result
from flask import Flask

from .. import clock as tremplin_clock
from .. import db, migrations
from ..app import create_app, runtime_of
from ..auth import passwords
from .clients import PASSWORD, api_client, client_of, csrf_token_from, post_form, sign_in
from .databases import Templates, TestDatabase
from .factories import Network, in_days, local
from .mail import (
    QueuedEmail,
    deliver,
    link_in,
    link_in_fixture,
    outbox,
    pdf_text,
    queued_emails,
)
from .templates import share_compiled_templates
from .waiting import wait_for

__all__ = [
    "PASSWORD",
    "AppFactory",
    "MovableClock",
    "Network",
    "QueuedEmail",
    "api_client",
    "client_of",
    "csrf_token_from",
    "deliver",
    "in_days",
    "link_in",
    "link_in_fixture",
    "local",
    "minimal_region",
    "outbox",
    "pdf_text",
    "pinned_at_test_now",
    "post_form",
    "queued_emails",
    "sign_in",
    "upgrade",
    "wait_for",
]

TEST_DATABASE_VARIABLE = "TREMPLIN_TEST_DATABASE_URL"
TEST_NOW_VARIABLE = "TREMPLIN_TEST_NOW"
# An ordinary Tuesday morning of term time: tests that need a tricky moment (a month's
# end, a change of summer time, New Year's Eve in UTC) pin it, or the suite is run at it.
DEFAULT_TEST_NOW = datetime.datetime(2026, 3, 10, 9, 0)
_TEST_NOW = pytest.StashKey[datetime.datetime]()
_RUN_PIN = pytest.StashKey[contextlib.ExitStack]()

MINIMAL_REGION = """\
[region]
code = "test-region"
name = "Région de test"
locales = ["fr", "en"]

[mail]
backend = "locmem"
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--tremplin-now``: the moment at which every test starts."""
    parser.getgroup("tremplin").addoption(
        "--tremplin-now",
        metavar="MOMENT",
        default=None,
        help=(
            f"run every test from this moment, ISO 8601, UTC unless an offset is given "
            f"(default: ${TEST_NOW_VARIABLE}, else {DEFAULT_TEST_NOW.isoformat()})"
        ),
    )


def pytest_configure(config: pytest.Config) -> None:
    """Read the moment tests start at (a bad one stops the run at once) and pin the clock
    at it until the run ends: what test modules compute as they are imported sees it too."""
    text = config.getoption("tremplin_now", None) or os.environ.get(TEST_NOW_VARIABLE)
    config.stash[_TEST_NOW] = moment = parse_moment(text) if text else DEFAULT_TEST_NOW
    config.stash[_RUN_PIN] = stack = contextlib.ExitStack()
    stack.enter_context(tremplin_clock.pinned(moment))


def pytest_unconfigure(config: pytest.Config) -> None:
    """Give the clock back as the run ends."""
    if _RUN_PIN in config.stash:
        config.stash[_RUN_PIN].close()


def pytest_report_header(config: pytest.Config) -> str:
    """Say in the run's header when the tests believe they run."""
    return f"tremplin: every test starts at {config.stash[_TEST_NOW].isoformat()} UTC"


def parse_moment(text: str) -> datetime.datetime:
    """``2026-03-29T00:30`` (UTC) or ``2026-03-29T02:30+02:00``, as a naive UTC moment."""
    try:
        return tremplin_clock.as_utc(datetime.datetime.fromisoformat(text))
    except ValueError as error:
        raise pytest.UsageError(
            f"--tremplin-now / {TEST_NOW_VARIABLE}: {text!r} is not an ISO 8601 moment "
            "such as 2026-03-29T00:30"
        ) from error


class MovableClock:
    """The clock of a test: pinned at ``start`` when the test began, time flowing from there.

    It moves ``tremplin.clock`` for the whole process (server threads included) until the
    test ends.
    """

    def __init__(self, start: datetime.datetime, stack: contextlib.ExitStack):
        self.start = start
        self._stack = stack
        self.pin(start)

    def now(self) -> datetime.datetime:
        """``tremplin.clock.now()``: the time in UTC, naive."""
        return tremplin_clock.now()

    def today(self, tz: datetime.tzinfo | None = None) -> datetime.date:
        """``tremplin.clock.today(tz)``: today's date in UTC, or in ``tz``."""
        return tremplin_clock.today(tz)

    def travel(self, delta: datetime.timedelta | None = None, **units: float):
        """A block run ``delta`` (or ``days=``, ``hours=``...) later, then back."""
        return tremplin_clock.travel(_delta(delta, units))

    def advance(self, delta: datetime.timedelta | None = None, **units: float) -> None:
        """Move the clock on by ``delta`` (or ``days=``, ``hours=``...) for the rest of the test."""
        self.pin(tremplin_clock.now() + _delta(delta, units))

    def pin(self, moment: datetime.datetime) -> None:
        """Set the clock at ``moment`` (UTC when naive) for the rest of the test."""
        self._stack.enter_context(tremplin_clock.pinned(moment))


def _delta(delta: datetime.timedelta | None, units: dict[str, float]) -> datetime.timedelta:
    return (delta or datetime.timedelta(0)) + datetime.timedelta(**units)


@pytest.fixture(autouse=True)
def tremplin_pinned_clock(request: pytest.FixtureRequest) -> Iterator[MovableClock]:
    """Pin the clock of every test at the run's moment (see ``--tremplin-now``)."""
    with contextlib.ExitStack() as stack:
        yield MovableClock(request.config.stash[_TEST_NOW], stack)


@pytest.fixture
def clock(tremplin_pinned_clock: MovableClock) -> MovableClock:
    """The test's clock: ``clock.now()``, ``clock.travel(days=3)``, ``clock.advance(hours=1)``."""
    return tremplin_pinned_clock


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


@pytest.fixture(scope="session")
def tremplin_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    """The migrated databases this test process copies for its tests (``databases``)."""
    folder = tmp_path_factory.mktemp("templates")
    templates = Templates(os.environ.get(TEST_DATABASE_VARIABLE) or None, folder)
    yield templates
    templates.drop()


@pytest.fixture
def tremplin_database(tremplin_templates: Templates, tmp_path: Path) -> Iterator[TestDatabase]:
    """The test's own database, made when first asked for (see ``databases``)."""
    database = TestDatabase(tremplin_templates, tmp_path)
    yield database
    database.drop()


@pytest.fixture
def tremplin_database_url(tremplin_database: TestDatabase) -> str:
    """A database of the test's own, empty: SQLite file, or PostgreSQL database when configured."""
    return tremplin_database.empty()


class AppFactory:
    """Builds apps on one test database (``make_app``, ``make_module_app``); closes their
    connections when done."""

    def __init__(self, database: TestDatabase, tmp_path_factory: pytest.TempPathFactory):
        self.database = database
        self._tmp_path_factory = tmp_path_factory
        self._apps: list[Flask] = []

    def __call__(
        self,
        plugins: Sequence[str] = (),
        settings: dict[str, dict[str, Any]] | None = None,
        extra_plugins: Sequence[object] = (),
        region: Path | str | None = None,
        migrate: bool = True,
    ) -> Flask:
        """An app with ``plugins`` enabled, on the database (see the module docstring)."""
        folder = region or minimal_region(self._tmp_path_factory.mktemp("region"))
        app = create_app(
            str(folder),
            overrides={
                "database_url": self.database.url,
                "plugins": list(plugins),
                "plugin_settings": settings or {},
                "secret_key": "test-secret-key",
            },
            plugins=extra_plugins,
            # Background tasks (emails...) run as soon as they are queued: no worker needed.
            config={"TESTING": True, "QUEUE_IMMEDIATE": True},
            # As served (tremplin.wsgi): a request reuses the connection of the one before
            # instead of opening its own (milliseconds each on PostgreSQL).
            pooled=True,
        )
        # A template compiled for an earlier test's app is not compiled again (``templates``).
        share_compiled_templates(app)
        if migrate:
            self.database.migrated(migrations.components_of(runtime_of(app).plugins))
            upgrade(app)
        else:
            self.database.empty()
        self._apps.append(app)
        return app

    def close(self) -> None:
        """Close the connections of every app built."""
        for app in self._apps:
            runtime_of(app).database.close_all()


@pytest.fixture
def make_app(
    tmp_path_factory: pytest.TempPathFactory, tremplin_database: TestDatabase
) -> Iterator[AppFactory]:
    """Factory of apps on the test's database (see the module docstring)."""
    factory = AppFactory(tremplin_database, tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def make_module_app(
    tmp_path_factory: pytest.TempPathFactory, tremplin_templates: Templates
) -> Iterator[AppFactory]:
    """``make_app`` for an app that the tests of a module share, built by a module-scoped
    fixture (an expensive one: a demo network, a served app), on a database of the module's
    own. Build it inside ``with pinned_at_test_now(request.config):`` to write its data at
    the moment the tests start at."""
    database = TestDatabase(tremplin_templates, tmp_path_factory.mktemp("module-database"))
    factory = AppFactory(database, tmp_path_factory)
    yield factory
    factory.close()
    database.drop()


def pinned_at_test_now(config: pytest.Config) -> contextlib.AbstractContextManager:
    """The clock pinned, for a block, at the moment every test starts at (``--tremplin-now``):
    for what a fixture broader than a test makes, such as ``make_module_app``'s data."""
    return tremplin_clock.pinned(config.stash[_TEST_NOW])


@pytest.fixture
def app(make_app) -> Flask:
    """An app with the core only, its database migrated."""
    return make_app()


@pytest.fixture
def client(app: Flask):
    """The Flask test client of ``app``."""
    return app.test_client()


@pytest.fixture(scope="session")
def run_cli():
    """Run the ``tremplin`` command line on an app: ``run_cli(app, "db", "status")``."""
    from ..cli import CliState, cli

    def run(app: Flask, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), obj=CliState(app=app), input=input)

    return run


@pytest.fixture(name="csrf_token_from")
def csrf_token_from_fixture():
    """``csrf_token_from(client, url)``: the CSRF token of the form on ``url``."""
    return csrf_token_from


@pytest.fixture
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash with argon2's cheapest parameters: tests make and sign in many accounts, and the
    real parameters are slow on purpose (about 0.2 s a hash)."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def make_network(fast_passwords):
    """``make_network(app)``: a ``Network`` of people on ``app`` (see ``factories``)."""
    return Network


@pytest.fixture
def network(app: Flask, make_network) -> Network:
    """The ``Network`` of the test's ``app``: territories, then whoever the test makes."""
    return make_network(app)


def admin_client(app: Flask, email: str = "admin@tremplin.test"):
    """A test client of ``app`` signed in through the sign-in page as an admin (created if
    need be, with the kit's password), for admin pages."""
    from ..auth.models import Account

    with app.app_context():
        known = Account.get_or_none(Account.email == email)
    return client_of(app, known or Network(app).admin(email=email))


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


@dataclass(frozen=True)
class CatalogCheck:
    """A translation catalog checked against what the code it translates holds."""

    extracted: Catalog
    translated: Catalog
    path: Path

    @property
    def ids(self) -> set:
        """The messages found in the code."""
        return message_ids(self.extracted)

    def problems(self) -> dict[str, list]:
        """What is wrong, by kind (empty when the catalog is complete and clean): messages
        without a translation, fuzzy or obsolete entries, translations the code no longer
        uses, translations that lose or add a placeholder, a missing plural rule."""
        found = {
            "untranslated": untranslated(self.extracted, self.translated),
            "fuzzy": [m.id for m in self.translated if m.id and m.fuzzy],
            "obsolete": list(self.translated.obsolete),
            "unused": unused(self.extracted, self.translated),
            "broken placeholders": broken_placeholders(self.translated),
        }
        header = self.path.read_text(encoding="utf-8")
        if self.translated.locale and str(self.translated.locale).startswith("fr"):
            plural = '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"'
            found["plural rule"] = [] if plural in header else [plural]
        return {kind: items for kind, items in found.items() if items}


def check_catalog(
    source: Path, catalog: Path, folder: Path, mapping: Path | None = None, locale: str = "fr"
) -> CatalogCheck:
    """Check the ``locale`` catalog at ``catalog`` against the messages of ``source``.

    ``mapping`` is the Babel configuration (``babel.cfg`` above ``source`` by default);
    ``folder`` receives the extracted ``.pot``. A plugin's test needs only::

        def test_the_french_catalog_is_complete(tmp_path):
            check = check_catalog(PLUGIN, PLUGIN / "translations/fr/LC_MESSAGES/opendays.po",
                                  tmp_path)
            assert check.problems() == {}
            assert "Latest notes" in check.ids  # the extraction reaches the templates
    """
    if mapping is None:
        mapping = next(
            parent / "babel.cfg"
            for parent in (source, *source.parents)
            if (parent / "babel.cfg").exists()
        )
    return CatalogCheck(
        extract_messages(source, mapping, folder), read_catalog(catalog, locale=locale), catalog
    )


def _placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def _forms(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)
