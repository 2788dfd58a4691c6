"""Who sees which key figures, exact or with small counts hidden, and how they read.

Referents see the exact figures of their territories, admins those of any territory; the
public page shows the region's, its academies' and its departments' figures with every
count under the region's threshold (``[plugins.stats] public_threshold``, 5 by default)
replaced by "fewer than 5", and every rate or median computed from such a count hidden.
Numbers are written for the reader's language; the CSV export too, as a spreadsheet
expects it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol

from .. import spreadsheets
from ..auth import permissions
from ..auth.models import Account, Role, RoleGrant
from ..clock import today
from ..errors import Invalid, NotAllowed, NotFound
from ..i18n import _, get_locale
from ..runtime import settings_of
from ..territories.models import Territory, TerritoryKind
from ..validation import validated
from .figures import (
    COUNT,
    HOURS,
    MARK,
    PERCENT,
    Figure,
    Figures,
    Period,
    key_figures,
    school_year_of,
)
from .schemas import FiguresQuerySchema, SettingsSchema

SETTINGS = "stats"
# Territories whose figures are published, and those a referent's page offers.
PUBLIC_KINDS = (TerritoryKind.REGION, TerritoryKind.ACADEMY, TerritoryKind.DEPARTMENT)
CHOICE_KINDS = (*PUBLIC_KINDS, TerritoryKind.AREA, TerritoryKind.BASIN)
KIND_RANK = {kind.value: rank for rank, kind in enumerate(TerritoryKind)}


def settings() -> dict[str, Any]:
    """The region's ``[plugins.stats]`` settings, defaults filled in."""
    return {**SettingsSchema().load({}), **settings_of(SETTINGS)}


def public_threshold() -> int:
    """Counts under this number are hidden from the public."""
    return settings()["public_threshold"]


# What is asked


def question(data: Mapping[str, Any]) -> tuple[str | None, Period]:
    """The territory code and the period of loaded ``FiguresQuerySchema`` data.

    Without a period or a year: the current school year.
    """
    if data.get("start") is not None:
        return data.get("territory"), Period(data["start"], data["end"])
    year = data.get("year") or school_year_of(today())
    return data.get("territory"), Period.school_year(year)


def read_question(raw: Mapping[str, Any]) -> tuple[str | None, Period]:
    """``question`` of raw values (a query string, the CLI); ``Invalid`` naming the fields."""
    return question(validated(FiguresQuerySchema, raw))


def territory_of(code: str) -> Territory:
    """The territory ``code``; ``Invalid`` on the field ``territory`` if there is none."""
    territory = Territory.get_or_none(Territory.code == code)
    if territory is None:
        raise Invalid({"territory": [_("Unknown territory: %(codes)s.", codes=code)]})
    return territory


def top_territory() -> Territory:
    """The top of the territory tree (the region); ``NotFound`` before any is loaded."""
    territory = Territory.select().where(Territory.parent.is_null()).order_by(Territory.id).first()
    if territory is None:
        raise NotFound(_("No territory is loaded yet (tremplin region load)."))
    return territory


# Exact figures: referents and admins


def may_see_exact(viewer: Account | None) -> bool:
    """Referents and admins see exact figures (of their territories)."""
    return permissions.has_role(viewer, Role.ADMIN) or permissions.has_role(viewer, Role.REFERENT)


def visible_territories(viewer: Account | None) -> list[Territory]:
    """The territories ``viewer`` may choose for exact figures, widest first."""
    covered = permissions.covered_territories(viewer)
    query = Territory.select().where(Territory.kind.in_([str(kind) for kind in CHOICE_KINDS]))
    if covered is not None:
        query = query.where(Territory.id.in_(sorted(covered)))
    return sorted(query, key=lambda territory: (KIND_RANK.get(territory.kind, 99), territory.name))


def default_territory(viewer: Account | None) -> Territory:
    """The region for an admin; the widest territory a referent is referent of."""
    if permissions.is_admin(viewer):
        return top_territory()
    grants = (
        Territory.select()
        .join(RoleGrant, on=(RoleGrant.territory == Territory.id))
        .where(
            RoleGrant.account == (viewer.id if viewer else None), RoleGrant.role == Role.REFERENT
        )
    )
    widest = sorted(grants, key=lambda territory: (KIND_RANK.get(territory.kind, 99), territory.id))
    if not widest:
        raise NotAllowed(_("Only referents and administrators see these figures."))
    return widest[0]


