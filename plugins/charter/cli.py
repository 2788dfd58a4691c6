"""``tremplin charter publish|versions``: publish a version of the charter, list them."""

from __future__ import annotations

from pathlib import Path

import click

from tremplin.errors import CliError, Invalid

from . import versions
from .i18n import _


@click.group("charter")
def charter_group() -> None:
    """The charter of the ambassadors."""


@charter_group.command("publish")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "version", help="Version label, e.g. 2026-1 (else the file's header).")
@click.option(
    "--effective",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date it takes effect, YYYY-MM-DD (else the file's header).",
)
@click.option("--title", help="Title of the charter (else the file's header).")
def publish(file: Path, version: str | None, effective, title: str | None) -> None:
    """Publish FILE (Markdown) as a new version of the charter.

    Every ambassador who has not accepted the version in force is held until they do: they
    are asked to accept it when they next sign in.
    """
    try:
        content = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(_("%(file)s cannot be read: %(error)s", file=file, error=error)) from error
    overrides = {
        "version": version,
        "title": title,
        "effective_on": effective.date().isoformat() if effective else None,
    }
    try:
        published, created = versions.publish_text(content, overrides)
    except Invalid as error:
        raise CliError(versions.explain(error)) from error
    if not created:
        click.echo(
            _(
                "Version %(version)s is already published: nothing changed.",
                version=published.version,
            )
        )
        return
    click.echo(
        _(
            "Version %(version)s of the charter published, in force from %(date)s; "
            "%(count)d ambassador(s) must accept it.",
            version=published.version,
            date=published.effective_on.isoformat(),
            count=versions.waiting_acceptance(published),
        )
    )


@charter_group.command("versions")
def list_versions() -> None:
    """List the published versions, with their date of effect and how many accepted them."""
    counts = versions.acceptance_counts()
    published = versions.published()
    if not published:
        click.echo(_("No version of the charter is published."))
    for version in published:
        click.echo(
            _(
                "%(version)s\tin force from %(date)s\t%(count)d acceptance(s)\t%(title)s",
                version=version.version,
                date=version.effective_on.isoformat(),
                count=counts.get(version.id, 0),
                title=version.title,
            )
        )
