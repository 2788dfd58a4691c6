"""Requests to exercise a right: filed, confirmed, recorded, and the officer's workflow.

received → awaiting identity (only on reasonable doubt; the clock stops) → in progress →
answered or refused, possibly extended by two months on the way (the person told why,
within the first month: ``deadlines.can_extend``). Each transition is a guarded update
(two officers cannot both answer), writes a ``Step`` and tells the person by email. The due
dates of ``deadlines.deadline`` are stored on the request, so the dashboard sorts in SQL.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from tremplin import clock, runtime
from tremplin.auth.models import Account, AccountStatus
from tremplin.db import database
from tremplin.errors import Conflict, Invalid, NotFound
from tremplin.i18n import DEFAULT_LOCALE, get_locale
from tremplin.mail import service as mail
from tremplin.validation import validated

from . import deadlines, plugin, rights
from .i18n import _
from .models import OPEN_STATUSES, Channel, Request, Status, Step
from .officers import is_officer, require_officer
from .schemas import (
    AnswerSchema,
    IdentitySchema,
    NoteSchema,
    OwnRequestSchema,
    PublicRequestSchema,
    RecordedRequestSchema,
)
from .tokens import digest, new_secret

EMAILS = f"{plugin.name}/email/"
UNCONFIRMED_PER_DAY = 3


def today() -> datetime.date:
    """Today in the region's time zone: the day a request is received, answered..."""
    return clock.today(ZoneInfo(runtime.current().region.timezone))


def settings() -> Mapping[str, Any]:
    """The plugin's settings in the current instance."""
    return plugin.settings()


# Filing


def file_own(person: Account, raw: Mapping[str, Any]) -> Request:
    """A signed-in person files a request about their own data; received today."""
    data = validated(OwnRequestSchema, raw)
    with database.atomic():
        request = Request.create(
            kind=data["kind"],
            status=Status.RECEIVED,
            channel=Channel.ACCOUNT,
            account=person.id,
            name=f"{person.first_name} {person.last_name}".strip(),
            email=person.email,
            details=data["details"],
            received_on=today(),
        )
        _dated(request)
        _log(request, "received", person)
        _tell(request, "received")
    return Request.get_by_id(request.id)


def file_public(raw: Mapping[str, Any]) -> str:
    """Someone files a request through the public form; an email asks them to confirm it.

    The request counts as received the day its link is opened (``confirm``): until then
    nothing shows that the address is the requester's. Return the link's secret (tests and
    the email use it; the table keeps only its SHA-256). An address that already has
    ``UNCONFIRMED_PER_DAY`` unconfirmed requests of the last day gets no more emails: the
    form cannot be used to flood someone's mailbox.
    """
    data = validated(PublicRequestSchema, raw)
    secret = new_secret()
    email = data["email"].strip().lower()
    if _recent_unconfirmed(email) >= UNCONFIRMED_PER_DAY:
        return secret  # the form answers alike: nothing tells what happened to the address
    with database.atomic():
        request = Request.create(
            kind=data["kind"],
            status=Status.UNCONFIRMED,
            channel=Channel.FORM,
            name=data["name"],
            email=email,
            details=data["details"],
            confirm_token=digest(secret),
        )
        mail.queue(
            request.email,
            EMAILS + "confirm",
            locale=get_locale(),
            name=request.name,
            token=secret,
            hours=settings()["confirm_link_hours"],
        )
    return secret


def _recent_unconfirmed(email: str) -> int:
    since = clock.now() - datetime.timedelta(days=1)
    return (
        Request.select()
        .where(
            Request.email == email,
            Request.status == Status.UNCONFIRMED,
            Request.created_at >= since,
        )
        .count()
    )


