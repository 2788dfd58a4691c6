"""The marking team of a skill, and the links its members declare with candidates.

Those who run a competition appoint, for each skill, its chief expert (one), experts and
judges, who must have an account. A member of the team declares any link with a candidate
(their trainer, employer, relative...): they then never mark that candidate, nor the team
the candidate belongs to (``marks.enter`` enforces it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import peewee

from tremplin.auth import service as accounts
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, Invalid
from tremplin.validation import validated

from . import service
from .i18n import _
from .models import Candidate, Judge, JudgeRole, Link
from .schemas import JudgeSchema, LinkSchema


def appoint(account: Account, skill_id: int, raw: Mapping[str, Any]) -> Judge:
    """Add a person, by the email of their account, to the skill's marking team."""
    skill = service.skill(skill_id)
    service.require_runner(account, skill.competition)
    data = validated(JudgeSchema, raw)
    person = accounts.find_account(data["email"])
    if person is None:
        raise Invalid({"email": [_("No account uses this email: ask the person to sign up.")]})
    if data["role"] == JudgeRole.CHIEF_EXPERT and (
        Judge.select().where(Judge.skill == skill.id, Judge.role == JudgeRole.CHIEF_EXPERT).exists()
    ):
        raise Invalid({"role": [_("This skill already has a chief expert.")]})
    try:
        with database.atomic():
            return Judge.create(skill=skill, account=person, role=data["role"])
    except peewee.IntegrityError as error:
        raise Conflict(_("This person is already in the skill's marking team.")) from error


def team_of(skill_id: int) -> list[Judge]:
    """The marking team of a skill, chief expert first."""
    order = {JudgeRole.CHIEF_EXPERT: 0, JudgeRole.EXPERT: 1, JudgeRole.JUDGE: 2}
    rows = list(Judge.select(Judge, Account).join(Account).where(Judge.skill == skill_id))
    return sorted(rows, key=lambda judge: (order.get(judge.role, 3), judge.id))


def declare_link(account: Account, skill_id: int, raw: Mapping[str, Any]) -> Link:
    """A member of the skill's team declares a link with one of its candidates."""
    judge = service.team_member(
        account, skill_id, _("Only the members of the skill's marking team declare links.")
    )
    skill = judge.skill
    data = validated(LinkSchema, raw)
    candidate = Candidate.get_or_none(
        Candidate.id == data["candidate"], Candidate.skill == skill.id
    )
    if candidate is None:
        raise Invalid({"candidate": [_("Choose a candidate of this skill.")]})
    existing = Link.get_or_none(Link.judge == judge.id, Link.candidate == candidate.id)
    if existing is not None:
        return existing
    return Link.create(judge=judge, candidate=candidate, nature=data["nature"])


def links_of(judge: Judge) -> list[Link]:
    """The links ``judge`` declared."""
    return list(Link.select().where(Link.judge == judge.id).order_by(Link.id))


def linked_candidates(judge: Judge) -> set[int]:
    """Ids of the candidates ``judge`` declared a link with."""
    return {row.candidate_id for row in Link.select(Link.candidate).where(Link.judge == judge.id)}
