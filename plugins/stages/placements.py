"""Placements: a teacher proposes a pupil for an offer, the host accepts or declines.

The teacher gives only what the convention needs: the pupil's name, class and birth date
(and an email to sign, and a gender for equality figures, both optional), the legal
guardians' names and contacts, the dates and the weekly schedule, checked at once against
the rules for minors (``schedule``). The host answers. Accepting takes a place of the
offer and one of the host's ``host_cap`` places for the days of the stay: the transaction
first locks the host's offers, then moves the placement with a guarded update and counts,
so two answers at the same moment cannot both take the last place (as the interventions'
capacity). Cancelling, by either side with a reason, tells everyone by email.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tremplin import clock
from tremplin.auth.models import Account, Role, RoleGrant
from tremplin.db import database
from tremplin.errors import Conflict, Invalid
from tremplin.i18n import format_day
from tremplin.mail import service as mail
from tremplin.people.models import Ambassador
from tremplin.validation import validated

from . import conventions, offers, schedule, service
from .i18n import _
from .models import (
    HOLDING,
    Convention,
    ConventionStatus,
    Guardian,
    Offer,
    Placement,
    PlacementStatus,
)
from .schemas import AnswerSchema, ChangeSchema, PlacementSchema, ReasonSchema

OPEN = (PlacementStatus.PROPOSED, PlacementStatus.ACCEPTED, PlacementStatus.STARTED)


def propose(account: Account, raw: Mapping[str, Any]) -> Placement:
    """A teacher proposes a pupil of their school for an offer; the host is emailed."""
    data = validated(PlacementSchema, raw)
    school = service.require_teacher(account, data["school"])
    offer = offers.get(data["offer"])
    offers.require_open(offer)
    errors = {}
    if data["level"] not in offer.levels.split():
        errors["level"] = [_("This offer does not host pupils of this level.")]
    if not offers.within_periods(offer, data["first_day"], data["last_day"]):
        spans = ", ".join(f"{format_day(a)} – {format_day(b)}" for a, b in offer.spans())
        errors["first_day"] = [
            _("The host receives pupils in these periods: %(periods)s.", periods=spans)
        ]
    if errors:
        raise Invalid(errors)
    periods = [(data["first_day"], data["last_day"]), *_other_half(school.id, data)]
    schedule.require_lawful(
        data["level"], data["pupil_birth_date"], periods, data["schedule"], _zone()
    )
    pupil = {key: data[key] for key in data if key.startswith("pupil_")}
    with database.atomic():
        placement = Placement.create(
            offer=offer.id,
            host=offer.host_id,
            school=school.id,
            teacher=account,
            level=data["level"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            schedule=schedule.dump(data["schedule"]),
            **pupil,
        )
        for position, guardian in enumerate(data["guardians"], start=1):
            Guardian.create(placement=placement, position=position, **guardian)
        for email in host_emails(offer.host_id):
            mail.queue(
                email,
                service.EMAILS + "proposed",
                occupation=offer.occupation,
                school=school.name,
                first_day=placement.first_day.isoformat(),
                placement_id=placement.id,
            )
    return placement


def _zone() -> str:
    return service.settings()["zone"]


def _other_half(school_id: int, data: Mapping[str, Any], exclude: int | None = None) -> list:
    """The period of the same pupil's other seconde placement at another host, if any."""
    if data["level"] != schedule.SECONDE:
        return []
    query = Placement.select(Placement.first_day, Placement.last_day).where(
        Placement.school == school_id,
        Placement.level == schedule.SECONDE,
        Placement.pupil_last_name == data["pupil_last_name"],
        Placement.pupil_first_name == data["pupil_first_name"],
        Placement.pupil_birth_date == data["pupil_birth_date"],
        Placement.status.in_(list(OPEN)),
    )
    if exclude is not None:
        query = query.where(Placement.id != exclude)
    return [(row.first_day, row.last_day) for row in query]


def host_emails(host_id: int) -> list[str]:
    """Emails of the host's partner managers and of the ambassadors working there."""
    managers = (
        Account.select(Account.email)
        .join(RoleGrant, on=(RoleGrant.account == Account.id))
        .where(RoleGrant.organisation == host_id, RoleGrant.role == Role.PARTNER_MANAGER)
    )
    ambassadors = (
        Account.select(Account.email)
        .join(Ambassador, on=(Ambassador.account == Account.id))
        .where(Ambassador.organisation == host_id)
    )
    return sorted({row.email for row in managers} | {row.email for row in ambassadors})