def confirm(secret: str) -> Request:
    """Open the link of a public request: it is received today, once.

    An active account with the same address is linked to it (the person showed they read
    that mailbox). ``NotFound`` for an unknown, used or expired link.
    """
    limit = clock.now() - datetime.timedelta(hours=settings()["confirm_link_hours"])
    with database.atomic():
        request = Request.get_or_none(
            Request.confirm_token == digest(secret),
            Request.status == Status.UNCONFIRMED,
            Request.created_at >= limit,
        )
        if request is None:
            raise NotFound(_("This link is unknown, already used or expired."))
        account = Account.get_or_none(
            Account.email == request.email, Account.status == AccountStatus.ACTIVE
        )
        changed = (
            Request.update(
                status=Status.RECEIVED,
                received_on=today(),
                confirm_token=None,
                account=account.id if account else None,
            )
            .where(Request.id == request.id, Request.status == Status.UNCONFIRMED)
            .execute()
        )
        if not changed:
            raise NotFound(_("This link is unknown, already used or expired."))
        request = Request.get_by_id(request.id)
        _dated(request)
        _log(request, "received", None, _("Confirmed through the emailed link."))
        _tell(request, "received")
    return Request.get_by_id(request.id)


def record(officer: Account, raw: Mapping[str, Any]) -> Request:
    """An officer records a request received by letter or email, on the day it arrived."""
    require_officer(officer)
    data = validated(RecordedRequestSchema, raw)
    if data["received_on"] > today():
        raise Invalid({"received_on": [_("A request cannot be received in the future.")]})
    email = data["email"].strip().lower()
    account = Account.get_or_none(Account.email == email, Account.status == AccountStatus.ACTIVE)
    with database.atomic():
        request = Request.create(
            kind=data["kind"],
            status=Status.RECEIVED,
            channel=data["channel"],
            account=account.id if account else None,
            name=data["name"],
            email=email,
            details=data["details"],
            received_on=data["received_on"],
        )
        _dated(request)
        _log(request, "received", officer, _("Recorded by an officer."))
        _tell(request, "received")
    return Request.get_by_id(request.id)


# Reading


def own_requests(person: Account) -> list[Request]:
    """The requests of ``person``, latest first."""
    return list(
        Request.select()
        .where(Request.account == person.id, Request.status != Status.UNCONFIRMED)
        .order_by(Request.created_at.desc(), Request.id.desc())
    )


def visible(viewer: Account | None, request_id: int) -> Request:
    """The request, for its person or an officer; ``NotFound`` for anybody else."""
    request = Request.get_or_none(Request.id == request_id)
    if request is None or viewer is None or request.status == Status.UNCONFIRMED:
        raise NotFound(_("No such request."))
    if request.account_id != viewer.id and not is_officer(viewer):
        raise NotFound(_("No such request."))
    return request


def steps_of(request: Request) -> list[Step]:
    """The log of ``request``, oldest first."""
    return list(Step.select().where(Step.request == request.id).order_by(Step.at, Step.id))


def dashboard(officer: Account) -> list[Request]:
    """Open requests by legal due date: overdue first, those awaiting identity last."""
    require_officer(officer)
    return list(
        Request.select()
        .where(Request.status.in_(OPEN_STATUSES))
        .order_by(Request.legal_due.asc(nulls="LAST"), Request.received_on, Request.id)
    )


def closed(officer: Account, limit: int = 50) -> list[Request]:
    """The latest answered or refused requests."""
    require_officer(officer)
    return list(
        Request.select()
        .where(Request.status.in_((Status.ANSWERED, Status.REFUSED)))
        .order_by(Request.closed_on.desc(), Request.id.desc())
        .limit(limit)
    )


def due_of(request: Request) -> deadlines.Deadline:
    """The deadline of ``request`` as the rules compute it from its dates."""
    return deadlines.deadline(
        request.received_on,
        extended=request.extended_on is not None,
        identity_requested=request.identity_requested_on,
        identity_received=request.identity_received_on,
        extra_holidays=holidays(),
    )


