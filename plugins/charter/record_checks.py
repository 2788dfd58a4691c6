"""Checks of the criminal record: the ambassador's extract, and the referents' decision.

An ambassador says they sent or showed their extract, or uploads it (kept encrypted until
a referent decides, see ``extracts``); a referent of their territories records the
outcome, which holds or releases the ambassador (``requirements.sync``) and tells them by
email. Referents see the checks of the ambassadors who live or intervene in their
territories; admins see them all.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from tremplin import clock
from tremplin.auth import permissions
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.i18n import DEFAULT_LOCALE
from tremplin.mail import service as mail
from tremplin.people.models import Ambassador
from tremplin.people.service import ambassador_of, can_manage, managed_by
from tremplin.validation import validated

from . import extracts, requirements
from .i18n import _
from .models import CheckStatus, Decision, DecisionKind, Delivery, RecordCheck
from .requirements import settings
from .schemas import DecisionSchema

EMAILS = "charter/email/"


@dataclass(frozen=True)
class PendingCheck:
    """A line of the referents' queue: a check waiting for a decision."""

    id: int
    ambassador_id: int
    name: str
    occupation: str
    declared_at: datetime.datetime
    delivery: str
    has_file: bool
    renewal: bool  # the ambassador has a check still valid: this one renews it


@dataclass(frozen=True)
class CheckView:
    """A check as a referent deciding on it sees it, with the ambassador's earlier checks."""

    check: RecordCheck
    ambassador: Ambassador
    full_name: str
    occupation: str
    earlier: list[RecordCheck]


def checks_of(ambassador: Ambassador) -> list[RecordCheck]:
    """Every check of ``ambassador``, the latest first."""
    return list(
        RecordCheck.select()
        .where(RecordCheck.ambassador == ambassador.id)
        .order_by(RecordCheck.id.desc())
    )


def pending_check_of(ambassador: Ambassador) -> RecordCheck | None:
    """The check of ``ambassador`` waiting for a referent, if there is one."""
    return (
        RecordCheck.select()
        .where(RecordCheck.ambassador == ambassador.id, RecordCheck.status == CheckStatus.PENDING)
        .order_by(RecordCheck.id.desc())
        .first()
    )


def declare_extract(account: Account | None, upload: bytes | None = None) -> RecordCheck:
    """``account``'s ambassador sent or showed their extract, or uploads it (``upload``).

    A check already waiting is kept (an upload replaces its file). Raise ``NotAllowed``
    for someone who is not an ambassador or when the region asks for no check, ``Invalid``
    for a file too big or neither PDF, PNG nor JPEG.
    """
    ambassador = ambassador_of(account)
    if ambassador is None:
        raise NotAllowed(_("Only ambassadors provide an extract of their criminal record."))
    config = settings()
    if not config["require_record_check"]:
        raise NotAllowed(_("The region does not ask for an extract of the criminal record."))
    stored = extracts.store(upload, config["upload_max_mb"]) if upload is not None else None
    replaced = None
    try:
        with database.atomic():
            check = pending_check_of(ambassador)
            if check is None:
                check = RecordCheck.create(
                    ambassador=ambassador.id,
                    status=CheckStatus.PENDING,
                    delivery=Delivery.SENT,
                    declared_at=clock.now(),
                )
            if stored is not None:
                replaced = check.file_name
                RecordCheck.update(
                    delivery=Delivery.UPLOADED,
                    file_name=stored.name,
                    file_type=stored.content_type,
                    file_size=stored.size,
                    uploaded_at=clock.now(),
                ).where(RecordCheck.id == check.id).execute()
            requirements.sync([ambassador.id])
    except BaseException:
        extracts.delete(stored.name if stored else None)  # the new file belongs to nothing
        raise
    extracts.delete(replaced)
    return RecordCheck.get_by_id(check.id)


def pending_checks(viewer: Account | None) -> list[PendingCheck]:
    """Checks waiting for a decision in ``viewer``'s territories, the oldest first.

    Referents see the ambassadors who live or intervene in their territories; admins see
    all. Raise ``NotAllowed`` for anybody else.
    """
    managed = reviewed_by(viewer)
    still_valid = RecordCheck.alias("still_valid")
    renewal = peewee.fn.EXISTS(
        still_valid.select(peewee.SQL("1")).where(
            still_valid.ambassador == RecordCheck.ambassador,
            still_valid.status == CheckStatus.VERIFIED,
            still_valid.valid_until >= clock.today(),
        )
    )
    query = (
        RecordCheck.select(
            RecordCheck,
            # The joined ambassador replaces the foreign key: without its id, ambassador_id
            # would read None.
            Ambassador.id,
            Ambassador.occupation,
            Account.first_name,
            Account.last_name,
            renewal.alias("renewal"),
        )
        .join(Ambassador)
        .join(Account)
        .where(RecordCheck.status == CheckStatus.PENDING, managed)
        .order_by(RecordCheck.declared_at, RecordCheck.id)
    )
    return [
        PendingCheck(
            id=row.id,
            ambassador_id=row.ambassador_id,
            name=f"{row.ambassador.account.first_name} {row.ambassador.account.last_name}",
            occupation=row.ambassador.occupation,
            declared_at=row.declared_at,
            delivery=row.delivery,
            has_file=row.file_name is not None,
            renewal=bool(row.renewal),
        )
        for row in query
    ]


