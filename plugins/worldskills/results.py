"""Results: scale scores, medals, the public results, the CSV, the certificates, and the
selection for the next level.

When the chief expert locks a skill's marks, each competitor's marks out of 100 are
standardised on the WorldSkills Scale as the region configured it (``scoring.Scale``) and
the medals are given by rank (``scoring.awards``); every member of a team gets the team's
result. Those who run the competition publish its results: then a public page per skill
shows the ranking, the scale scores and the medals, with first names and the initial of
last names only (candidates may be minors). The selection takes the competitors whose
award the settings name (gold by default) to the same skill, by name, of the competition
this one selects for.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from tremplin import clock, spreadsheets
from tremplin.auth.models import Account
from tremplin.db import database, insert_rows
from tremplin.documents import service as documents
from tremplin.documents.models import Document
from tremplin.errors import Conflict, NotAllowed, NotFound
from tremplin.organisations.models import Organisation
from tremplin.territories.models import Territory

from . import plugin, service
from .eligibility import eligible
from .i18n import _
from .models import Candidate, CandidateStatus, Competition, Level, Result, Skill
from .scoring import Award, awards
from .tallies import Tally, standings, tally

if TYPE_CHECKING:
    from .marks import Competitor

CERTIFICATE = "worldskills/documents/certificate.html"
CERTIFICATE_KIND = "worldskills.certificate"
MAX_DEPTH = 32  # levels of the territory tree climbed at most


def compute(skill: Skill, competitors: Sequence[Competitor], marks: Sequence[Fraction]) -> None:
    """Write the results of ``skill`` from each competitor's ``marks`` (same order)."""
    scale = service.scale()
    scores = scale.standardise(marks)
    medallion_from = scale.medallion_from if service.settings()["medallions"] else None
    awarded = awards(scores, medallion_from=medallion_from)
    Result.delete().where(Result.skill == skill.id).execute()
    rows = []
    for competitor, mark, score, award in zip(competitors, marks, scores, awarded, strict=True):
        rank = 1 + sum(1 for other in scores if other > score)
        for member in competitor.members:
            rows.append(
                {
                    "skill": skill.id,
                    "candidate": member.id,
                    "competitor": competitor.key,
                    "marks": round(float(mark), 2),
                    "scale_score": score,
                    "rank": rank,
                    "award": award.value if award is not None else None,
                }
            )
    insert_rows(Result, rows)  # every column given: the driver's bulk insert


@dataclass(frozen=True)
class Line:
    """One line of a skill's results."""

    rank: int
    name: str
    training_centre: str | None
    marks: str
    scale_score: int
    award: str | None
    selected: bool
    candidate_id: int


def lines(skill: Skill, *, public: bool) -> list[Line]:
    """The results of ``skill`` by rank; with full names unless ``public`` (first name and
    the initial of the last name)."""
    rows = (
        Result.select(Result, Candidate)
        .join(Candidate)
        .where(Result.skill == skill.id)
        .order_by(Result.rank, Candidate.last_name, Candidate.first_name)
    )
    centres = _centre_names([row.candidate.training_centre_id for row in rows])
    return [
        Line(
            rank=row.rank,
            name=_name(row.candidate, public),
            training_centre=centres.get(row.candidate.training_centre_id),
            marks=f"{row.marks:.2f}",
            scale_score=round(row.scale_score),
            award=row.award,
            selected=row.selected_at is not None,
            candidate_id=row.candidate_id,
        )
        for row in rows
    ]


def _name(candidate: Candidate, public: bool) -> str:
    if not public:
        return f"{candidate.first_name} {candidate.last_name}"
    initial = candidate.last_name[:1].upper()
    return f"{candidate.first_name} {initial}." if initial else candidate.first_name


