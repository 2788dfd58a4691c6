"""What plugins put in the navigation and on dashboards, and where a form leads next."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from ..i18n import lazy_gettext


class Group(StrEnum):
    """The labelled groups of the main navigation, in the order the menu shows them.

    ``MAIN`` links stand on their own in the menu bar (the dashboard, notifications,
    signing in); every other group is a menu button that opens its links.
    """

    MAIN = "main"
    JOIN = "join"
    INTERVENTIONS = "interventions"
    NETWORK = "network"
    STEERING = "steering"
    ACCOUNT = "account"
    MORE = "more"


GROUP_LABELS = {
    Group.JOIN: lazy_gettext("Join us"),
    Group.INTERVENTIONS: lazy_gettext("Interventions"),
    Group.NETWORK: lazy_gettext("The network"),
    Group.STEERING: lazy_gettext("Steering"),
    Group.ACCOUNT: lazy_gettext("My space"),
    Group.MORE: lazy_gettext("More"),
}


@dataclass(frozen=True)
class Link:
    """A link of the main navigation: a translated label, a URL and the group it is shown in.

    ``group`` is a `Group` (or its value); a link that does not say, or names a group the
    menu does not know, is shown under "More".
    """

    label: str
    href: str
    group: str = Group.MORE


@dataclass(frozen=True)
class MenuGroup:
    """One labelled group of the menu: its key (for ids), label and links."""

    key: str
    label: str
    links: list[Link]


@dataclass(frozen=True)
class Menu:
    """The main navigation as shown: links on their own, then the labelled groups."""

    main: list[Link]
    groups: list[MenuGroup]


def grouped(links: Iterable[Link]) -> Menu:
    """``links`` sorted into the menu's groups, each group in `Group` order, each link in
    the order it came; groups without links are left out."""
    by_group: dict[Group, list[Link]] = {group: [] for group in Group}
    for link in links:
        by_group[_group_of(link)].append(link)
    groups = [
        MenuGroup(key=group.value, label=str(GROUP_LABELS[group]), links=by_group[group])
        for group in Group
        if group is not Group.MAIN and by_group[group]
    ]
    return Menu(main=by_group[Group.MAIN], groups=groups)


def _group_of(link: Link) -> Group:
    try:
        return Group(link.group)
    except ValueError:  # a group this version does not know: shown, under "More"
        return Group.MORE


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