def exact_figures(viewer: Account | None, code: str | None, period: Period) -> Figures:
    """The exact figures of territory ``code`` (the viewer's own by default) over ``period``.

    ``NotAllowed`` unless ``viewer`` is an admin or a referent of that territory.
    """
    if not may_see_exact(viewer):
        raise NotAllowed(_("Only referents and administrators see these figures."))
    territory = territory_of(code) if code else default_territory(viewer)
    if not permissions.covers_territory(viewer, territory.id):
        raise NotAllowed(_("You see the figures of your own territories only."))
    return key_figures(territory, period)


def region_figures(code: str | None, period: Period) -> Figures:
    """The exact figures of any territory (the region by default): for the command line."""
    territory = territory_of(code) if code else top_territory()
    return key_figures(territory, period)


# Public figures


def public_territories() -> list[Territory]:
    """The territories whose figures are published: the region, academies, departments."""
    query = Territory.select().where(
        Territory.kind.in_([str(kind) for kind in PUBLIC_KINDS]) | Territory.parent.is_null()
    )
    return sorted(query, key=lambda territory: (KIND_RANK.get(territory.kind, 99), territory.name))


def public_figures(raw: Mapping[str, Any]) -> Figures:
    """The figures of the public page; read with ``shown(figures, public_threshold())``."""
    code, period = read_question(raw)
    territory = territory_of(code) if code else top_territory()
    if territory.parent_id is not None and territory.kind not in PUBLIC_KINDS:
        raise Invalid(
            {"territory": [_("Choose the region, one of its academies or one of its departments.")]}
        )
    return key_figures(territory, period)


# How figures read


@dataclass(frozen=True)
class ShownFigure:
    """A figure as a reader sees it: ``text`` in their language, hidden when too small."""

    key: str
    label: str
    value: int | float | None  # None when hidden or not computable
    unit: str
    text: str
    hidden: bool


def public_value(value: int, threshold: int) -> int | None:
    """``value`` if it may be published, ``None`` for a count from 1 to ``threshold - 1``.

    Zero is published: it tells nothing about anybody.
    """
    return None if 0 < value < threshold else value


def is_hidden(figure: Figure, threshold: int | None) -> bool:
    """Whether ``figure`` is hidden under ``threshold`` (``None``: nothing is hidden).

    A count is hidden when small; a rate or a median when a count it comes from is.
    """
    if threshold is None:
        return False
    if figure.unit == COUNT and isinstance(figure.value, int):
        return public_value(figure.value, threshold) is None
    return any(public_value(part, threshold) is None for part in figure.parts)


def shown(figures: Figures, threshold: int | None = None) -> list[ShownFigure]:
    """Every figure as text for the reader, those under ``threshold`` hidden."""
    rows = []
    for figure in figures.rows:
        hidden = is_hidden(figure, threshold)
        text = _hidden_text(figure, threshold) if hidden else formatted(figure.value, figure.unit)
        rows.append(
            ShownFigure(
                key=figure.key,
                label=figure.label,
                value=None if hidden else figure.value,
                unit=figure.unit,
                text=text,
                hidden=hidden,
            )
        )
    return rows


def sections(rows: list[ShownFigure]) -> list[tuple[str, list[ShownFigure]]]:
    """``rows`` grouped under titles, in the order of ``rows``; empty groups left out."""
    titles = {
        "people": _("People reached and registered"),
        "interventions": _("Interventions"),
        "answers": _("Answers to requests"),
        "schools": _("Schools"),
        "gender": _("Gender balance of ambassadors"),
        "surveys": _("Satisfaction surveys and image rights"),
        "other": _("Other figures"),
    }
    groups: dict[str, list[ShownFigure]] = {name: [] for name in titles}
    for row in rows:
        groups[_group_of(row.key)].append(row)
    return [(titles[name], items) for name, items in groups.items() if items]