def _centre_names(ids: Sequence[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    query = Organisation.select(Organisation.id, Organisation.name)
    return {row.id: row.name for row in query.where(Organisation.id.in_(wanted))}


def publish(account: Account, competition_id: int) -> Competition:
    """Publish the results of the competition's locked skills."""
    competition = service.competition(competition_id)
    service.require_runner(account, competition)
    if not Result.select().join(Skill).where(Skill.competition == competition.id).exists():
        raise Conflict(_("No skill of this competition has its marks locked yet."))
    Competition.update(results_published_at=clock.now()).where(
        Competition.id == competition.id
    ).execute()
    return service.competition(competition.id)


def published(competition_id: int) -> Competition:
    """The competition, if its results are published; ``NotFound`` otherwise."""
    competition = service.competition(competition_id)
    if competition.results_published_at is None:
        raise NotFound(_("The results of this competition are not published."))
    return competition


def public_skill(competition_id: int, skill_id: int) -> tuple[Competition, Skill, list[Line]]:
    """A skill's published results, for anybody."""
    competition = published(competition_id)
    skill = Skill.get_or_none(Skill.id == skill_id, Skill.competition == competition.id)
    if skill is None or skill.locked_at is None:
        raise NotFound(_("This skill has no published results."))
    return competition, skill, lines(skill, public=True)


def locked_skills(competition_id: int) -> list[Skill]:
    """The skills of the competition whose marks are locked, by number."""
    return list(
        Skill.select()
        .where(Skill.competition == competition_id, Skill.locked_at.is_null(False))
        .order_by(Skill.number)
    )


def medal_table(competition_id: int) -> list[tuple[int, str, Tally]]:
    """Medal points of each training centre at a regional selection, of each region (the
    top of the candidates' territories) at the national finals and above: one entry per
    competitor, ranked by points."""
    competition = service.competition(competition_id)
    rows = list(
        Result.select(Result.competitor, Result.award, Result.skill, Candidate)
        .join(Candidate)
        .switch(Result)
        .join(Skill)
        .where(Skill.competition == competition.id)
        .order_by(Result.id)
    )
    if competition.level == Level.REGIONAL:
        names = _centre_names([row.candidate.training_centre_id for row in rows])
        key = "training_centre_id"
    else:
        names = _region_names([row.candidate.territory_id for row in rows])
        key = "territory_id"
    entries: dict[tuple[int, str], tuple[str, Award | None]] = {}
    for row in rows:
        group = names.get(getattr(row.candidate, key)) or _("Unknown")
        award = Award(row.award) if row.award else None
        entries.setdefault((row.skill_id, row.competitor), (group, award))
    return standings(tally(entries.values()))


def _region_names(ids: Sequence[int | None]) -> dict[int, str]:
    """The name of the top of the tree above each territory of ``ids`` (its region)."""
    parents: dict[int, tuple[int | None, str]] = {}
    frontier = {i for i in ids if i is not None}
    for _level in range(MAX_DEPTH):  # one query per level of the tree, not per candidate
        if not frontier:
            break
        query = Territory.select(Territory.id, Territory.parent, Territory.name)
        found = list(query.where(Territory.id.in_(sorted(frontier))))
        parents.update({t.id: (t.parent_id, t.name) for t in found})
        frontier = {t.parent_id for t in found if t.parent_id is not None} - parents.keys()
    tops: dict[int, str] = {}
    for start in {i for i in ids if i is not None} & parents.keys():
        current = start
        for _step in range(MAX_DEPTH):
            parent = parents[current][0]
            if parent is None or parent not in parents:
                break
            current = parent
        tops[start] = parents[current][1]
    return tops


def export_csv(account: Account, competition_id: int) -> str:
    """Every result of the competition as CSV, for those who run it (full names)."""
    competition = service.competition(competition_id)
    service.require_runner(account, competition)
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerow(
        [
            _("Skill number"),
            _("Skill"),
            _("Rank"),
            _("Candidate"),
            _("Training centre"),
            _("Marks"),
            _("Scale score"),
            _("Award"),
            _("Selected"),
        ]
    )
    for skill in locked_skills(competition.id):
        for line in lines(skill, public=False):
            writer.writerow(
                [
                    skill.number,
                    skill.name,
                    line.rank,
                    line.name,
                    line.training_centre or "",
                    line.marks,
                    line.scale_score,
                    str(Award(line.award).label) if line.award else "",
                    _("yes") if line.selected else _("no"),
                ]
            )
    return out.getvalue()


# Certificates


def may_see_candidate(account: Account | None, candidate: Candidate) -> bool:
    """Those who run the competition, and whoever registered the candidate."""
    if account is None:
        return False
    return (
        service.may_run(account, candidate.competition) or candidate.registered_by_id == account.id
    )


def certificate(account: Account | None, candidate_id: int) -> Document:
    """The PDF certificate of a candidate's result, issued once and kept."""
    candidate = service.candidate(candidate_id)
    if not may_see_candidate(account, candidate):
        raise NotAllowed(_("Only those who run the competition may see this certificate."))
    result = Result.get_or_none(Result.candidate == candidate.id)
    if result is None:
        raise NotFound(_("This candidate has no result yet."))
    subject = f"certificate:{candidate.id}"
    issued = documents.documents_of(plugin.name, subject)
    if issued:
        return issued[-1]
    skill, competition = candidate.skill, candidate.competition
    return documents.issue_new(
        CERTIFICATE_KIND,
        plugin.name,
        subject,
        _(
            "Certificate — %(name)s — %(skill)s",
            name=f"{candidate.first_name} {candidate.last_name}",
            skill=skill.name,
        ),
        CERTIFICATE,
        {
            "name": f"{candidate.first_name} {candidate.last_name}",
            "competition": competition.name,
            "edition": competition.edition,
            "starts_on": competition.starts_on,
            "ends_on": competition.ends_on,
            "skill_number": skill.number,
            "skill": skill.name,
            "team": candidate.team,
            "rank": result.rank,
            "marks": f"{result.marks:.2f}",
            "scale_score": round(result.scale_score),
            "award": str(Award(result.award).label) if result.award else None,
        },
    )


# Selection for the next level


@dataclass
class Selection:
    """What a selection did: candidates registered at the next level, and who could not be."""

    selected: int = 0
    skipped: list[str] = field(default_factory=list)


def select(account: Account, competition_id: int) -> Selection:
    """Register the competitors whose award the settings name in the same skill (by name:
    numbers change) of the competition this one selects for, waiting for its check."""
    competition = service.competition(competition_id)
    service.require_runner(account, competition)
    if competition.selects_for_id is None:
        raise Conflict(_("This competition selects for no other."))
    target = service.competition(competition.selects_for_id)
    wanted = service.settings()["selected_awards"]
    next_skills = {skill.name: skill for skill in Skill.select().where(Skill.competition == target)}
    outcome = Selection()
    rows = (
        Result.select(Result, Candidate)
        .join(Candidate)
        .switch(Result)
        .join(Skill)
        .where(
            Skill.competition == competition.id,
            Result.award.in_(wanted),
            Result.selected_at.is_null(),
        )
        .order_by(Result.id)
    )
    year = service.target_year(target)
    with database.atomic():
        for result in rows:
            candidate, skill = result.candidate, result.skill
            name = f"{candidate.first_name} {candidate.last_name}"
            destination = next_skills.get(skill.name)
            if destination is None:
                outcome.skipped.append(
                    _(
                        "%(name)s: %(target)s has no skill %(skill)s.",
                        name=name,
                        target=target.name,
                        skill=skill.name,
                    )
                )
                continue
            if not eligible(candidate.birth_date, year, destination.max_age):
                outcome.skipped.append(_("%(name)s: over the age limit.", name=name))
                continue
            _register_at_next_level(candidate, target, destination)
            Result.update(selected_at=clock.now()).where(Result.id == result.id).execute()
            outcome.selected += 1
    return outcome


def _register_at_next_level(candidate: Candidate, target: Competition, skill: Skill) -> None:
    exists = Candidate.select().where(
        Candidate.skill == skill.id,
        Candidate.identity == candidate.identity,
        Candidate.birth_date == candidate.birth_date,
    )
    if exists.exists():
        return
    Candidate.create(
        competition=target,
        skill=skill,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        identity=candidate.identity,
        birth_date=candidate.birth_date,
        email=candidate.email,
        gender=candidate.gender,
        pathway=candidate.pathway,
        training_centre=candidate.training_centre_id,
        employer=candidate.employer_id,
        territory=candidate.territory_id,
        team=candidate.team,
        status=CandidateStatus.PENDING,
        consent_at=candidate.consent_at,
        guardian_name=candidate.guardian_name,
        guardian_consent_at=candidate.guardian_consent_at,
        selected_from=candidate.id,
    )
