"""The test kit, as a third-party plugin author uses it: a plugin defined in a test file."""

import datetime
import os
import textwrap
import uuid
import zoneinfo
from urllib.parse import urlsplit

import click
import pytest
from flask import Blueprint

from tremplin import hookimpl
from tremplin.app import runtime_of
from tremplin.testing import admin_client


class Forums:
    """A plugin written in this test file, with no packaging."""

    name = "forums"
    __version__ = "0.3.0"

    def __init__(self, migrations):
        self.migrations = migrations
        self.blueprint = Blueprint("forums", __name__)
        self.blueprint.add_url_rule("/forums", "index", lambda: "Forum des métiers")

    @hookimpl
    def register_blueprints(self, app):
        return [self.blueprint]

    @hookimpl
    def register_commands(self, cli):
        @cli.command("forums")
        @click.argument("city")
        def forums(city):
            """Announce a forum."""
            click.echo(f"Forum à {city} ({runtime_of_current()})")

    @hookimpl
    def register_migrations(self):
        return [("forums", self.migrations)]


def runtime_of_current():
    from tremplin.runtime import current

    return current().region.code


def forum_migrations(tmp_path):
    folder = tmp_path / "forums_migrations"
    folder.mkdir()
    (folder / "0001_create_forum.py").write_text(
        textwrap.dedent(
            """
            import peewee


            def up(migrator, db):
                class Forum(peewee.Model):
                    city = peewee.CharField()

                    class Meta:
                        database = db
                        table_name = "forums_forum"

                db.create_tables([Forum])
            """
        ),
        encoding="utf-8",
    )
    return folder


def test_a_plugin_from_a_test_file_adds_a_page(make_app, tmp_path):
    client = make_app(extra_plugins=[Forums(forum_migrations(tmp_path))]).test_client()
    assert client.get("/forums").text == "Forum des métiers"


def test_hook_register_commands_adds_a_command_run_in_the_instance(make_app, run_cli, tmp_path):
    app = make_app(extra_plugins=[Forums(forum_migrations(tmp_path))])
    result = run_cli(app, "forums", "Amiens")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Forum à Amiens (test-region)"


def test_a_plugin_from_a_test_file_is_listed_in_plugins_json(make_app, tmp_path):
    client = admin_client(make_app(extra_plugins=[Forums(forum_migrations(tmp_path))]))
    assert client.get("/-/plugins.json").json == [
        {
            "name": "forums",
            "version": "0.3.0",
            "hooks": ["register_blueprints", "register_commands", "register_migrations"],
        }
    ]


def test_hook_register_migrations_creates_the_plugins_tables(make_app, tmp_path):
    app = make_app(extra_plugins=[Forums(forum_migrations(tmp_path))])
    database = runtime_of(app).database
    with database.connection_context():
        assert database.table_exists("forums_forum")


def test_each_test_gets_an_empty_database_of_its_own(make_app, tremplin_database_url):
    from tremplin.territories.models import Territory

    app = make_app()
    with app.app_context():
        assert Territory.select().count() == 0
        Territory.create(code="t", name="T", kind="region")
    server = os.environ.get("TREMPLIN_TEST_DATABASE_URL")
    if server:
        assert urlsplit(tremplin_database_url).path != urlsplit(server).path
    else:
        assert tremplin_database_url.startswith("sqlite:///")


def schema_and_history(app):
    """Every table with its columns and indexes, and the migrations applied (with when)."""
    from tremplin.migrations import AppliedMigration

    database = runtime_of(app).database
    with database.connection_context(), database.bind_ctx([AppliedMigration]):
        schema = {
            table: (
                sorted((column.name, column.data_type) for column in database.get_columns(table)),
                sorted(index.name for index in database.get_indexes(table)),
            )
            for table in database.get_tables()
        }
        history = list(
            AppliedMigration.select(
                AppliedMigration.component, AppliedMigration.name, AppliedMigration.applied_at
            )
            .order_by(AppliedMigration.component, AppliedMigration.name)
            .tuples()
        )
    return schema, history


