"""Personal data of the plugin: what a person can read, what is erased, how long it stays.

==================  ============================================  ===========================
what                kept                                          erased with the account
==================  ============================================  ===========================
candidates          ``kept_years`` after their competition ends,  anonymised (results stay,
                    then anonymised (``purge_expired``)           nameless, for the figures)
judges, links       as long as the account                        deleted
invitations         until used or expired                         deleted
==================  ============================================  ===========================

Candidates may be minors: only what the competition needs is kept (names, date of birth for
the age limit, pathway, training centre, employer, consents and the guardian's name for a
minor); the email and gender only when given. Public results show the first name and the
initial of the last name. A person finds their registrations through the email they gave.
"""

from __future__ import annotations

import datetime
from typing import Any

import peewee

from tremplin.auth.models import Account
from tremplin.privacy import ProcessingActivity

from . import service
from .i18n import _
from .models import Candidate, Competition, Invitation, Judge, Link, Result


def _candidates_of(person: Account) -> peewee.ModelSelect:
    return Candidate.select().where(Candidate.email == person.email)


def personal_data(person: Account) -> dict[str, Any]:
    """The person's registrations and results, and their places in marking teams."""
    data: dict[str, Any] = {}
    registrations = []
    for candidate in _candidates_of(person).order_by(Candidate.id):
        result = Result.get_or_none(Result.candidate == candidate.id)
        registrations.append(
            {
                "competition": candidate.competition.name,
                "skill": candidate.skill.name,
                "first_name": candidate.first_name,
                "last_name": candidate.last_name,
                "birth_date": candidate.birth_date.isoformat(),
                "pathway": candidate.pathway,
                "team": candidate.team,
                "status": candidate.status,
                "guardian_name": candidate.guardian_name,
                "consent_at": candidate.consent_at.isoformat(),
                "rank": result.rank if result else None,
                "scale_score": round(result.scale_score) if result else None,
                "award": result.award if result else None,
            }
        )
    if registrations:
        data[_("WorldSkills registrations")] = registrations
    teams = [
        {
            "competition": judge.skill.competition.name,
            "skill": judge.skill.name,
            "role": judge.role,
            "links_declared": Link.select().where(Link.judge == judge.id).count(),
        }
        for judge in Judge.select().where(Judge.account == person.id).order_by(Judge.id)
    ]
    if teams:
        data[_("WorldSkills marking teams")] = teams
    return data


def erase(person: Account) -> None:
    """Anonymise the person's registrations; delete their places in marking teams' links."""
    ids = [row.id for row in _candidates_of(person).select(Candidate.id)]
    anonymise(ids)
    judges = Judge.select(Judge.id).where(Judge.account == person.id)
    Link.delete().where(Link.judge.in_(judges)).execute()


def anonymise(ids: list[int]) -> None:
    """Remove names, email, gender, guardian and day of birth of these candidates: results
    stay, nameless, and the year of birth (set to 1 January) for the age figures."""
    if not ids:
        return
    Invitation.delete().where(Invitation.candidate.in_(ids)).execute()
    chosen = Candidate.id.in_(ids)
    Candidate.update(
        first_name="",
        last_name="",
        identity=Candidate.id.cast("text"),
        email=None,
        gender=None,
        guardian_name=None,
        registered_by=None,
    ).where(chosen).execute()
    years = {row.birth_date.year for row in Candidate.select(Candidate.birth_date).where(chosen)}
    for year in sorted(years):  # one update per year of birth, not per candidate
        Candidate.update(birth_date=datetime.date(year, 1, 1)).where(
            chosen,
            Candidate.birth_date.between(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        ).execute()


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def purge(now: datetime.datetime) -> None:
    """Anonymise candidates ``kept_years`` after their competition ended; delete expired
    invitations never used."""
    cutoff = years_before(now.date(), service.settings()["kept_years"])
    old = Competition.select(Competition.id).where(Competition.ends_on < cutoff)
    ids = [
        row.id
        for row in Candidate.select(Candidate.id).where(
            Candidate.competition.in_(old), Candidate.identity != Candidate.id.cast("text")
        )
    ]
    anonymise(ids)
    Invitation.delete().where(
        Invitation.used_at.is_null(), Invitation.expires_at < now.replace(tzinfo=None)
    ).execute()


def processing_activities() -> list[ProcessingActivity]:
    """Candidates, marking teams, invitations into the network."""
    years = service.settings()["kept_years"]
    return [
        ProcessingActivity(
            name=_("WorldSkills candidates"),
            purpose=_(
                "Register candidates to the regional selections, check their eligibility, "
                "mark them, publish the results and select the winners for the national finals."
            ),
            legal_basis=_(
                "Public interest task (article 6.1.e GDPR); consent of the candidate and, "
                "for a minor, of a legal guardian"
            ),
            data=_(
                "Names, date of birth, pathway, training centre, employer, consents; email "
                "and gender when given; marks and results. Public results show the first "
                "name and the initial of the last name."
            ),
            retention=_("Anonymised %(years)s years after the competition ends.", years=years),
        ),
        ProcessingActivity(
            name=_("WorldSkills marking teams"),
            purpose=_(
                "Organise the marking and keep judges from marking candidates they are linked to."
            ),
            legal_basis=_("Public interest task (article 6.1.e GDPR)"),
            data=_(
                "Role in a skill's marking team, links declared with candidates, marks entered."
            ),
            retention=_("As long as the account."),
        ),
        ProcessingActivity(
            name=_("Invitations of medallists"),
            purpose=_("Invite medallists and finalists to become ambassadors of their trade."),
            legal_basis=_("Legitimate interest (article 6.1.f GDPR)"),
            data=_("A single-use link, kept as its hash, and when it was sent and used."),
            retention=_("Deleted when expired unused."),
        ),
    ]