def check_for(viewer: Account | None, check_id: int) -> CheckView:
    """The check ``check_id`` for a referent of the ambassador; ``NotFound`` for anybody else."""
    check = RecordCheck.get_or_none(RecordCheck.id == check_id)
    if check is None or not can_manage(viewer, check.ambassador):
        raise NotFound(_("No check of the criminal record has this number."))
    ambassador = check.ambassador
    account = Account.get_by_id(ambassador.account_id)
    return CheckView(
        check=check,
        ambassador=ambassador,
        full_name=f"{account.first_name} {account.last_name}",
        occupation=ambassador.occupation,
        earlier=[other for other in checks_of(ambassador) if other.id != check.id],
    )


def extract_of(viewer: Account | None, check_id: int) -> tuple[bytes, str]:
    """The uploaded extract of a waiting check and its type, for a referent of the ambassador.

    ``NotFound`` for anybody else, and once the file is deleted (decided, or too old).
    """
    check = check_for(viewer, check_id).check
    if check.status != CheckStatus.PENDING or check.file_name is None:
        raise NotFound(_("This extract is no longer kept."))
    try:
        return extracts.read(check.file_name), check.file_type
    except extracts.Unreadable as error:
        raise NotFound(_("This extract is no longer kept.")) from error


def decide(actor: Account | None, check_id: int, raw: Mapping[str, Any]) -> RecordCheck:
    """A referent of the ambassador records the outcome of a waiting check (``DecisionSchema``).

    Verified: the extract's date of issue is required, and may not be older than
    ``extract_max_age_days``; the check is valid for ``check_valid_days``. Refused: the
    ambassador stays held. Either way the uploaded file is deleted, the decision logged and
    the ambassador told. Raise ``NotFound``, ``Invalid``, or ``Conflict`` when another
    referent decided first.
    """
    view = check_for(actor, check_id)
    data = _checked_decision(raw)
    moment = clock.now()
    verified = data["outcome"] == CheckStatus.VERIFIED
    valid_until = moment.date() + datetime.timedelta(days=settings()["check_valid_days"])
    with database.atomic():
        changed = (
            RecordCheck.update(
                status=data["outcome"],
                extract_issued_on=data["extract_issued_on"],
                decided_at=moment,
                decided_by=actor.id,
                valid_until=valid_until if verified else None,
                file_name=None,
                file_type=None,
                file_size=None,
                uploaded_at=None,
            )
            .where(RecordCheck.id == check_id, RecordCheck.status == CheckStatus.PENDING)
            .execute()
        )
        if not changed:
            raise Conflict(_("This check has already been decided."))
        Decision.create(
            at=moment,
            actor=actor.id,
            ambassador=view.ambassador.id,
            kind=DecisionKind.CHECK_VERIFIED if verified else DecisionKind.CHECK_REFUSED,
            extract_issued_on=data["extract_issued_on"],
        )
        requirements.sync([view.ambassador.id])
        _tell_ambassador(view.ambassador, verified, valid_until)
    # Keep no copy: the file goes with the decision (a crash here leaves it to the purge).
    extracts.delete(view.check.file_name)
    return RecordCheck.get_by_id(check_id)


def _checked_decision(raw: Mapping[str, Any]) -> dict[str, Any]:
    data = validated(DecisionSchema, raw)
    issued = data["extract_issued_on"]
    today = clock.today()
    errors: dict[str, list[str]] = {}
    if issued is not None and issued > today:
        errors["extract_issued_on"] = [_("The date of issue cannot be in the future.")]
    elif data["outcome"] == CheckStatus.VERIFIED:
        max_age = settings()["extract_max_age_days"]
        if issued is None:
            errors["extract_issued_on"] = [_("Give the date of issue printed on the extract.")]
        elif issued < today - datetime.timedelta(days=max_age):
            errors["extract_issued_on"] = [
                _(
                    "The extract was issued more than %(days)d days ago: ask for a recent one.",
                    days=max_age,
                )
            ]
    if errors:
        raise Invalid(errors)
    return data


def _tell_ambassador(ambassador: Ambassador, verified: bool, valid_until: datetime.date) -> None:
    account = Account.get_by_id(ambassador.account_id)
    mail.queue(
        account.email,
        EMAILS + ("check_verified" if verified else "check_refused"),
        locale=account.locale or DEFAULT_LOCALE,
        first_name=account.first_name,
        valid_until=valid_until.isoformat(),
    )


def can_review(viewer: Account | None) -> bool:
    """Whether ``viewer`` decides on checks somewhere (a referent or an admin)."""
    return permissions.covered_territories(viewer) != set()


def reviewed_by(viewer: Account | None) -> peewee.Expression:
    """SQL condition of the ``Ambassador`` rows whose checks ``viewer`` reviews (a referent:
    those of their territories; an admin: all); ``NotAllowed`` for anybody else."""
    managed = managed_by(viewer)
    if managed is None:
        raise NotAllowed(_("Only referents and administrators may see this."))
    return managed