def _lock_host(host_id: int) -> None:
    """Take the row locks of the host's offers (PostgreSQL) or the write lock (SQLite) first.

    Places are counted after the guarded update; without this lock two transactions
    accepting two pupils could each count before the other's commit and both take the
    last place.
    """
    Offer.update(places=Offer.places).where(Offer.host == host_id).execute()


def _overlapping(placement: Placement):
    return (
        Placement.status.in_(list(HOLDING)),
        Placement.first_day <= placement.last_day,
        Placement.last_day >= placement.first_day,
    )


def answer(account: Account, placement_id: int, raw: Mapping[str, Any]) -> Placement:
    """The host accepts or declines a proposed pupil; the teacher is emailed.

    ``Conflict`` if the placement was answered or withdrawn meanwhile, or if accepting
    would take more places than the offer has, or more pupils at once than the host's cap.
    """
    placement = service.placement_for(account, placement_id)
    service.require_side(account, placement, "host")
    data = validated(AnswerSchema, raw)
    accept = data["outcome"] == "accept"
    new = PlacementStatus.ACCEPTED if accept else PlacementStatus.DECLINED
    with database.atomic():
        _lock_host(placement.host_id)
        moved = (
            Placement.update(status=new, answered_at=clock.now(), decline_reason=data["reason"])
            .where(Placement.id == placement.id, Placement.status == PlacementStatus.PROPOSED)
            .execute()
        )
        if not moved:
            raise Conflict(_("This pupil has already been answered or withdrawn."))
        if accept:
            _check_places(placement)
        teacher = Account.get_or_none(Account.id == placement.teacher_id)
        if teacher is not None:
            mail.queue(
                teacher.email,
                service.EMAILS + ("accepted" if accept else "declined"),
                locale=teacher.locale or "fr",
                pupil=f"{placement.pupil_first_name} {placement.pupil_last_name}",
                occupation=placement.offer.occupation,
                reason=data["reason"],
                placement_id=placement.id,
            )
    return Placement.get_by_id(placement.id)


def _check_places(placement: Placement) -> None:
    offer = Offer.get_by_id(placement.offer_id)
    taken = Placement.select().where(Placement.offer == offer.id, *_overlapping(placement)).count()
    if taken > offer.places:
        raise Conflict(
            _("The offer has no place left for these days: %(count)s taken.", count=offer.places)
        )
    cap = service.settings()["host_cap"]
    at_host = (
        Placement.select()
        .where(Placement.host == placement.host_id, *_overlapping(placement))
        .count()
    )
    if at_host > cap:
        raise Conflict(
            _("The host already receives %(count)s pupils on these days, its maximum.", count=cap)
        )


def change(account: Account, placement_id: int, raw: Mapping[str, Any]) -> Placement:
    """The school changes the dates or the schedule, checked again; a convention being
    signed or signed is signed again from the start (an amendment)."""
    placement = service.placement_for(account, placement_id)
    service.require_side(account, placement, "school")
    data = validated(ChangeSchema, raw)
    pupil = {
        "level": placement.level,
        "pupil_first_name": placement.pupil_first_name,
        "pupil_last_name": placement.pupil_last_name,
        "pupil_birth_date": placement.pupil_birth_date,
    }
    periods = [
        (data["first_day"], data["last_day"]),
        *_other_half(placement.school_id, pupil, exclude=placement.id),
    ]
    schedule.require_lawful(
        placement.level, placement.pupil_birth_date, periods, data["schedule"], _zone()
    )
    with database.atomic():
        moved = (
            Placement.update(
                first_day=data["first_day"],
                last_day=data["last_day"],
                schedule=schedule.dump(data["schedule"]),
            )
            .where(Placement.id == placement.id, Placement.status.in_(list(OPEN)))
            .execute()
        )
        if not moved:
            raise Conflict(_("This placement is over: it cannot change."))
        conventions.amend(placement.id)
    return Placement.get_by_id(placement.id)


