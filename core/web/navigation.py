"""What plugins put in the navigation and on dashboards, and where a form leads next."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Link:
    """A link of the main navigation: a translated label and a URL."""

    label: str
    href: str


@dataclass(frozen=True)
class Panel:
    """A dashboard panel: a translated title and its HTML.

    Give ``html`` as ``markupsafe.Markup`` (built with escaping); a plain ``str`` is shown
    as text.
    """

    title: str
    html: str


def safe_next(target: str | None) -> str | None:
    """``target``, a ``?next=`` address, if it is a path of this site; never another site
    (no open redirect)."""
    if not target:
        return None
    target = target.rstrip("?")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
