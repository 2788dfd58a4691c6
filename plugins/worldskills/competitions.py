"""Competitions, their skills and the skills' marking schemes.

A competition is one edition of a regional selection, the national finals, EuroSkills or
WorldSkills, with the competition it selects for. Its skills carry their number in that
edition (numbers change between editions), whether they are team skills, the age limit
("at most N in the calendar year of the target competition") and a marking scheme of
aspects totalling 100 marks.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import peewee

from tremplin.auth import permissions
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, Invalid, NotAllowed
from tremplin.territories import service as territories
from tremplin.validation import validated

from . import service
from .i18n import _
from .marking import SCHEME_TOTAL
from .models import Aspect, Competition, Skill
from .schemas import AspectSchema, CompetitionSchema, SkillSchema


def create(account: Account, raw: Mapping[str, Any]) -> Competition:
    """A new competition, by an admin or a referent of its territory."""
    data = validated(CompetitionSchema, raw)
    territory = None
    if data["territory"]:
        territory = territories.get(data["territory"])
        if territory is None:
            raise Invalid(
                {"territory": [_("No territory has the code %(code)s.", code=data["territory"])]}
            )
    allowed = permissions.is_admin(account) or (
        territory is not None and permissions.covers_territory(account, territory.id)
    )
    if not allowed:
        raise NotAllowed(_("Only the region's administrators and referents create competitions."))
    next_level = data["selects_for"]
    if next_level is not None and Competition.get_or_none(Competition.id == next_level) is None:
        raise Invalid({"selects_for": [_("No such competition.")]})
    return Competition.create(
        name=data["name"],
        level=data["level"],
        edition=data["edition"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        venues=data["venues"],
        territory=territory,
        selects_for=data["selects_for"],
    )


def visible(account: Account | None) -> list[Competition]:
    """Competitions with published results, and those ``account`` runs; latest first."""
    rows = Competition.select().order_by(Competition.starts_on.desc(), Competition.id)
    return [c for c in rows if c.results_published_at is not None or service.may_run(account, c)]


def add_skill(account: Account, competition_id: int, raw: Mapping[str, Any]) -> Skill:
    """A skill of the competition, numbered as in this edition."""
    competition = service.competition(competition_id)
    service.require_runner(account, competition)
    data = validated(SkillSchema, raw)
    taken = Skill.select().where(Skill.competition == competition.id)
    errors: dict[str, list[str]] = {}
    if taken.where(Skill.number == data["number"]).exists():
        errors["number"] = [_("Another skill has this number in this competition.")]
    if taken.where(Skill.name == data["name"]).exists():
        errors["name"] = [_("This competition already has this skill.")]
    if errors:
        raise Invalid(errors)
    codes = " ".join(code.upper() for code in data["rome_codes"].replace(",", " ").split())
    try:
        with database.atomic():
            return Skill.create(competition=competition, **{**data, "rome_codes": codes})
    except peewee.IntegrityError as error:
        raise Conflict(_("This skill was added meanwhile.")) from error


def skills_of(competition_id: int) -> list[Skill]:
    """The skills of a competition, by number."""
    return list(Skill.select().where(Skill.competition == competition_id).order_by(Skill.number))


def add_aspect(account: Account, skill_id: int, raw: Mapping[str, Any]) -> Aspect:
    """An aspect of the skill's marking scheme, while its marks are not locked; the aspects
    may not total more than 100 marks."""
    skill = service.skill(skill_id)
    service.require_runner(account, skill.competition)
    if skill.locked_at is not None:
        raise Conflict(_("The marks of this skill are locked."))
    data = validated(AspectSchema, raw)
    aspects = aspects_of(skill.id)
    if any(aspect.code == data["code"] for aspect in aspects):
        raise Invalid({"code": [_("The scheme already has an aspect with this code.")]})
    total = sum((aspect.max_mark for aspect in aspects), Decimal(0)) + data["max_mark"]
    if total > SCHEME_TOTAL:
        raise Invalid(
            {
                "max_mark": [
                    _(
                        "The aspects would total %(total)s marks, more than %(most)s.",
                        total=total,
                        most=SCHEME_TOTAL,
                    )
                ]
            }
        )
    return Aspect.create(skill=skill, **data)


def aspects_of(skill_id: int) -> list[Aspect]:
    """The aspects of a skill's marking scheme, by code."""
    return list(Aspect.select().where(Aspect.skill == skill_id).order_by(Aspect.code))


def scheme_total(skill_id: int) -> Decimal:
    """The marks the skill's aspects are worth together (100 when the scheme is complete)."""
    return sum((aspect.max_mark for aspect in aspects_of(skill_id)), Decimal(0))
