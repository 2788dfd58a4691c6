"""The ``tremplin`` command line.

Every command runs inside the app context of the region given by ``--region`` (or
``TREMPLIN_REGION``, or the current folder). Areas and plugins add commands through the
``register_commands`` hook. A broken configuration or bad input ends with one readable
line and exit code 2.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

import click
import peewee
from flask import Flask

from . import __version__, db, i18n, imports, migrations, scaffold, spreadsheets
from .app import build_links_on, create_app, runtime_of
from .errors import CliError
from .i18n import _, ngettext
from .pluginmanager import Hooks, PluginError, describe, is_core_area, make_plugin_manager
from .region import ConfigError

# Core commands that work outside any region (a developer's tools).
WITHOUT_INSTANCE = frozenset({"plugin"})


class CliState:
    """The app a command works on: built from ``--region`` on first use, or given (tests)."""

    def __init__(self, app: Flask | None = None, region: str | None = None):
        self._app = app
        self.region = region
        # Why the region's app could not be built, once help has tried (shown in help).
        self.region_error: CliError | None = None

    def app(self) -> Flask:
        """The instance's app, built once."""
        if self._app is None:
            try:
                self._app = create_app(self.region)
            except (ConfigError, PluginError) as error:
                raise CliError(str(error)) from error
        return self._app


class TremplinGroup(click.Group):
    """Core commands, then those the app's areas and plugins register; all in app context."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None:
            return command
        command = _registered_commands(ctx).get_command(ctx, name)
        error = _state(ctx).region_error
        if command is None and error is not None:
            raise error  # perhaps a plugin's command: say why the region could not be read
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_registered_commands(ctx).list_commands(ctx)})

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if _state(ctx).region_error is not None:
            formatter.write_paragraph()
            formatter.write_text(
                _("The region's plugins add their commands: give --region FOLDER to see them.")
            )
        super().format_epilog(ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        words = [*getattr(ctx, "_protected_args", []), *ctx.args]
        if "--help" in words or (words and words[0] in WITHOUT_INSTANCE):
            return super().invoke(ctx)  # help, and tools for developers, need no instance
        app = _state(ctx).app()
        # The region's language, unless the caller chose one (``with using_locale("en"):``).
        token = i18n.set_locale(i18n.chosen_locale() or runtime_of(app).region.default_locale)
        try:
            with app.app_context():
                try:
                    return super().invoke(ctx)
                finally:
                    Hooks(runtime_of(app).plugins).command_finished(
                        command=ctx.invoked_subcommand or ""
                    )
        except peewee.OperationalError as error:
            url = db.redact(runtime_of(app).region.database_url)
            reason = (
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
            raise CliError(
                _("the database %(url)s does not answer: %(reason)s", url=url, reason=reason)
            ) from error
        finally:
            i18n.reset_locale(token)


def _registered_commands(ctx: click.Context) -> click.Group:
    """The commands of the region's areas and plugins; the core areas' alone without a region.

    Help then lists every core command, even outside a region; running one still needs the
    region (``TremplinGroup.invoke`` builds the app first and stops with one line).
    """
    state = _state(ctx)
    try:
        return state.app().extensions["tremplin"].commands
    except CliError as error:
        state.region_error = error
        return _core_commands()


@functools.cache
def _core_commands() -> click.Group:
    commands = click.Group("tremplin")
    Hooks(make_plugin_manager(())).register_commands(cli=commands)
    return commands


def _state(ctx: click.Context) -> CliState:
    return ctx.find_object(CliState) or ctx.find_root().ensure_object(CliState)


def _remember_region(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    # Eager, so that ``tremplin --region X --help`` already knows the region's commands.
    state = _state(ctx)
    if value and state.region is None:
        state.region = value


@click.group(cls=TremplinGroup)
@click.option(
    "--region",
    metavar="FOLDER",
    is_eager=True,
    expose_value=False,
    callback=_remember_region,
    help="Region folder holding tremplin.toml (default: $TREMPLIN_REGION, then .).",
)
@click.version_option(__version__, prog_name="tremplin")
def cli() -> None:
    """Tremplin: run a regional career-orientation network."""


def main() -> None:
    """Entry point of the ``tremplin`` script."""
    cli.main(prog_name="tremplin")


def _runtime():
    return runtime_of(_current_app())


def _current_app() -> Flask:
    return _state(click.get_current_context()).app()


@cli.group("db")
def db_group() -> None:
    """The database: migrations and checks."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations of the core and of the enabled plugins (idempotent)."""
    runtime = _runtime()
    components = migrations.components_of(runtime.plugins)
    with runtime.database.connection_context():
        try:
            applied = migrations.upgrade(runtime.database, components)
        except migrations.MigrationError as error:
            raise CliError(str(error)) from error
    for state in applied:
        click.echo(_("Applied %(component)s/%(name)s", component=state.component, name=state.name))
    if not applied:
        click.echo(_("The database is up to date."))


