"""What plugins put in the navigation and on dashboards."""

from __future__ import annotations

from dataclasses import dataclass


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
