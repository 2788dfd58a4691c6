"""``tremplin demo``: the region's instance with an invented network, in one command."""

from __future__ import annotations

import sys
import time

import click
from flask import current_app, url_for

from .. import cli as core_cli
from .. import db, runtime
from ..app import build_links_on
from ..errors import CliError
from ..i18n import _
from ..mail import delivery
from . import generator, instance


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--ambassadors",
    default=generator.Size.ambassadors,
    show_default=True,
    type=click.IntRange(10, 1_000_000),
    help="Size of the generated network (schools, teachers and partners follow).",
)
@click.option(
    "--interventions",
    default=generator.Size.interventions,
    show_default=True,
    type=click.IntRange(0, 1_000_000),
)
@click.option("--seed", default=generator.DEFAULT_SEED, show_default=True, type=int)
@click.option("--serve/--no-serve", default=True, help="Serve the instance once it is ready.")
@click.pass_context
def demo_command(
    ctx: click.Context,
    host: str,
    port: int,
    ambassadors: int,
    interventions: int,
    seed: int,
    serve: bool,
) -> None:
    """Create the region's database, fill it with an invented network, and serve it.

    The network is generated once, into an empty database; later runs serve it as it is.
    Served, the demo runs its worker in the same process, keeps its emails for its admin
    to read (they are sent nowhere) and links to the address it serves, even when the
    region gives another public address.
    """
    app = current_app._get_current_object()
    instance.make_demo(app)
    ctx.invoke(core_cli.db_upgrade)
    ctx.invoke(core_cli.region_load)
    if generator.is_generated():
        click.echo(_("The demo network is already in this database: it is kept as it is."))
    elif generator.has_data():
        raise CliError(
            _(
                "this database already holds accounts or organisations; the demo fills only "
                "an empty one (set TREMPLIN_DATABASE_URL to a new database)"
            )
        )
    else:
        _generate_demo(generator.Size(ambassadors, interventions), seed)
    click.echo(
        _(
            "Sign in with one of these demo accounts (password: %(password)s):",
            password=generator.PASSWORD,
        )
    )
    for login in generator.logins():
        click.echo(f"  {login.label:<40} {login.email}")
    if serve:
        build_links_on(app, core_cli.served_address(host, port))
        delivery.keep_in_outbox(app)
        with app.app_context():  # a new context, whose links are built on that address
            mailbox = url_for("demo.mailbox", _external=True)
        click.echo(_("The emails of the demo, for its admin: %(address)s", address=mailbox))
        with runtime.current().queue.working_in_background():
            ctx.invoke(core_cli.serve, host=host, port=port)


def _generate_demo(size: generator.Size, seed: int) -> None:
    started = time.monotonic()
    label = _("Generating the demo network")
    with (
        runtime.current().database.connection_context(),
        click.progressbar(length=size.work(), label=label, file=sys.stderr) as bar,
    ):
        generator.generate(size, seed, progress=bar.update)
        db.analyze(runtime.current().database, vacuum=True)
    click.echo(
        _(
            "%(ambassadors)d ambassadors, %(interventions)d interventions generated in "
            "%(seconds).0f s.",
            ambassadors=size.ambassadors,
            interventions=size.interventions,
            seconds=time.monotonic() - started,
        )
    )