@pytest.mark.parametrize("plugins", [(), ("charter", "stages")])
def test_a_test_s_database_is_what_migrating_a_new_one_gives_at_the_test_s_moment(
    make_app, tremplin_templates, tmp_path, clock, plugins
):
    from tremplin.app import create_app
    from tremplin.migrations import components_of
    from tremplin.testing import minimal_region, upgrade
    from tremplin.testing.databases import TestDatabase

    (tmp_path / "fresh").mkdir()
    fresh_database = TestDatabase(tremplin_templates, tmp_path / "fresh")
    fresh = create_app(
        str(minimal_region(tmp_path / "region")),
        overrides={"database_url": fresh_database.empty(), "plugins": list(plugins)},
    )
    # The run's template for these migrations is made (if need be) before the test's moment.
    tremplin_templates.source(components_of(runtime_of(fresh).plugins))
    clock.advance(days=40)
    try:
        upgrade(fresh)
        fresh_schema, fresh_history = schema_and_history(fresh)
        copied_schema, copied_history = schema_and_history(make_app(plugins=plugins))
    finally:
        runtime_of(fresh).database.close()
        fresh_database.drop()

    assert copied_schema == fresh_schema
    assert [row[:2] for row in copied_history] == [row[:2] for row in fresh_history]
    for (*_, copied_at), (*_, fresh_at) in zip(copied_history, fresh_history, strict=True):
        assert abs(copied_at - fresh_at) < datetime.timedelta(minutes=1)


def test_a_migration_edited_or_added_makes_another_template(tmp_path):
    from tremplin.testing.databases import migrations_key

    folder = forum_migrations(tmp_path)
    before = migrations_key([("forums", folder)])
    assert migrations_key([("forums", folder)]) == before
    assert migrations_key([("forums2", folder)]) != before

    (folder / "0001_create_forum.py").write_text("def up(migrator, db):\n    pass\n")
    edited = migrations_key([("forums", folder)])
    assert edited != before
    (folder / "0002_more.py").write_text("def up(migrator, db):\n    pass\n")
    assert migrations_key([("forums", folder)]) not in {before, edited}


@pytest.fixture
def user_who_may_not_create_databases():
    import psycopg
    from psycopg import sql

    server = os.environ.get("TREMPLIN_TEST_DATABASE_URL")
    if not server:
        pytest.skip("a PostgreSQL server's users")
    role = f"tremplin_kit_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as connection:
        database = connection.info.dbname
        connection.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        connection.execute(
            sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(
                sql.Identifier(database), sql.Identifier(role)
            )
        )
    yield (
        urlsplit(server)
        ._replace(netloc=f"{role}@{urlsplit(server).hostname}:{urlsplit(server).port or 5432}")
        .geturl()
    )
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(
            sql.SQL("REVOKE CREATE ON DATABASE {} FROM {}").format(
                sql.Identifier(database), sql.Identifier(role)
            )
        )
        connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_a_user_who_may_not_create_databases_gets_a_schema_of_its_own(
    user_who_may_not_create_databases, tmp_path
):
    from tremplin import db, migrations
    from tremplin.testing.databases import Templates, TestDatabase

    templates = Templates(user_who_may_not_create_databases, tmp_path)
    assert not templates.databases_allowed
    test_database = TestDatabase(templates, tmp_path)
    folder = forum_migrations(tmp_path)
    url = test_database.migrated([("forums", folder)])
    assert "search_path" in url
    database = db.connect(url)
    try:
        with database.connection_context():
            assert not database.table_exists("forums_forum")  # the caller migrates
            migrations.upgrade(database, [("forums", folder)])
            assert database.table_exists("forums_forum")
    finally:
        database.close()
        test_database.drop()
        templates.drop()


def test_the_kit_is_a_pytest_plugin_declared_by_entry_point():
    from importlib.metadata import entry_points

    assert [ep.value for ep in entry_points(group="pytest11") if ep.name == "tremplin"] == [
        "tremplin.testing"
    ]


# The clock every test starts at


def test_every_test_starts_at_the_moment_of_the_run_and_time_flows_from_it(clock):
    from tremplin import clock as tremplin_clock

    assert (
        datetime.timedelta(0) <= tremplin_clock.now() - clock.start < datetime.timedelta(minutes=1)
    )


def test_the_clock_travels_for_a_block_and_advances_for_the_rest_of_the_test(clock):
    with clock.travel(days=3):
        assert clock.today() == clock.start.date() + datetime.timedelta(days=3)
    assert clock.today() == clock.start.date()
    clock.advance(days=400)
    assert clock.today() == clock.start.date() + datetime.timedelta(days=400)
    clock.pin(datetime.datetime(2025, 12, 31, 23, 30))
    assert clock.today(zoneinfo.ZoneInfo("Europe/Paris")) == datetime.date(2026, 1, 1)


SEES_THE_DAY = """
from tremplin import clock

def test_the_day():
    print("today is", clock.today())
"""