@db_group.command("status")
@click.option("--check", is_flag=True, help="Exit with code 1 when a migration is pending.")
def db_status(check: bool) -> None:
    """List every migration, applied or pending."""
    runtime = _runtime()
    components = migrations.components_of(runtime.plugins)
    with runtime.database.connection_context():
        states = migrations.status(runtime.database, components)
    click.echo(_("Database: %(url)s", url=db.redact(runtime.region.database_url)))
    for state in states:
        when = state.applied_at.isoformat(timespec="seconds") if state.applied_at else _("pending")
        click.echo(f"{state.component}/{state.name}\t{when}")
    pending = sum(state.pending for state in states)
    click.echo(ngettext("%(num)d pending migration.", "%(num)d pending migrations.", pending))
    if check and pending:
        sys.exit(1)


@db_group.command("check")
def db_check() -> None:
    """Verify that every model's table and columns exist (exit 1 if not)."""
    runtime = _runtime()
    problems = []
    with runtime.database.connection_context():
        for plugin, models in Hooks(runtime.plugins).answers("register_models"):
            for model in models or ():
                problems.extend(_schema_problems(runtime.database, model))
                problems.extend(_prefix_problems(plugin, model))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(_("Every model matches the database."))


def _prefix_problems(plugin: str, model: type[peewee.Model]) -> list[str]:
    """A plugin's tables are named after it (``charter_version``), so that none collides."""
    table = model._meta.table_name
    prefix = f"{plugin}_"
    if is_core_area(plugin) or table.startswith(prefix):
        return []
    return [
        _(
            "Table %(table)s of the plugin %(plugin)s does not start with %(prefix)s.",
            table=table,
            plugin=plugin,
            prefix=prefix,
        )
    ]


def _schema_problems(database: peewee.Database, model: type[peewee.Model]) -> list[str]:
    table = model._meta.table_name
    if not database.table_exists(table):
        return [_("Table %(table)s is missing.", table=table)]
    columns = {column.name for column in database.get_columns(table)}
    return [
        _("Column %(table)s.%(column)s is missing.", table=table, column=field.column_name)
        for field in model._meta.sorted_fields
        if field.column_name not in columns
    ]


@cli.group("region")
def region_group() -> None:
    """The region folder: load its data."""


@region_group.command("load")
def region_load() -> None:
    """Import the region's data (territories...) idempotently; exit 1 if rows were rejected."""
    runtime = _runtime()
    with runtime.database.connection_context():
        reports = Hooks(runtime.plugins).load_region_data(region=runtime.region)
    for report in reports:
        _print_report(report)
    if any(report.rejected for report in reports):
        sys.exit(1)


