"""Storage: the database from a URL, per-component migrations, one history table."""

import peewee
import pytest

from tremplin import db, migrations
from tremplin.app import runtime_of
from tremplin.i18n import using_locale

MIGRATION = """
import peewee


def up(migrator, db):
    class {model}(peewee.Model):
        label = peewee.CharField()

        class Meta:
            database = db
            table_name = "{table}"

    db.create_tables([{model}])
"""


def make_component(folder, *names, body=MIGRATION, table="notebook_entry", model="Entry"):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.py").write_text(body.format(table=table, model=model), encoding="utf-8")
    return folder


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    database = db.connect("sqlite:///data/t.db", base_dir=tmp_path)
    with database.connection_context():
        assert database.pragma("journal_mode") == "wal"
        assert database.pragma("foreign_keys") == 1
        assert database.pragma("busy_timeout") >= 5000
    assert (tmp_path / "data" / "t.db").exists()


def test_an_absolute_sqlite_path_is_kept(tmp_path):
    database = db.connect(f"sqlite:///{tmp_path / 'absolute.db'}", base_dir=tmp_path / "elsewhere")
    assert database.database == str(tmp_path / "absolute.db")


def test_a_postgresql_url_gives_a_postgresql_database():
    database = db.connect("postgresql://tremplin:secret@127.0.0.1:5432/tremplin")
    assert isinstance(database, peewee.PostgresqlDatabase)
    assert database.connect_params["password"] == "secret"


def test_other_databases_are_refused():
    with pytest.raises(ValueError, match="mysql"):
        db.connect("mysql://127.0.0.1/tremplin")


def test_passwords_are_redacted_for_display():
    assert db.redact("postgresql://u:s3cret@h:5432/d") == "postgresql://u:***@h:5432/d"
    assert db.redact("sqlite:///instance/tremplin.db") == "sqlite:///instance/tremplin.db"


def test_the_test_database_is_the_one_configured(app):
    database = runtime_of(app).database
    expected = peewee.SqliteDatabase
    import os

    if os.environ.get("TREMPLIN_TEST_DATABASE_URL"):
        expected = peewee.PostgresqlDatabase
    assert isinstance(database, expected)


def test_upgrade_applies_each_component_in_order_then_changes_nothing(app, tmp_path):
    database = runtime_of(app).database
    first = make_component(tmp_path / "first", "0001_create", table="first_entry")
    second = make_component(tmp_path / "second", "0001_create", table="second_entry")
    components = [("first", first), ("second", second)]
    with database.connection_context():
        applied = migrations.upgrade(database, components)
        assert [(m.component, m.name) for m in applied] == [
            ("first", "0001_create"),
            ("second", "0001_create"),
        ]
        assert migrations.upgrade(database, components) == []
        assert database.table_exists("first_entry")
        assert database.table_exists("second_entry")


def test_migrations_run_in_numeric_order_and_are_recorded_with_their_component(app, tmp_path):
    database = runtime_of(app).database
    body_add = """
import peewee


def up(migrator, db):
    migrator.migrate(migrator.add_column("notebook_entry", "pages", peewee.IntegerField(default=0)))
"""
    folder = make_component(tmp_path / "notebook", "0001_create")
    (folder / "0002_add_pages.py").write_text(body_add, encoding="utf-8")
    with database.connection_context():
        migrations.upgrade(database, [("notebook", folder)])
        states = migrations.status(database, [("notebook", folder)])
        columns = {column.name for column in database.get_columns("notebook_entry")}
    assert [(s.component, s.name, s.pending) for s in states] == [
        ("notebook", "0001_create", False),
        ("notebook", "0002_add_pages", False),
    ]
    assert "pages" in columns


def test_a_failing_migration_names_itself_and_leaves_nothing_half_done(app, tmp_path):
    database = runtime_of(app).database
    failing = """
import peewee


def up(migrator, db):
    class Half(peewee.Model):
        class Meta:
            database = db
            table_name = "half_done"

    db.create_tables([Half])
    raise RuntimeError("boom")
"""
    folder = make_component(tmp_path / "broken", "0001_create")
    (folder / "0002_fail.py").write_text(failing, encoding="utf-8")
    with database.connection_context():
        with pytest.raises(migrations.MigrationError, match="broken/0002_fail: boom"):
            migrations.upgrade(database, [("broken", folder)])
        states = migrations.status(database, [("broken", folder)])
        assert [s.pending for s in states] == [False, True]
        assert not database.table_exists("half_done")


def test_db_upgrade_twice_changes_nothing_the_second_time(make_app, run_cli):
    app = make_app(migrate=False)
    with using_locale("en"):
        first = run_cli(app, "db", "upgrade")
        second = run_cli(app, "db", "upgrade")
    assert "territories/0001_create_territory" in first.output
    assert second.output.strip() == "The database is up to date."


def test_db_status_lists_pending_migrations_and_check_fails_on_them(make_app, run_cli):
    app = make_app(migrate=False)
    with using_locale("en"):
        before = run_cli(app, "db", "status", "--check")
        run_cli(app, "db", "upgrade")
        after = run_cli(app, "db", "status", "--check")
    assert before.exit_code == 1
    assert "territories/0001_create_territory\tpending" in before.output
    assert after.exit_code == 0
    assert "0 pending" in after.output


def test_an_unreachable_database_gives_one_line_without_its_password(write_region, run_cli):
    from tremplin import create_app

    folder = write_region('[region]\ncode = "x"\nname = "X"\n')
    app = create_app(
        str(folder), overrides={"database_url": "postgresql://u:hunter2@127.0.0.1:1/d"}
    )
    with using_locale("en"):
        result = run_cli(app, "db", "status")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "127.0.0.1" in result.stderr
    assert "hunter2" not in result.output


def test_hook_register_models_lets_db_check_find_a_missing_column(make_app, run_cli):
    from tremplin import hookimpl
    from tremplin.db import BaseModel

    class Notebook(BaseModel):
        label = peewee.CharField()

        class Meta:
            table_name = "territory"

    class Models:
        name = "models"

        @hookimpl
        def register_models(self):
            return [Notebook]

    with using_locale("en"):
        result = run_cli(make_app(extra_plugins=[Models()]), "db", "check")
    assert result.exit_code == 1
    assert "territory.label" in result.output


def test_db_check_accepts_the_core_models_after_upgrade(app, run_cli):
    assert run_cli(app, "db", "check").exit_code == 0


def test_db_check_reports_a_plugin_table_without_the_plugin_s_prefix(make_app, run_cli):
    from tremplin import hookimpl
    from tremplin.db import BaseModel

    class Badge(BaseModel):
        class Meta:
            table_name = "badge"

    class Badges:
        name = "badges"

        @hookimpl
        def register_models(self):
            return [Badge]

        @hookimpl
        def register_migrations(self):
            return []

    app = make_app(extra_plugins=[Badges()])
    with app.app_context():
        runtime_of(app).database.create_tables([Badge])
    with using_locale("en"):
        result = run_cli(app, "db", "check")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Table badge of the plugin badges does not start with badges_."