def test_the_suite_runs_at_the_moment_given_by_option_or_environment(pytester, monkeypatch):
    pytester.makepyfile(SEES_THE_DAY)
    monkeypatch.delenv("TREMPLIN_TEST_NOW", raising=False)  # CI runs the suite at others

    by_default = pytester.runpytest("-s", "-p", "no:cacheprovider")
    by_option = pytester.runpytest(
        "-s", "-p", "no:cacheprovider", "--tremplin-now=2026-03-29T00:30"
    )
    monkeypatch.setenv("TREMPLIN_TEST_NOW", "2026-01-01T00:30+01:00")
    by_variable = pytester.runpytest("-s", "-p", "no:cacheprovider")

    by_default.stdout.fnmatch_lines(
        ["*every test starts at 2026-03-10T09:00:00 UTC", "*today is 2026-03-10*"]
    )
    by_option.stdout.fnmatch_lines(
        ["*every test starts at 2026-03-29T00:30:00 UTC", "*today is 2026-03-29*"]
    )
    by_variable.stdout.fnmatch_lines(
        ["*every test starts at 2025-12-31T23:30:00 UTC", "*today is 2025-12-31*"]
    )


def test_a_moment_that_is_not_iso_stops_the_run_at_once(pytester):
    pytester.makepyfile(SEES_THE_DAY)
    result = pytester.runpytest("-p", "no:cacheprovider", "--tremplin-now=29/03/2026")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*'29/03/2026' is not an ISO 8601 moment such as 2026-03-29T00:30"]
    )


SHARES_A_MODULE_APP = """
import datetime

import pytest

from tremplin.app import runtime_of
from tremplin.clock import now
from tremplin.testing import pinned_at_test_now

made = []


@pytest.fixture(scope="module")
def shared(request, make_module_app):
    with pinned_at_test_now(request.config):
        made.append(now())
        app = make_module_app()
    return app


def test_the_first_writes(shared):
    database = runtime_of(shared).database
    with database.connection_context():
        database.execute_sql("CREATE TABLE note (text TEXT)")
        database.execute_sql("INSERT INTO note VALUES ('kept')")


def test_the_second_reads_it_and_the_app_was_made_at_the_run_s_moment(shared):
    database = runtime_of(shared).database
    with database.connection_context():
        assert database.execute_sql("SELECT text FROM note").fetchall() == [("kept",)]
    assert len(made) == 1
    late = made[0] - datetime.datetime(2026, 2, 28, 21)
    assert datetime.timedelta(0) <= late < datetime.timedelta(seconds=1)
"""


def test_a_module_s_tests_share_one_app_made_at_the_run_s_moment(pytester):
    pytester.makepyfile(SHARES_A_MODULE_APP)
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-p", "no:randomly", "--tremplin-now=2026-02-28T21:00"
    )
    result.assert_outcomes(passed=2)


# Factories and signed-in clients


def test_the_network_makes_every_role_in_its_organisation_and_territory(network):
    from tremplin.auth.models import Role, RoleGrant

    company = network.organisation("Forges de l'Escaut", siret="12345678900017")
    school = network.school("Collège Jean Moulin", kind="college")
    made = {
        "admin": network.admin(),
        "referent": network.referent("62"),
        "educator": network.educator(school),
        "partner_manager": network.partner_manager(company),
    }
    grants = network.run(
        lambda: {
            grant.account.email: (grant.role, grant.territory_id, grant.organisation_id)
            for grant in RoleGrant.select()
        }
    )
    pas_de_calais = network.territory("62").id
    assert grants[made["admin"].email] == (Role.ADMIN, None, None)
    assert grants[made["referent"].email] == (Role.REFERENT, pas_de_calais, None)
    assert grants[made["educator"].email] == (Role.EDUCATOR, None, school.id)
    assert grants[made["partner_manager"].email] == (Role.PARTNER_MANAGER, None, company.id)
    assert network.territory("bef-59-lille-est").id == school.territory_id
    ambassador = network.ambassador("Soudeuse", zones=["62"])
    assert network.account_of(ambassador).email.startswith("ambassador")


@pytest.mark.parametrize(
    "status", ["requested", "accepted", "declined", "scheduled", "cancelled", "completed"]
)
def test_an_intervention_is_made_in_any_state_through_the_workflow(network, clock, status):
    from tremplin.testing import in_days

    educator = network.educator()
    ambassador = network.ambassador()
    made = network.intervention(educator, ambassador, status, on=in_days(3))
    assert network.get(made.id).status == status
    assert network.get(made.id).starts_at == in_days(3)
    # Completing it moved the clock past the intervention, then back.
    assert clock.now() - clock.start < datetime.timedelta(hours=1)