@cli.command("import")
@click.argument("kind")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--report",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the rejected rows, with their line and reason, to this CSV file.",
)
def import_command(kind: str, file: Path, report: Path | None) -> None:
    """Import KIND records (organisations, ambassadors...) from a CSV FILE; safe to re-run.

    Bad rows are listed with their line number and reason, good rows are kept; exit code 1
    when some rows were rejected.
    """
    runtime = _runtime()
    importers = {i.name: i for i in Hooks(runtime.plugins).register_importers()}
    if kind not in importers:
        names = ", ".join(sorted(importers)) or "-"
        raise CliError(_("nothing can import %(kind)r (choose: %(names)s)", kind=kind, names=names))
    importer = importers[kind]
    try:
        count, rows = imports.read_csv(file, importer.columns)
    except imports.ImportFileError as error:
        raise CliError(str(error)) from error
    progress = click.progressbar(rows, length=count, label=importer.description, file=sys.stderr)
    with runtime.database.connection_context(), progress:
        outcome = importer.load(progress)
        if outcome.created or outcome.updated:
            db.analyze(runtime.database)
    _print_report(outcome)
    if report is not None:
        _write_rejections(report, outcome)
    if outcome.rejected:
        sys.exit(1)


def _print_report(outcome) -> None:
    click.echo(outcome.summary())
    for rejection in outcome.rejected:
        click.echo(_("  line %(line)d: %(reason)s", line=rejection.line, reason=rejection.reason))


def _write_rejections(path: Path, outcome) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = spreadsheets.writer(handle)
        writer.writerow([_("line"), _("reason")])
        writer.writerows((rejection.line, rejection.reason) for rejection in outcome.rejected)


@cli.command("init")
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create or upgrade the database, then load the region's data."""
    ctx.invoke(db_upgrade)
    ctx.invoke(region_load)


@cli.command("plugins")
@click.option("--all", "show_all", is_flag=True, help="Include the core's own areas.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, as /-/plugins.json does.")
def plugins(show_all: bool, as_json: bool) -> None:
    """List enabled plugins with their version and the hooks they implement."""
    infos = [info for info in describe(_runtime().plugins) if show_all or not info.core]
    if as_json:
        click.echo(json.dumps([info.as_dict() for info in infos], indent=2))
        return
    if not infos:
        click.echo(_("No plugin is enabled."))
    for info in infos:
        click.echo(f"{info.name} {info.version or ''}\t{', '.join(info.hooks)}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--debug", is_flag=True, help="Reload on code changes and show debug pages.")
def serve(host: str, port: int, debug: bool) -> None:
    """Serve the instance for development (use gunicorn tremplin.wsgi:app in production).

    Links (pages, emails) are built on the address served, unless the region gives its
    public address (``[web] base_url``, ``TREMPLIN_BASE_URL``).
    """
    app = _current_app()
    region = runtime_of(app).region
    address = served_address(host, port)
    if not region.base_url_given:
        build_links_on(app, address)
    click.echo(_("%(name)s on %(address)s", name=region.name, address=address))
    app.run(host=host, port=port, debug=debug, use_reloader=debug)


def served_address(host: str, port: int) -> str:
    """The address people type to reach a server listening on ``host`` and ``port``.

    A server listening on every interface (``0.0.0.0``) is reached on this machine.
    """
    shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "[::1]"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"  # an IPv6 address
    return f"http://{shown}:{port}"


@cli.group("plugin")
def plugin_group() -> None:
    """Tools for plugin authors (no region needed)."""


@plugin_group.command("new")
@click.argument("name")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the plugin (default: ./tremplin-NAME).",
)
def plugin_new(name: str, directory: Path | None) -> None:
    """Write a new plugin NAME to start from: package, entry point, model and migration,
    settings, a French and English page, translations, tests and a docs page."""
    try:
        plugin = scaffold.check_name(name)
        folder = directory or Path(plugin.distribution)
        files = scaffold.write_plugin(name, folder)
    except scaffold.ScaffoldError as error:
        raise CliError(str(error)) from error
    click.echo(
        _(
            "Plugin %(name)s written in %(folder)s (%(num)d files).",
            name=name,
            folder=folder,
            num=len(files),
        )
    )
    click.echo(_("Next: install it, enable it in a region, create its table and run its tests:"))
    click.echo(f"  pip install -e '{folder}[test]'")
    click.echo(f'  [plugins] enabled = ["{name}"]   # tremplin.toml')
    click.echo("  tremplin --region REGION db upgrade")
    click.echo(f"  pytest {folder}")
