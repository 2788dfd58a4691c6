"""``tremplin stats``: the key figures of a territory and a school year, as a table or CSV;
``tremplin stats rebuild``: recount the monthly aggregates they are read from."""

from __future__ import annotations

from pathlib import Path

import click

from .. import runtime
from ..errors import CliError, Invalid, NotFound
from ..i18n import _
from ..organisations.models import Organisation
from . import monthly, registered, service

# The command's options, by the name the schema gives them.
OPTIONS = {"territory": "--territory", "year": "--year"}


@click.group("stats", invoke_without_command=True)
@click.pass_context
@click.option("--territory", "code", metavar="CODE", help="Territory code (default: the region).")
@click.option("--year", type=int, help="School year starting in September of YEAR.")
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the figures to this CSV file.",
)
def stats_command(
    context: click.Context, code: str | None, year: int | None, csv_file: Path | None
) -> None:
    """Print the exact key figures of a territory for a school year (the current one)."""
    if context.invoked_subcommand is not None:
        return
    with runtime.current().database.connection_context():
        try:
            code, period = service.read_question({"territory": code, "year": year})
            figures = service.region_figures(code, period)
        except Invalid as error:
            raise CliError(_one_line(error)) from error
        except NotFound as error:
            raise CliError(error.message) from error
        rows = service.shown(figures)
    click.echo(f"{figures.territory.name} — {service.period_label(figures.period)}")
    width = max(len(row.label) for row in rows)
    for row in rows:
        click.echo(f"{row.label.ljust(width)}  {row.text}")
    if csv_file is not None:
        try:
            with csv_file.open("w", encoding="utf-8", newline="") as handle:
                handle.write(service.csv_text(figures))
        except OSError as error:
            raise CliError(
                _("cannot write %(file)s: %(reason)s", file=csv_file, reason=error.strerror)
            ) from error
        click.echo(_("Key figures written to %(file)s.", file=csv_file))


@stats_command.command("rebuild")
@click.option("--school", "school_id", type=int, metavar="ID", help="Only this school's.")
def rebuild_command(school_id: int | None) -> None:
    """Recount the monthly aggregates of the key figures from the interventions, and the
    region's people from the accounts (not with ``--school``)."""
    with runtime.current().database.connection_context():
        if school_id is None:
            rows = monthly.rebuild()
            people = registered.rebuild()
        elif Organisation.get_or_none(Organisation.id == school_id) is None:
            raise CliError(_("--school: no organisation has the number %(id)s.", id=school_id))
        else:
            rows = monthly.refresh(school_id)
    click.echo(_("Monthly aggregates rebuilt: %(rows)s rows.", rows=rows))
    if school_id is None:
        click.echo(
            _(
                "People counted again: %(ambassadors)s active ambassadors, %(educators)s"
                " educators.",
                ambassadors=sum(
                    total
                    for (figure, _gender), total in people.items()
                    if figure == registered.AMBASSADORS
                ),
                educators=people[(registered.EDUCATORS, "")],
            )
        )


def _one_line(error: Invalid) -> str:
    return "; ".join(
        f"{OPTIONS.get(field, field)}: {' '.join(messages)}"
        for field, messages in error.errors.items()
    )
