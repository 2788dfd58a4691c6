"""Marks: entered per judge, locked by the chief expert, every change logged.

A member of a skill's marking team enters, for a competitor (a candidate, or a team by its
first member), the marks of a measurement aspect, or their own score from 0 to 3 of a
judgement aspect, which three judges score. Nobody marks a competitor they declared a link
with. Once every competitor has every mark, the chief expert locks the skill's marks: the
results are computed then (``results.compute``) and nothing changes any more. Every mark
entered or changed, and the lock, is written to the log (``MarkChange``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import peewee

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, Invalid, NotAllowed
from tremplin.validation import validated

from . import competitions, judges, results, service
from .i18n import _
from .marking import (
    JUDGES,
    NINE_HUNDREDTHS,
    TOP_SCORE,
    Judgement,
    Measurement,
    _nine_hundredths,
    skill_total,
)
from .models import (
    Aspect,
    AspectKind,
    Candidate,
    CandidateStatus,
    Judge,
    JudgeRole,
    MarkChange,
    Score,
    Skill,
)
from .schemas import ScoreSchema


@dataclass(frozen=True)
class Competitor:
    """One entry in a skill: a candidate, or a team (marked through its first member)."""

    lead: Candidate
    members: tuple[Candidate, ...]
    key: str  # "c12", or "t:Team name"

    @property
    def name(self) -> str:
        """The candidate's name, or the team's."""
        if self.key.startswith("t:"):
            return self.key.removeprefix("t:")
        return f"{self.lead.first_name} {self.lead.last_name}"


def competitors(skill: Skill) -> list[Competitor]:
    """The accepted competitors of ``skill``: each candidate, or each team once."""
    return _competitors(skill, Candidate.select())


def _competitors(skill: Skill, read: peewee.ModelSelect) -> list[Competitor]:
    """``competitors`` with the candidates' columns ``read`` selects (the lock needs four)."""
    accepted = list(
        read.where(
            Candidate.skill == skill.id, Candidate.status == CandidateStatus.ACCEPTED
        ).order_by(Candidate.id)
    )
    if not skill.team:
        return [Competitor(c, (c,), f"c{c.id}") for c in accepted]
    teams: dict[str, list[Candidate]] = {}
    for candidate in accepted:
        teams.setdefault(candidate.team or f"#{candidate.id}", []).append(candidate)
    return [Competitor(members[0], tuple(members), f"t:{name}") for name, members in teams.items()]


def enter(account: Account, skill_id: int, raw: Mapping[str, Any]) -> Score:
    """A member of the skill's team enters a mark; ``NotAllowed`` for a competitor they
    declared a link with, ``Conflict`` once the marks are locked."""
    judge = service.team_member(
        account, skill_id, _("Only the members of the skill's marking team enter its marks.")
    )
    skill = judge.skill
    data = validated(ScoreSchema, raw)
    aspect = Aspect.get_or_none(Aspect.id == data["aspect"], Aspect.skill == skill.id)
    if aspect is None:
        raise Invalid({"aspect": [_("Choose an aspect of this skill's marking scheme.")]})
    competitor = _competitor(skill, data["candidate"])
    if judges.linked_candidates(judge) & {member.id for member in competitor.members}:
        raise NotAllowed(_("You declared a link with this competitor: another judge marks them."))
    value = data["value"]
    _check_value(aspect, value)
    with database.atomic():
        if Skill.get_by_id(skill.id).locked_at is not None:
            raise Conflict(_("The marks of this skill are locked."))
        return _record(account, skill, aspect, competitor.lead, judge, value)


def _competitor(skill: Skill, candidate_id: int) -> Competitor:
    for competitor in competitors(skill):
        if candidate_id in {member.id for member in competitor.members}:
            return competitor
    raise Invalid({"candidate": [_("Choose an accepted competitor of this skill.")]})


