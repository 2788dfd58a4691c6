"""Into the network: medallists and finalists invited to become ambassadors.

Those who run a competition invite, once, every candidate with an email who won an award
(medal or medallion) and, at the national finals and above, every finalist. The email
carries a single-use link, valid ``invitation_days`` days and kept only as its SHA-256: it
opens the ambassador registration prefilled from the competition (names, email, the skill
as occupation and its first ROME code, its sector, the candidate's territory as zone). The
account is then created as any ambassador's, pending its activation.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from tremplin import clock
from tremplin.auth import service as accounts
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, Invalid, NotFound
from tremplin.mail import service as mail
from tremplin.people import holds
from tremplin.people import service as people
from tremplin.people.models import AmbassadorKind, InterventionType, Mode
from tremplin.territories.models import Territory
from tremplin.validation import validated

from . import service
from .i18n import _
from .models import Candidate, CandidateStatus, Invitation, Level, Result, Skill
from .schemas import InvitationSchema

EMAIL = "worldskills/email/invitation"
FINALS = (Level.NATIONAL, Level.EUROSKILLS, Level.WORLDSKILLS)


def invitable(competition_id: int) -> list[Candidate]:
    """Candidates of the competition to invite: medallists, and finalists at the national
    finals and above; with an email, not invited yet."""
    competition = service.competition(competition_id)
    query = (
        Candidate.select()
        .where(
            Candidate.competition == competition.id,
            Candidate.status == CandidateStatus.ACCEPTED,
            Candidate.email.is_null(False),
            Candidate.id.not_in(Invitation.select(Invitation.candidate)),
        )
        .order_by(Candidate.id)
    )
    if competition.level not in FINALS:
        awarded = Result.select(Result.candidate).where(Result.award.is_null(False))
        query = query.where(Candidate.id.in_(awarded))
    return list(query)


def invite(account: Account, competition_id: int) -> int:
    """Send the invitations of the competition; how many were sent."""
    competition = service.competition(competition_id)
    service.require_runner(account, competition)
    days = service.settings()["invitation_days"]
    moment = clock.now()
    sent = 0
    with database.atomic():
        for candidate in invitable(competition.id):
            token = secrets.token_urlsafe(32)
            Invitation.create(
                candidate=candidate,
                token_hash=_hash(token),
                sent_at=moment,
                expires_at=moment + datetime.timedelta(days=days),
            )
            mail.queue(
                candidate.email,
                EMAIL,
                first_name=candidate.first_name,
                competition=competition.name,
                skill=candidate.skill.name,
                token=token,
                days=days,
            )
            sent += 1
    return sent


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitation(token: str) -> Invitation:
    """The invitation of ``token``, unused and unexpired; ``NotFound`` otherwise."""
    invitation = Invitation.get_or_none(Invitation.token_hash == _hash(token))
    if invitation is None or invitation.used_at is not None or invitation.expires_at < clock.now():
        raise NotFound(_("This invitation link is not valid any more."))
    return invitation


def prefilled(token: str) -> dict[str, Any]:
    """The ambassador registration of the invitation, prefilled from the competition."""
    candidate = open_invitation(token).candidate
    skill: Skill = candidate.skill
    codes = skill.rome_codes.split()
    # Where they train, else the competition's territory: an ambassador needs a zone.
    zone = Territory.get_or_none(
        Territory.id == (candidate.territory_id or candidate.competition.territory_id)
    )
    return {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "email": candidate.email,
        "occupation": skill.name,
        "rome_code": codes[0] if codes else None,
        "sector": skill.sector,
        "zones": [zone.code] if zone else [],
        "presentation": "",
    }


def accept(token: str, raw: Mapping[str, Any], locale: str = "fr") -> int:
    """Register the invited person as a young ambassador from the prefilled form; the id of
    their (pending) ambassador profile. The link then stops working."""
    invitation = open_invitation(token)
    data = validated(InvitationSchema, raw)
    if accounts.find_account(data["email"]) is not None:
        raise Invalid({"email": [_("An account already uses this email address: sign in.")]})
    profile = {
        **data,
        "kind": AmbassadorKind.YOUNG,
        "intervention_types": [InterventionType.CLASS_TALK, InterventionType.FORUM],
        "modes": [Mode.ON_SITE],
        "monthly_capacity": 2,
    }
    with database.atomic():
        used = (
            Invitation.update(used_at=clock.now())
            .where(Invitation.id == invitation.id, Invitation.used_at.is_null())
            .execute()
        )
        if not used:
            raise Conflict(_("This invitation was already used."))
        ambassador = people.create_ambassador(profile, locale=locale)
        holds.rebuild([ambassador])
        Invitation.update(ambassador=ambassador.id).where(Invitation.id == invitation.id).execute()
    return ambassador.id