def test_a_signed_in_client_opens_pages_and_an_api_client_may_post(app, network):
    from tremplin.testing import api_client, client_of

    referent = network.referent("59", email="ines.roussel@example.org")
    assert client_of(app, referent).get("/api/v1/me").json["email"] == "ines.roussel@example.org"
    assert app.test_client().get("/api/v1/me").status_code == 401
    ambassador = network.ambassador()
    assert client_of(network, ambassador).get("/api/v1/me").json["email"].startswith("ambassador")
    # An API call that changes something needs the session's CSRF token: the client sends it.
    signed_in = api_client(app, referent)
    assert signed_in.environ_base["HTTP_X_CSRFTOKEN"]
    refused = client_of(app, referent).patch("/api/v1/me", json={"first_name": "Inès"})
    assert refused.status_code == 400
    changed = signed_in.patch("/api/v1/me", json={"first_name": "Inès"})
    assert changed.status_code == 200, changed.json
    assert changed.json["first_name"] == "Inès"


def test_signing_in_with_a_wrong_password_fails_the_test_at_once(app, network):
    from tremplin.testing import client_of

    with pytest.raises(AssertionError, match=r"signing in as .* failed"):
        client_of(app, network.admin(), password="not the password")


def test_waiting_gives_what_came_once_it_came_and_fails_naming_what_never_did():
    import threading

    from tremplin.testing import wait_for

    arrived: list[str] = []
    threading.Timer(0.3, arrived.append, ["an email"]).start()
    assert wait_for(lambda: list(arrived), seconds=10, what="the email") == ["an email"]
    with pytest.raises(AssertionError, match=r"waited 0\.2 s for the worker's email"):
        wait_for(lambda: [], seconds=0.2, what="the worker's email")


@pytest.fixture
def server_templates(tmp_path):
    """The kit's templates on the PostgreSQL server of the run, dropped afterwards."""
    from tremplin.testing.databases import Templates

    server = os.environ.get("TREMPLIN_TEST_DATABASE_URL")
    if not server:
        pytest.skip("copies kept on a PostgreSQL server")
    templates = Templates(server, tmp_path)
    yield templates
    templates.drop()


def forum_rows(url, sql=None):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        if sql:
            connection.execute(sql)
        (count,) = connection.execute("SELECT count(*) FROM forums_forum").fetchone()
        (next_id,) = connection.execute(
            "INSERT INTO forums_forum (city) VALUES ('Lens') RETURNING id"
        ).fetchone()
        (database,) = connection.execute(
            "SELECT oid FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    return count, next_id, database


def test_a_copy_kept_for_the_next_test_has_none_of_the_rows_of_the_one_before(
    server_templates, tmp_path
):
    from tremplin.testing.databases import TestDatabase

    components = [("forums", forum_migrations(tmp_path))]
    first = TestDatabase(server_templates, tmp_path)
    count, next_id, database = forum_rows(
        first.migrated(components), "INSERT INTO forums_forum (city) VALUES ('Arras'), ('Douai')"
    )
    assert (count, next_id) == (2, 3)
    first.drop()

    second = TestDatabase(server_templates, tmp_path)
    count, next_id, reused = forum_rows(second.migrated(components))
    assert reused == database  # the same database, kept and renamed
    assert (count, next_id) == (0, 1)
    assert second.url != first.url
    second.drop()


REAPPLIED = """
DELETE FROM tremplin_migration WHERE component = 'forums';
INSERT INTO tremplin_migration (component, name, applied_at)
VALUES ('forums', '0001_create_forum', now())
"""


@pytest.mark.parametrize(
    "change",
    [
        "ALTER TABLE forums_forum ADD COLUMN region text",
        "CREATE INDEX forum_city ON forums_forum (city)",
        "ALTER TABLE forums_forum ALTER COLUMN city SET DEFAULT 'Lille'",
        "CREATE FUNCTION forum_count() RETURNS bigint LANGUAGE sql AS "
        "'SELECT count(*) FROM forums_forum'",
        REAPPLIED,  # the same history, its ids moved on: the sequence must not go back
        "ANALYZE forums_forum",  # the planner's statistics would outlive the rows
        "INSERT INTO forums_forum (city) SELECT 'Lille ' || n FROM generate_series(1, 10000) n",
    ],
    ids=[
        "column",
        "index",
        "default",
        "function",
        "migration applied again",
        "statistics",
        "grown",
    ],
)
def test_a_copy_a_test_changed_beyond_its_rows_is_dropped_not_kept(
    server_templates, tmp_path, change
):
    from tremplin.testing.databases import TestDatabase

    components = [("forums", forum_migrations(tmp_path))]
    first = TestDatabase(server_templates, tmp_path)
    *_, database = forum_rows(first.migrated(components), change)
    first.drop()

    second = TestDatabase(server_templates, tmp_path)
    count, next_id, other = forum_rows(second.migrated(components))
    assert other != database  # a new copy of the template
    assert (count, next_id) == (0, 1)
    second.drop()
