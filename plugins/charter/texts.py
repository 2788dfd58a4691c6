"""Charter texts: a Markdown file with its version in a TOML header, and its HTML.

A version of the charter is written as Markdown, preceded by a header between two ``+++``
lines (TOML, as Hugo does)::

    +++
    version = "2025-1"
    title = "Charte des ambassadeurs"
    effective = 2025-09-01
    +++

    ## Article 1 — Objet
    ...

Markdown is shown with CommonMark, raw HTML disabled: what looks like HTML in the text is
shown as text, and links to ``javascript:`` are not made.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass

from markdown_it import MarkdownIt

from tremplin.errors import Invalid

from .i18n import _

DELIMITER = "+++"

_markdown = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class CharterText:
    """What a charter file says: its version, title, date of effect and Markdown body."""

    version: str | None
    title: str | None
    effective_on: datetime.date | None
    body: str


def parse(content: str) -> CharterText:
    """Split ``content`` into its header and its Markdown; raise ``Invalid`` for a bad header.

    Without a header, the whole content is the body and the other fields are ``None``.
    """
    content = content.lstrip("\ufeff")
    lines = content.splitlines()
    if not lines or lines[0].strip() != DELIMITER:
        return CharterText(version=None, title=None, effective_on=None, body=content.strip())
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == DELIMITER)
    except StopIteration:
        raise Invalid({"text": [_("The header of the charter is not closed by +++.")]}) from None
    try:
        header = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        raise Invalid(
            {"text": [_("The header of the charter is not valid TOML: %(error)s", error=error)]}
        ) from error
    unknown = sorted(set(header) - {"version", "title", "effective"})
    if unknown:
        raise Invalid(
            {"text": [_("Unknown keys in the header: %(keys)s.", keys=", ".join(unknown))]}
        )
    effective = header.get("effective")
    if effective is not None and (
        not isinstance(effective, datetime.date) or isinstance(effective, datetime.datetime)
    ):
        raise Invalid({"effective_on": [_("effective must be a date, such as 2025-09-01.")]})
    version = header.get("version")
    title = header.get("title")
    return CharterText(
        version=str(version) if version is not None else None,
        title=str(title) if title is not None else None,
        effective_on=effective,
        body="\n".join(lines[end + 1 :]).strip(),
    )


def to_html(markdown: str) -> str:
    """The HTML of ``markdown``; any raw HTML in it comes out escaped, as text."""
    return _markdown.render(markdown)