def start(account: Account, placement_id: int) -> Placement:
    """The internship starts: only once every party signed the convention."""
    placement = service.placement_for(account, placement_id)
    conventions.require_signed(placement)
    with database.atomic():
        moved = (
            Placement.update(status=PlacementStatus.STARTED, started_at=clock.now())
            .where(Placement.id == placement.id, Placement.status == PlacementStatus.ACCEPTED)
            .execute()
        )
        if not moved:
            raise Conflict(_("Only an accepted placement starts."))
    return Placement.get_by_id(placement.id)


def complete(account: Account, placement_id: int) -> Placement:
    """The internship is over (from its last day on)."""
    placement = service.placement_for(account, placement_id)
    if service.today() < placement.last_day:
        raise Conflict(_("The internship is over after its last day."))
    moved = (
        Placement.update(status=PlacementStatus.COMPLETED, completed_at=clock.now())
        .where(Placement.id == placement.id, Placement.status == PlacementStatus.STARTED)
        .execute()
    )
    if not moved:
        raise Conflict(_("Only an internship that started is completed."))
    return Placement.get_by_id(placement.id)


def cancel(account: Account, placement_id: int, raw: Mapping[str, Any]) -> Placement:
    """Either side cancels, saying why; the convention is cancelled and everyone is told:
    the school's teacher, the host's people, the signatories and the legal guardians."""
    placement = service.placement_for(account, placement_id)
    data = validated(ReasonSchema, raw)
    with database.atomic():
        moved = (
            Placement.update(
                status=PlacementStatus.CANCELLED,
                cancelled_at=clock.now(),
                cancel_reason=data["reason"],
            )
            .where(Placement.id == placement.id, Placement.status.in_(list(OPEN)))
            .execute()
        )
        if not moved:
            raise Conflict(_("This placement is already over or cancelled."))
        told = conventions.cancel(placement.id, data["reason"])
        for email in sorted(set(everyone(placement)) | told):
            mail.queue(
                email,
                service.EMAILS + "cancelled",
                pupil=f"{placement.pupil_first_name} {placement.pupil_last_name}",
                occupation=placement.offer.occupation,
                first_day=placement.first_day.isoformat(),
                reason=data["reason"],
            )
    return Placement.get_by_id(placement.id)


def everyone(placement: Placement) -> list[str]:
    """Emails of the people concerned by a placement: teacher, host, pupil, guardians."""
    emails = set(host_emails(placement.host_id))
    teacher = Account.get_or_none(Account.id == placement.teacher_id)
    if teacher is not None:
        emails.add(teacher.email)
    if placement.pupil_email:
        emails.add(placement.pupil_email)
    emails |= {g.email for g in Guardian.select().where(Guardian.placement == placement.id)}
    return sorted(emails)


def placements_of(account: Account) -> list[Placement]:
    """The placements of the reader's schools and hosts, the soonest first."""
    schools, hosts = service.schools_of(account), service.hosts_of(account)
    if not (schools or hosts):
        return []
    return list(
        Placement.select()
        .where(Placement.school.in_(sorted(schools)) | Placement.host.in_(sorted(hosts)))
        .order_by(Placement.first_day.desc(), Placement.id.desc())
    )


def guardians_of(placement: Placement) -> list[Guardian]:
    """The pupil's legal guardians, in order."""
    return list(
        Guardian.select().where(Guardian.placement == placement.id).order_by(Guardian.position)
    )


def waiting_for(account: Account) -> dict[str, int]:
    """What waits for the reader: pupils their hosts have not answered, and placements of
    their schools whose convention is not yet signed by everyone (two counts)."""
    hosts, schools = service.hosts_of(account), service.schools_of(account)
    answers = (
        Placement.select()
        .where(Placement.host.in_(sorted(hosts)), Placement.status == PlacementStatus.PROPOSED)
        .count()
        if hosts
        else 0
    )
    signed = Convention.select(Convention.placement).where(
        Convention.status == ConventionStatus.SIGNED
    )
    conventions_left = (
        Placement.select()
        .where(
            Placement.school.in_(sorted(schools)),
            Placement.status == PlacementStatus.ACCEPTED,
            Placement.id.not_in(signed),
        )
        .count()
        if schools
        else 0
    )
    return {"answers": answers, "conventions": conventions_left}
