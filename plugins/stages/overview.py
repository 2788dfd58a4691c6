"""Figures and equity: placements by territory, sector, gender and the school's priority
flags, and the referents' list of priority classes still without placement.

Figures are grouped counts in SQL, never a query per row; they never name a pupil. A
placement belongs to the territory of its school. Schools declare their classes and the
dates of their observation sequence (``SchoolClass``); the referents of a territory see
the 3e classes of its priority schools (REP, REP+, QPV, rural) whose sequence starts within
``alert_days`` and that still have fewer accepted placements than pupils.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from tremplin.auth import permissions
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, NotAllowed
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador
from tremplin.stats.figures import Figure, scope_of, within
from tremplin.validation import validated

from . import service
from .i18n import _
from .models import HOLDING, Offer, Placement, SchoolClass
from .schemas import SchoolClassSchema

FLAGS = ("rep", "rep_plus", "qpv", "rural")


def key_figures(period, territory) -> list[Figure]:
    """Placements accepted for stays starting in ``period``, in ``territory`` (that of the
    school): in all, by level, by the pupils' declared gender, by the host's sector (the
    sector its ambassadors give) and by the school's priority flags."""
    start, end = period
    scope = scope_of(territory)
    school = Organisation.alias()
    base = (
        Placement.select()
        .join(school, on=(Placement.school == school.id))
        .where(
            Placement.status.in_(list(HOLDING)),
            Placement.first_day >= start,
            Placement.first_day <= end,
            within(school.territory, scope),
        )
    )
    rows = [Figure("stages.placements", _("Internship placements"), base.count())]
    for level, count in _grouped(base, Placement.level):
        rows.append(
            Figure(
                f"stages.placements.level.{level}",
                _("Placements, level %(level)s", level=level),
                count,
            )
        )
    for gender, count in _grouped(base, Placement.pupil_gender):
        rows.append(
            Figure(
                f"stages.placements.gender.{gender or 'unknown'}",
                _("Placements, gender: %(gender)s", gender=gender or _("not given")),
                count,
            )
        )
    for flag in FLAGS:
        rows.append(
            Figure(
                f"stages.placements.{flag}",
                _(
                    "Placements of pupils of schools flagged %(flag)s",
                    flag=flag.upper().replace("_PLUS", "+"),
                ),
                base.where(getattr(school, flag) == True).count(),  # noqa: E712
            )
        )
    # A host's sector: the one its ambassadors give (the first, alphabetically).
    sectors = (
        Ambassador.select(
            Ambassador.organisation.alias("host_id"),
            peewee.fn.MIN(Ambassador.sector).alias("sector"),
        )
        .where(Ambassador.organisation.is_null(False), Ambassador.sector.is_null(False))
        .group_by(Ambassador.organisation)
        .alias("sectors")
    )
    by_sector = (
        base.select(sectors.c.sector.alias("sector"), peewee.fn.COUNT(Placement.id).alias("n"))
        .join(sectors, peewee.JOIN.LEFT_OUTER, on=(sectors.c.host_id == Placement.host))
        .group_by(sectors.c.sector)
        .dicts()
    )
    for row in sorted(by_sector, key=lambda r: r["sector"] or ""):
        rows.append(
            Figure(
                f"stages.placements.sector.{row['sector'] or '-'}",
                _("Placements, host's sector: %(sector)s", sector=row["sector"] or _("unknown")),
                row["n"],
            )
        )
    offers = Offer.select().where(
        Offer.first_day <= end, Offer.last_day >= start, within(Offer.territory, scope)
    )
    rows.append(Figure("stages.offers", _("Internship offers"), offers.count()))
    return rows


def _grouped(query: peewee.Query, column: peewee.Field) -> list[tuple[Any, int]]:
    grouped = query.select(column.alias("key"), peewee.fn.COUNT(Placement.id).alias("n")).group_by(
        column
    )
    return sorted(((row["key"], row["n"]) for row in grouped.dicts()), key=lambda r: r[0] or "")


@dataclass(frozen=True)
class ClassWithout:
    """A priority school's class whose pupils are not all placed."""

    school: str
    flags: str
    name: str
    first_day: datetime.date
    pupils: int
    placed: int

    @property
    def without(self) -> int:
        """Pupils still without placement."""
        return max(0, self.pupils - self.placed)


def classes_without_placement(account: Account | None) -> list[ClassWithout]:
    """3e classes of priority schools of the reader's territories, sequence within
    ``alert_days``, with fewer accepted placements than pupils (one query)."""
    covered = permissions.covered_territories(account)
    if covered is not None and not covered:
        raise NotAllowed(_("Only the region's administrators and referents may see this."))
    today = service.today()
    horizon = today + datetime.timedelta(days=service.settings()["alert_days"])
    placed = Placement.select(peewee.fn.COUNT(Placement.id)).where(
        Placement.school == SchoolClass.school,
        Placement.pupil_class == SchoolClass.name,
        Placement.status.in_(list(HOLDING)),
    )
    priority = Organisation.rep | Organisation.rep_plus | Organisation.qpv | Organisation.rural
    query = (
        SchoolClass.select(SchoolClass, Organisation, placed.alias("placed"))
        .join(Organisation, on=(SchoolClass.school == Organisation.id))
        .where(
            SchoolClass.level == "3e",
            SchoolClass.first_day >= today,
            SchoolClass.first_day <= horizon,
            priority,
        )
        .order_by(SchoolClass.first_day, Organisation.name, SchoolClass.name)
    )
    if covered is not None:
        query = query.where(Organisation.territory.in_(sorted(covered)))
    rows = []
    for row in query:
        school = row.school
        flags = ", ".join(
            label
            for flag, label in zip(FLAGS, ("REP", "REP+", "QPV", "rural"), strict=True)
            if getattr(school, flag)
        )
        item = ClassWithout(school.name, flags, row.name, row.first_day, row.pupils, row.placed)
        if item.without:
            rows.append(item)
    return rows


def classes_of(account: Account, school_id: int) -> list[SchoolClass]:
    """The classes a school declared, for its teachers."""
    service.require_teacher(account, school_id)
    return list(
        SchoolClass.select().where(SchoolClass.school == school_id).order_by(SchoolClass.name)
    )


def declare_class(account: Account, school_id: int, raw: Mapping[str, Any]) -> SchoolClass:
    """A teacher declares a class and the dates of its sequence (or changes them)."""
    service.require_teacher(account, school_id)
    data = validated(SchoolClassSchema, raw)
    with database.atomic():
        updated = (
            SchoolClass.update(**data)
            .where(SchoolClass.school == school_id, SchoolClass.name == data["name"])
            .execute()
        )
        if not updated:
            try:
                SchoolClass.create(school=school_id, **data)
            except peewee.IntegrityError as error:
                raise Conflict(_("This class was declared meanwhile.")) from error
    return SchoolClass.get(SchoolClass.school == school_id, SchoolClass.name == data["name"])