def holidays() -> Sequence[deadlines.HolidayRule]:
    """The region's public holidays beyond the national ones."""
    return deadlines.ALSACE_MOSELLE if settings()["alsace_moselle"] else ()


# The officer's workflow


def start(officer: Account, request_id: int) -> Request:
    """Take a received request in hand."""
    require_officer(officer)
    with database.atomic():
        request = _move(request_id, (Status.RECEIVED,), Status.IN_PROGRESS)
        _log(request, "in_progress", officer)
    return request


def ask_identity(officer: Account, request_id: int, raw: Mapping[str, Any]) -> Request:
    """Ask for proof of identity, on a reasonable doubt said in ``note``; the clock stops."""
    require_officer(officer)
    data = validated(NoteSchema, raw)
    day = today()
    with database.atomic():
        request = _open(request_id)
        if request.identity_requested_on is not None:
            raise Conflict(_("Proof of identity was already asked for this request."))
        if request.status not in (Status.RECEIVED, Status.IN_PROGRESS):
            raise Conflict(_("Proof of identity is asked before the request is extended."))
        if request.legal_due is not None and day > request.legal_due:
            raise Conflict(_("The period has ended: asking for proof now cannot suspend it."))
        request = _move(
            request_id,
            (request.status,),
            Status.AWAITING_IDENTITY,
            identity_requested_on=day,
        )
        _log(request, "identity_requested", officer, data["note"])
        _tell(request, "identity_requested", reason=data["note"])
    return request


def record_identity(officer: Account, request_id: int, raw: Mapping[str, Any]) -> Request:
    """Record the outcome of the identity check: checked yes or no, how; the clock runs again.

    Never a copy of the document: only the outcome, the day, who and how. Identity not
    established refuses the request (GDPR art. 12(2) and 12(6)).
    """
    require_officer(officer)
    data = validated(IdentitySchema, raw)
    with database.atomic():
        extended = _open(request_id).extended_on is not None  # told while proof was awaited
        request = _move(
            request_id,
            (Status.AWAITING_IDENTITY,),
            Status.EXTENDED if extended else Status.IN_PROGRESS,
            identity_received_on=today(),
            identity_checked=data["checked"],
            identity_checked_by=officer.id,
            identity_method=data["method"],
        )
        _log(
            request,
            "identity_checked" if data["checked"] else "identity_not_established",
            officer,
            data["method"],
        )
        if not data["checked"]:
            reason = _("Your identity could not be established.")
            request = _close(request, Status.REFUSED, reason)
            _log(request, "refused", officer, reason)
            _tell(request, "refused", reason=reason)
    return request


def extend(officer: Account, request_id: int, raw: Mapping[str, Any]) -> Request:
    """Extend the period by two months, telling the person why; refused after the first month."""
    require_officer(officer)
    data = validated(NoteSchema, raw)
    day = today()
    with database.atomic():
        request = _open(request_id)
        if request.extended_on is not None:
            raise Conflict(_("This request is already extended."))
        if not deadlines.can_extend(
            request.received_on,
            day,
            identity_requested=request.identity_requested_on,
            identity_received=request.identity_received_on,
            extra_holidays=holidays(),
        ):
            raise Conflict(
                _("Too late: the person must be told of an extension within one month of receipt.")
            )
        request = _move(
            request_id,
            (Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_IDENTITY),
            request.status if request.status == Status.AWAITING_IDENTITY else Status.EXTENDED,
            extended_on=day,
            extension_reason=data["note"],
        )
        _log(request, "extended", officer, data["note"])
        _tell(request, "extended", reason=data["note"])
    return request