def _group_of(key: str) -> str:
    if key in ("beneficiaries", "young_people", "ambassadors", "educators"):
        return "people"
    if key.startswith("interventions."):
        return "interventions"
    if key in ("response_rate", "response_time_median"):
        return "answers"
    if key.startswith("schools."):
        return "schools"
    if key.startswith("ambassadors.gender."):
        return "gender"
    if key.startswith(("surveys.", "image_rights.")):
        return "surveys"
    return "other"


def formatted(value: int | float | None, unit: str = COUNT) -> str:
    """``value`` written for the reader: 1 432, 87,5 %, 6,5 h in French."""
    locale = get_locale()
    if value is None:
        return _("no data")
    if unit == PERCENT:
        return format_percent(round(value, 3), locale=locale, decimal_quantization=False)
    if unit == HOURS:
        return _("%(hours)s h", hours=format_decimal(round(value, 1), locale=locale))
    if unit == MARK:
        return _("%(mark)s out of 5", mark=format_decimal(round(value, 1), locale=locale))
    return format_decimal(value, locale=locale)


def _hidden_text(figure: Figure, threshold: int) -> str:
    number = format_decimal(threshold, locale=get_locale())
    if figure.unit == COUNT:
        return _("fewer than %(threshold)s", threshold=number)
    return _("not shown (fewer than %(threshold)s cases)", threshold=number)


def period_label(period: Period) -> str:
    """``2026-2027`` for a school year, else the two dates in the reader's language."""
    start, end = period
    if period == Period.school_year(start.year):
        return f"{start.year}-{end.year}"
    locale = get_locale()
    return _(
        "from %(start)s to %(end)s",
        start=format_date(start, "d MMMM y", locale=locale),
        end=format_date(end, "d MMMM y", locale=locale),
    )


# The CSV export


def csv_text(figures: Figures) -> str:
    """One row per figure, exact; UTF-8 with a byte order mark so that Excel reads accents.

    In a language whose decimal sign is a comma (French), columns are separated by
    semicolons and decimals written with a comma, as French spreadsheets expect; in
    English, commas and decimal points. Rates are percentages (87.5), times in hours.
    """
    locale = get_locale()
    comma = get_decimal_symbol(locale) == ","
    buffer = io.StringIO()
    writer = spreadsheets.writer(buffer, delimiter=";" if comma else ",", lineterminator="\r\n")
    writer.writerow(
        [_("Territory"), _("Start"), _("End"), _("Code"), _("Figure"), _("Value"), _("Unit")]
    )
    start, end = figures.period
    for figure in figures.rows:
        value, unit = _csv_value(figure)
        if comma:
            value = value.replace(".", ",")
        writer.writerow(
            [
                figures.territory.code,
                start.isoformat(),
                end.isoformat(),
                figure.key,
                figure.label,
                value,
                unit,
            ]
        )
    return "\ufeff" + buffer.getvalue()


def csv_filename(figures: Figures) -> str:
    """``chiffres-cles-59-2026-09-01-2027-08-31.csv``."""
    start, end = figures.period
    code = "".join(c if c.isalnum() or c in "-_" else "-" for c in figures.territory.code)
    return f"chiffres-cles-{code}-{start.isoformat()}-{end.isoformat()}.csv"


def _csv_value(figure: Figure) -> tuple[str, str]:
    if figure.value is None:
        return "", ""
    if figure.unit == PERCENT:
        return _plain(figure.value * 100), "%"
    if figure.unit == HOURS:
        return _plain(figure.value), "h"
    if figure.unit == MARK:
        return _plain(figure.value), "/5"
    return _plain(figure.value), ""


def _plain(value: int | float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


# The JSON API


def as_dict(figures: Figures) -> dict[str, Any]:
    """``figures`` as ``FiguresOutSchema`` dumps them."""
    start, end = figures.period
    territory = figures.territory
    return {
        "territory": {"code": territory.code, "name": territory.name, "kind": territory.kind},
        "period": {"start": start, "end": end},
        "figures": [
            {"key": row.key, "label": row.label, "value": row.value, "unit": row.unit}
            for row in figures.rows
        ],
        "series": {
            name: [{"key": bar.key, "label": bar.label, "value": bar.value} for bar in bars]
            for name, bars in figures.series.items()
        },
    }


def current_school_year() -> int:
    """The year the current school year started in."""
    return school_year_of(today())
