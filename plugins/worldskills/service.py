"""Who may do what in the plugin, and what every workflow looks up.

The region (admins) and the referents of a competition's territory run it: its skills,
the check of its candidates, its judges, the publication of its results, the selection
and the invitations. Judges mark the skills they belong to; the chief expert of a skill
locks its marks. Every check is made here, on the server.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from tremplin import clock, runtime
from tremplin.auth import permissions
from tremplin.auth.models import Account
from tremplin.errors import NotAllowed, NotFound

from . import plugin
from .i18n import _
from .models import Candidate, Competition, Judge, JudgeRole, Skill
from .scoring import Scale


def settings() -> Mapping[str, Any]:
    """The plugin's validated ``[plugins.worldskills]`` settings."""
    return plugin.settings()


def scale() -> Scale:
    """The WorldSkills Scale as the region configured it."""
    config = settings()
    return Scale(
        centre=config["scale_centre"], points_per_sd=config["points_per_sd"], sd=config["sd"]
    )


def today() -> datetime.date:
    """Today in the region."""
    zone = ZoneInfo(runtime.current().region.timezone)
    return clock.now().replace(tzinfo=datetime.UTC).astimezone(zone).date()


# Who may do what


def may_run(account: Account | None, competition: Competition) -> bool:
    """Admins, and referents of the competition's territory, run a competition."""
    if permissions.is_admin(account):
        return True
    territory = competition.territory_id
    return territory is not None and permissions.covers_territory(account, territory)


def require_runner(account: Account | None, competition: Competition) -> None:
    """Raise ``NotAllowed`` unless ``account`` runs ``competition``."""
    if not may_run(account, competition):
        raise NotAllowed(
            _("Only the region's administrators and the referents of its territory may do this.")
        )


def runs_any(account: Account | None) -> bool:
    """Whether ``account`` may run some competition: an admin or a referent."""
    covered = permissions.covered_territories(account)
    return covered is None or bool(covered)


def judge_of(account: Account | None, skill_id: int) -> Judge | None:
    """``account``'s place in the marking team of the skill ``skill_id``, with the skill,
    in one statement; ``None`` if they are not in its team or there is no such skill."""
    if account is None:
        return None
    return (
        Judge.select(Judge, Skill)
        .join(Skill)
        .where(Judge.skill == skill_id, Judge.account == account.id)
        .first()
    )


def team_member(
    account: Account, skill_id: int, refusal: str, role: JudgeRole | None = None
) -> Judge:
    """``account``'s place in the marking team of the skill ``skill_id`` (with ``role``,
    when given), with the skill; ``NotFound`` when there is no such skill, else
    ``NotAllowed(refusal)`` when they are not in its team in that role."""
    judge = judge_of(account, skill_id)
    if judge is None or (role is not None and judge.role != role):
        skill(skill_id)  # NotFound first, for a skill that does not exist
        raise NotAllowed(refusal)
    return judge


# Lookups


def competition(competition_id: int) -> Competition:
    """The competition ``competition_id``; ``NotFound`` if none."""
    found = Competition.get_or_none(Competition.id == competition_id)
    if found is None:
        raise NotFound(_("No competition has the number %(id)s.", id=competition_id))
    return found


def skill(skill_id: int) -> Skill:
    """The skill ``skill_id``; ``NotFound`` if none."""
    found = Skill.get_or_none(Skill.id == skill_id)
    if found is None:
        raise NotFound(_("No skill has the number %(id)s.", id=skill_id))
    return found


def candidate(candidate_id: int) -> Candidate:
    """The candidate ``candidate_id``; ``NotFound`` if none."""
    found = Candidate.get_or_none(Candidate.id == candidate_id)
    if found is None:
        raise NotFound(_("No candidate has the number %(id)s.", id=candidate_id))
    return found


def target_year(competition: Competition) -> int:
    """The year of the competition a candidate of ``competition`` aims at: the end of the
    chain of ``selects_for`` (WorldSkills for a regional selection), whose year the age
    limits count in."""
    seen = {competition.id}
    current = competition
    while current.selects_for_id is not None and current.selects_for_id not in seen:
        seen.add(current.selects_for_id)
        current = Competition.get_by_id(current.selects_for_id)
    return current.starts_on.year
