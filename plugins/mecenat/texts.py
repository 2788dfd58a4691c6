"""Region texts of the partnership charter: Markdown after a TOML header between ``+++``.

::

    +++
    version = "2025-1"
    title = "Charte de partenariat"
    effective = 2025-09-01
    +++

    ## Article 1 — Objet
    ...

The Markdown is shown with CommonMark, raw HTML disabled (shown as text).
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass

from markdown_it import MarkdownIt

from tremplin.errors import Invalid

from .i18n import _

DELIMITER = "+++"
HEADER_KEYS = frozenset({"version", "title", "effective"})

_markdown = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class RegionText:
    """A version of a text: its label, title, first day in force, and Markdown body."""

    version: str
    title: str
    effective_on: datetime.date
    body: str


def parse(content: str) -> RegionText:
    """Read a text file; ``Invalid`` naming what its header lacks or gets wrong."""
    lines = content.lstrip("\ufeff").splitlines()
    closing = [i for i, line in enumerate(lines) if line.strip() == DELIMITER]
    if len(closing) < 2 or closing[0] != 0:
        raise Invalid({"text": [_("The text starts with a header between two +++ lines.")]})
    try:
        header = tomllib.loads("\n".join(lines[1 : closing[1]]))
    except tomllib.TOMLDecodeError as error:
        raise Invalid(
            {"text": [_("The header is not valid TOML: %(error)s", error=error)]}
        ) from error
    unknown = sorted(set(header) - HEADER_KEYS)
    missing = sorted(HEADER_KEYS - set(header))
    if unknown or missing:
        raise Invalid(
            {
                "text": [
                    _(
                        "The header has version, title and effective (unknown: %(unknown)s; "
                        "missing: %(missing)s).",
                        unknown=", ".join(unknown) or "-",
                        missing=", ".join(missing) or "-",
                    )
                ]
            }
        )
    effective = header["effective"]
    if not isinstance(effective, datetime.date) or isinstance(effective, datetime.datetime):
        raise Invalid({"effective_on": [_("effective must be a date, such as 2025-09-01.")]})
    body = "\n".join(lines[closing[1] + 1 :]).strip()
    if not body:
        raise Invalid({"text": [_("The text is empty.")]})
    return RegionText(str(header["version"])[:50], str(header["title"])[:200], effective, body)


def to_html(markdown: str) -> str:
    """The HTML of ``markdown``; raw HTML in it comes out escaped."""
    return _markdown.render(markdown)