def answer(officer: Account, request_id: int, raw: Mapping[str, Any]) -> Request:
    """Answer the request: do what its right asks (``rights.carry_out``), tell the person.

    In one transaction: an erasure that fails leaves the request open and nothing erased.
    """
    require_officer(officer)
    data = validated(AnswerSchema, raw)
    with database.atomic():
        request = _open(request_id)
        if request.status == Status.AWAITING_IDENTITY:
            raise Conflict(_("Proof of identity is still awaited."))
        done = rights.carry_out(request)
        note = "\n".join(part for part in (data["note"], done.summary) if part)
        request = _close(request, Status.ANSWERED, note)
        _log(request, "answered", officer, note)
        _tell(request, "answered", note=note, export_secret=done.export_secret)
    return request


def refuse(officer: Account, request_id: int, raw: Mapping[str, Any]) -> Request:
    """Refuse the request with its reason; the person is told they may complain to the CNIL."""
    require_officer(officer)
    data = validated(NoteSchema, raw)
    with database.atomic():
        request = _open(request_id)
        request = _close(request, Status.REFUSED, data["note"])
        _log(request, "refused", officer, data["note"])
        _tell(request, "refused", reason=data["note"])
    return request


def lift(officer: Account, request_id: int, raw: Mapping[str, Any]) -> Request:
    """End the restriction or objection an answered request put in force, telling the person
    why (GDPR art. 18(3): they are told of the lifting); ``Conflict`` if none is in force."""
    require_officer(officer)
    data = validated(NoteSchema, raw)
    with database.atomic():
        request = Request.get_or_none(Request.id == request_id)
        if request is None or request.status == Status.UNCONFIRMED:
            raise NotFound(_("No such request."))
        kind = rights.LIFTABLE.get(request.kind)
        account = Account.get_or_none(Account.id == request.account_id)
        if (
            request.status != Status.ANSWERED
            or kind is None
            or account is None
            or not rights.lift(account, kind)
        ):
            raise Conflict(_("No restriction or objection of this request is in force."))
        _log(request, "lifted", officer, data["note"])
        _tell(request, "lifted", reason=data["note"])
    return Request.get_by_id(request_id)


# Inside


def _open(request_id: int) -> Request:
    request = Request.get_or_none(Request.id == request_id)
    if request is None or request.status == Status.UNCONFIRMED:
        raise NotFound(_("No such request."))
    if request.status not in OPEN_STATUSES:
        raise Conflict(_("This request is already closed."))
    return request


def _move(request_id: int, old: Sequence[Status], new: Status, **changes: Any) -> Request:
    changed = (
        Request.update(status=new, **changes)
        .where(Request.id == request_id, Request.status.in_(list(old)))
        .execute()
    )
    if not changed:
        if Request.get_or_none(Request.id == request_id) is None:
            raise NotFound(_("No such request."))
        raise Conflict(_("This request has moved on meanwhile."))
    request = Request.get_by_id(request_id)
    _dated(request)
    return Request.get_by_id(request_id)


def _close(request: Request, status: Status, note: str) -> Request:
    return _move(
        request.id,
        (request.status,),
        status,
        closed_on=today(),
        answer=note,
    )


def _dated(request: Request) -> None:
    """Store the request's due dates (``None`` while identity proof is awaited)."""
    due = due_of(request)
    Request.update(calendar_due=due.calendar, legal_due=due.legal).where(
        Request.id == request.id
    ).execute()


def _log(request: Request, action: str, actor: Account | None, note: str = "") -> None:
    Step.create(request=request.id, action=action, actor=actor.id if actor else None, note=note)


def _tell(request: Request, what: str, **context: Any) -> None:
    """Email the person about a step of their request."""
    request = Request.get_by_id(request.id)
    locale = DEFAULT_LOCALE
    if request.account_id is not None:
        account = Account.get_by_id(request.account_id)
        locale = account.locale or DEFAULT_LOCALE
    due = request.legal_due
    mail.queue(
        request.email,
        EMAILS + what,
        locale=locale,
        name=request.name,
        request_id=request.id,
        kind=request.kind,
        received_on=request.received_on.isoformat() if request.received_on else None,
        due=due.isoformat() if due else None,
        has_account=request.account_id is not None,
        **context,
    )