def _check_value(aspect: Aspect, value: Decimal) -> None:
    if aspect.kind == AspectKind.JUDGEMENT:
        if value != value.to_integral_value() or not 0 <= value <= TOP_SCORE:
            raise Invalid({"value": [_("A judge's score is a whole number from 0 to 3.")]})
    elif value > aspect.max_mark:
        raise Invalid(
            {"value": [_("This aspect is worth %(most)s marks at most.", most=aspect.max_mark)]}
        )


def _record(
    account: Account, skill: Skill, aspect: Aspect, lead: Candidate, judge: Judge, value: Decimal
) -> Score:
    same_aspect = Score.select().where(Score.aspect == aspect.id, Score.candidate == lead.id)
    if aspect.kind == AspectKind.MEASUREMENT:
        existing = same_aspect.first()
    else:
        existing = same_aspect.where(Score.judge == judge.id).first()
        if existing is None and same_aspect.count() >= JUDGES:
            raise Conflict(_("Three judges already scored this aspect for this competitor."))
    moment = clock.now()
    old = existing.value if existing is not None else None
    if existing is None:
        score = Score.create(
            aspect=aspect, candidate=lead, judge=judge, value=value, entered_at=moment
        )
    else:
        Score.update(judge=judge, value=value, entered_at=moment).where(
            Score.id == existing.id
        ).execute()
        score = Score.get_by_id(existing.id)
    if old != value:
        MarkChange.create(
            skill=skill,
            aspect=aspect,
            candidate=lead,
            judge=judge,
            old_value=old,
            new_value=value,
            action="entered" if old is None else "changed",
            changed_by=account,
            changed_at=moment,
        )
    return score


def scores_of(skill: Skill) -> dict[tuple[int, int], list[Score]]:
    """The scores entered in ``skill``, by ``(aspect id, competitor's lead id)``."""
    rows = (
        Score.select(Score)
        .join(Aspect)
        .where(Aspect.skill == skill.id)
        .order_by(Score.aspect, Score.candidate, Score.judge)
    )
    found: dict[tuple[int, int], list[Score]] = {}
    for score in rows:
        found.setdefault((score.aspect_id, score.candidate_id), []).append(score)
    return found


def _hundredths_of(skill: Skill) -> dict[tuple[int, int], list[int]]:
    """The values of ``scores_of`` in hundredths, as the database gives them: whole numbers
    (values are stored to the hundredth), without a ``Score`` or a ``Decimal`` per row (a
    skill has thousands). The judges' values come in no set order: totals add them, and a
    measurement has one value."""
    hundredths = peewee.Cast(peewee.fn.ROUND(Score.value * 100), "INTEGER")
    query = (
        Score.select(Score.aspect, Score.candidate, hundredths)
        .join(Aspect)
        .where(Aspect.skill == skill.id)
    )
    found: dict[tuple[int, int], list[int]] = {}
    for aspect_id, candidate_id, value in database.execute(query).fetchall():
        found.setdefault((aspect_id, candidate_id), []).append(value)
    return found


# An aspect as the totals need it: (id, code, measured?, maximum in hundredths, maximum).
SchemeAspect = tuple[int, str, bool, int, Decimal]


def totals(skill: Skill) -> tuple[list[Competitor], list[Fraction], list[str]]:
    """Each competitor's exact marks out of 100, and what is missing (empty when complete)."""
    scheme = [
        (aspect.id, aspect.code, aspect.kind, aspect.max_mark)
        for aspect in competitions.aspects_of(skill.id)
    ]
    return _totals(skill, _scheme(scheme), competitors(skill))


def _scheme(aspects: list[tuple[int, str, str, Decimal]]) -> list[SchemeAspect]:
    """The ``(id, code, kind, maximum)`` of a skill's aspects as the totals take them."""
    return [
        (aspect_id, code, kind == AspectKind.MEASUREMENT, _hundredths(maximum), maximum)
        for aspect_id, code, kind, maximum in aspects
    ]


