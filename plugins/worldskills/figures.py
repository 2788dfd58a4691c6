"""The plugin's key figures: candidates by skill, gender, pathway and territory, and medals.

Counted in SQL, one grouped query per breakdown, for the competitions that start within the
period and the candidates whose training centre (or employer) lies in the territory.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import peewee

from tremplin.stats.figures import Figure, scope_of, within
from tremplin.territories.models import Territory

from .i18n import _
from .labels import GENDERS, PATHWAYS, label
from .models import Candidate, CandidateStatus, Competition, Result, Skill
from .scoring import LABELS, Award


def key_figures(period: tuple[datetime.date, datetime.date], territory: Territory) -> list[Figure]:
    """Candidates accepted in competitions starting within ``period`` in ``territory``, in all
    and by skill, gender, pathway and territory; medals and medallions won."""
    start, end = period
    scope = scope_of(territory)
    base = (
        Candidate.select()
        .join(Competition, on=(Candidate.competition == Competition.id))
        .where(
            Competition.starts_on.between(start, end),
            Candidate.status == CandidateStatus.ACCEPTED,
            within(Candidate.territory, scope),
        )
    )
    rows = [Figure("worldskills.candidates", _("WorldSkills candidates"), base.count())]
    rows += _by(
        base, Skill.name, "skill", lambda v: _("WorldSkills candidates, skill: %(name)s", name=v)
    )
    rows += _by(
        base,
        Candidate.gender,
        "gender",
        lambda v: _("WorldSkills candidates, gender: %(name)s", name=label(GENDERS, v)),
    )
    rows += _by(
        base,
        Candidate.pathway,
        "pathway",
        lambda v: _("WorldSkills candidates, pathway: %(name)s", name=label(PATHWAYS, v)),
    )
    rows += _by(
        base,
        Territory.name,
        "territory",
        lambda v: _("WorldSkills candidates, territory: %(name)s", name=v),
    )
    medals = (
        base.select(Result.award, peewee.fn.COUNT(peewee.fn.DISTINCT(Result.competitor)))
        .join(Result, on=(Result.candidate == Candidate.id))
        .where(Result.award.is_null(False))
        .group_by(Result.award)
        .tuples()
    )
    won = dict(medals)
    for award in Award:
        rows.append(
            Figure(f"worldskills.awards.{award.value}", str(LABELS[award]), won.get(award.value, 0))
        )
    return rows


def _by(
    base: peewee.ModelSelect, column: peewee.Field, key: str, name: Callable[[str], str]
) -> list[Figure]:
    query = base.select(column.alias("value"), peewee.fn.COUNT(Candidate.id).alias("count"))
    if column.model is Skill:
        query = query.join(Skill, on=(Candidate.skill == Skill.id))
    elif column.model is Territory:
        query = query.join(
            Territory, peewee.JOIN.LEFT_OUTER, on=(Candidate.territory == Territory.id)
        )
    counts = {row["value"]: row["count"] for row in query.group_by(column).dicts()}
    return [
        Figure(
            f"worldskills.candidates.{key}.{value or '-'}",
            name(value) if value else name(_("unknown")),
            count,
        )
        for value, count in sorted(counts.items(), key=lambda item: str(item[0] or ""))
    ]