def _totals(
    skill: Skill, scheme: list[SchemeAspect], everyone: list[Competitor]
) -> tuple[list[Competitor], list[Fraction], list[str]]:
    """``totals`` with the skill's ``scheme`` (by code) and competitors already read.

    Each total is added in whole 900ths of a mark (``marking._nine_hundredths``) and made a
    ``Fraction`` once: the total ``skill_total`` gives, without a ``Fraction`` per mark. A
    competitor with a value the rules refuse takes the exact way, which says why.
    """
    scores = _hundredths_of(skill)
    missing: list[str] = []
    result: list[Fraction] = []
    for competitor in everyone:
        lead = competitor.lead.id
        total: int | None = 0
        for aspect_id, code, measured, worth, _maximum in scheme:
            given = scores.get((aspect_id, lead), [])
            if len(given) < (1 if measured else JUDGES):
                missing.append(f"{competitor.name} — {code}")
                continue
            part = _nine_hundredths(measured, worth, given) if total is not None else None
            total = None if part is None else total + part
        if total is None:
            result.append(_exact_total(scheme, lead, scores))
        else:
            result.append(Fraction(total, NINE_HUNDREDTHS))
    return everyone, result, missing


def _hundredths(maximum: Decimal) -> int:
    """``maximum`` in hundredths, or 0 (the exact way then) if it is not whole hundredths."""
    hundredths = maximum * 100
    return int(hundredths) if hundredths == hundredths.to_integral_value() else 0


def _exact_total(
    scheme: list[SchemeAspect],
    lead: int,
    scores: dict[tuple[int, int], list[int]],
) -> Fraction:
    """The competitor's total by the exact rules, which refuse what they must refuse."""
    parts: list[Measurement | Judgement] = []
    for aspect_id, _code, measured, _worth, maximum in scheme:
        given = [Decimal(value) / 100 for value in scores.get((aspect_id, lead), [])]
        if len(given) < (1 if measured else JUDGES):
            continue
        if measured:
            parts.append(Measurement(Fraction(maximum), given[0]))
        else:
            parts.append(Judgement(Fraction(maximum), tuple(int(value) for value in given)))
    return skill_total(parts, out_of=None)


def lock(account: Account, skill_id: int) -> Skill:
    """The chief expert locks the skill's marks, complete, and its results are computed."""
    skill = service.team_member(
        account,
        skill_id,
        _("Only the chief expert of the skill locks its marks."),
        role=JudgeRole.CHIEF_EXPERT,
    ).skill
    # The scheme's and the candidates' columns the lock needs, each read once.
    aspects = list(
        Aspect.select(Aspect.id, Aspect.code, Aspect.kind, Aspect.max_mark)
        .where(Aspect.skill == skill.id)
        .order_by(Aspect.code)
        .tuples()
    )
    if sum((aspect[3] for aspect in aspects), Decimal(0)) != 100:  # scheme_total
        raise Conflict(_("The marking scheme of this skill does not total 100 marks."))
    lean = Candidate.select(Candidate.id, Candidate.first_name, Candidate.last_name, Candidate.team)
    everyone, marks, missing = _totals(skill, _scheme(aspects), _competitors(skill, lean))
    if not everyone:
        raise Conflict(_("This skill has no accepted competitor."))
    if missing:
        raise Conflict(_("Marks are missing: %(list)s.", list=", ".join(missing[:10])))
    moment = clock.now()
    with database.atomic():
        changed = (
            Skill.update(locked_at=moment, locked_by=account)
            .where(Skill.id == skill.id, Skill.locked_at.is_null())
            .execute()
        )
        if not changed:
            raise Conflict(_("The marks of this skill are already locked."))
        MarkChange.create(skill=skill, action="locked", changed_by=account, changed_at=moment)
        results.compute(skill, everyone, marks)
    skill.locked_at, skill.locked_by = moment, account
    return skill


def log_of(account: Account, skill_id: int) -> list[MarkChange]:
    """The log of the skill's marks, for those who run the competition and its team."""
    skill = service.skill(skill_id)
    if service.judge_of(account, skill.id) is None:
        service.require_runner(account, skill.competition)
    return list(MarkChange.select().where(MarkChange.skill == skill.id).order_by(MarkChange.id))
