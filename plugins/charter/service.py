"""The charter's workflows: versions and acceptances, record checks, declarations, the log.

No Flask here: the pages, the API, the command line, the task queue and the tests all call
these functions. Each change of state is one transaction that also brings the plugin's
holds up to date (``requirements.sync``), so an ambassador is found again the moment the
last requirement is met, and hidden the moment one is missing.
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

from . import extracts, requirements, texts
from .i18n import _
from .models import (
    Acceptance,
    CharterVersion,
    CheckStatus,
    Decision,
    DecisionKind,
    Declaration,
    Delivery,
    RecordCheck,
)
from .requirements import current_version, settings
from .schemas import DecisionSchema, DeclarationSchema, PublishSchema

EMAILS = "charter/email/"


# Versions of the charter


def versions() -> list[CharterVersion]:
    """Every published version, the latest to take effect first."""
    return list(
        CharterVersion.select().order_by(
            CharterVersion.effective_on.desc(), CharterVersion.id.desc()
        )
    )


def upcoming_version(today: datetime.date | None = None) -> CharterVersion | None:
    """The next version to take effect after ``today``, if one is published."""
    today = today or clock.today()
    return (
        CharterVersion.select()
        .where(CharterVersion.effective_on > today)
        .order_by(CharterVersion.effective_on, CharterVersion.id)
        .first()
    )


def get_version(label: str) -> CharterVersion:
    """The version called ``label``; raise ``NotFound``."""
    version = CharterVersion.get_or_none(CharterVersion.version == label)
    if version is None:
        raise NotFound(_("No version of the charter is called %(version)s.", version=label))
    return version


def publish(raw: Mapping[str, Any], actor: Account | None = None) -> tuple[CharterVersion, bool]:
    """Publish a version from ``raw`` (version, title, effective_on, text); say if it is new.

    Publishing the same version with the same text again changes nothing; the same version
    with another text is refused (``Invalid``): a published text is never rewritten, it gets
    a new version. Every ambassador who has not accepted the version in force is held.
    """
    data = validated(PublishSchema, raw)
    with database.atomic():
        existing = CharterVersion.get_or_none(CharterVersion.version == data["version"])
        if existing is not None:
            same = (existing.title, existing.text.strip(), existing.effective_on) == (
                data["title"],
                data["text"].strip(),
                data["effective_on"],
            )
            if same:
                return existing, False
            raise Invalid(
                {
                    "version": [
                        _(
                            "Version %(version)s is already published with another text: "
                            "give the new text a new version.",
                            version=data["version"],
                        )
                    ]
                }
            )
        version = CharterVersion.create(
            version=data["version"],
            title=data["title"],
            text=data["text"].strip(),
            effective_on=data["effective_on"],
            published_at=clock.now(),
        )
        Decision.create(actor=actor, kind=DecisionKind.VERSION_PUBLISHED, version=version.version)
        requirements.sync()
    return version, True


def publish_text(
    content: str, overrides: Mapping[str, Any] | None = None, actor: Account | None = None
) -> tuple[CharterVersion, bool]:
    """Publish the charter file ``content`` (see ``texts``); ``overrides`` win over its header.

    Without a title, the version keeps the title of the previous one.
    """
    parsed = texts.parse(content)
    latest = CharterVersion.select().order_by(CharterVersion.id.desc()).first()
    raw = {
        "version": parsed.version,
        # Without a title of its own, a new version keeps the title of the last one.
        "title": parsed.title or (latest.title if latest else _("Charter of the ambassadors")),
        "effective_on": parsed.effective_on.isoformat() if parsed.effective_on else None,
        "text": parsed.body,
    }
    raw.update({key: value for key, value in (overrides or {}).items() if value is not None})
    return publish(raw, actor)


def explain(error: Invalid) -> str:
    """One line saying what is wrong, ``field: message; field: message``, for the CLI."""
    parts = []
    for field, messages in error.errors.items():
        message = " ".join(messages).rstrip(".")
        message = message[:1].lower() + message[1:]
        parts.append(_("%(field)s: %(message)s", field=field, message=message))
    return _("; ").join(parts)


def acceptance_counts() -> dict[int, int]:
    """How many people accepted each version, by version id."""
    query = Acceptance.select(Acceptance.version, peewee.fn.COUNT(Acceptance.id)).group_by(
        Acceptance.version
    )
    return dict(query.tuples())


def waiting_acceptance(version: CharterVersion) -> int:
    """How many ambassadors have not accepted ``version`` (deleted accounts aside)."""
    return sum(
        1
        for standing in requirements.standings(version.effective_on, version=version)
        if not standing.charter_accepted
    )


def is_replaced(version: CharterVersion, in_force: CharterVersion | None) -> bool:
    """Whether ``version`` is older than ``in_force``, the version in force (never accepted)."""
    return (
        in_force is not None
        and version.id != in_force.id
        and (version.effective_on, version.id) < (in_force.effective_on, in_force.id)
    )


# Acceptances


@dataclass(frozen=True)
class CharterStatus:
    """The charter as one person sees it: the version in force, the next one, what they did."""

    current: CharterVersion | None
    upcoming: CharterVersion | None
    accepted: dict[int, datetime.datetime]  # version id -> when this person accepted it
    is_ambassador: bool

    def has_accepted(self, version: CharterVersion | None) -> bool:
        """Whether the person accepted ``version``."""
        return version is not None and version.id in self.accepted

    def is_replaced(self, version: CharterVersion) -> bool:
        """Whether ``version`` is neither the version in force nor one still to come."""
        return is_replaced(version, self.current)

    @property
    def must_accept_current(self) -> bool:
        """Whether an ambassador still has to accept the version in force."""
        return (
            self.is_ambassador and self.current is not None and not self.has_accepted(self.current)
        )


def status_for(account: Account | None) -> CharterStatus:
    """What ``account`` has accepted, beside the version in force and the next one."""
    accepted = {}
    if account is not None:
        accepted = {
            row.version_id: row.accepted_at
            for row in Acceptance.select().where(Acceptance.account == account.id)
        }
    return CharterStatus(
        current=current_version(),
        upcoming=upcoming_version(),
        accepted=accepted,
        is_ambassador=ambassador_of(account) is not None,
    )


def accept(account: Account | None, label: str) -> Acceptance:
    """``account`` (an ambassador) accepts the version ``label``, in force or upcoming.

    Accepting twice keeps the first acceptance. Raise ``NotAllowed`` for someone who is not
    an ambassador, ``NotFound`` for an unknown version, ``Conflict`` for a version replaced
    since the page was shown.
    """
    ambassador = ambassador_of(account)
    if ambassador is None:
        raise NotAllowed(_("Only ambassadors accept the charter."))
    version = get_version(label)
    if is_replaced(version, current_version()):
        raise Conflict(
            _(
                "Version %(version)s of the charter has been replaced: read the version in "
                "force and accept it.",
                version=version.version,
            )
        )
    with database.atomic():
        Acceptance.insert(
            account=account.id, version=version.id, accepted_at=clock.now()
        ).on_conflict_ignore().execute()
        requirements.sync([ambassador.id])
    return Acceptance.get(Acceptance.account == account.id, Acceptance.version == version.id)


# Record checks


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
    managed = _managed_by(viewer)
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


# Declarations: employer's agreement and insurance


def declaration_of(ambassador: Ambassador) -> Declaration | None:
    """What ``ambassador`` declared, if anything."""
    return Declaration.get_or_none(Declaration.ambassador == ambassador.id)


def declare(account: Account | None, raw: Mapping[str, Any]) -> Declaration:
    """``account``'s ambassador declares whether they are salaried, the date of their
    employer's agreement and of their insurance (``DeclarationSchema``).

    The declaration replaces the previous one. Dates cannot be in the future; when the
    region asks for it, an employee gives the date of the agreement. Raise ``NotAllowed``
    for someone who is not an ambassador.
    """
    ambassador = ambassador_of(account)
    if ambassador is None:
        raise NotAllowed(_("Only ambassadors make these declarations."))
    data = validated(DeclarationSchema, raw)
    errors: dict[str, list[str]] = {}
    today = clock.today()
    for field in ("employer_agreement_on", "insurance_on"):
        if data[field] is not None and data[field] > today:
            errors[field] = [_("This date cannot be in the future.")]
    config = settings()
    if (
        config["require_employer_agreement"]
        and data["salaried"]
        and data["employer_agreement_on"] is None
    ):
        errors["employer_agreement_on"] = [
            _("As an employee, give the date of your employer's agreement.")
        ]
    if errors:
        raise Invalid(errors)
    values = {"salaried": data["salaried"], "insurance_on": data["insurance_on"]}
    values["employer_agreement_on"] = data["employer_agreement_on"] if data["salaried"] else None
    with database.atomic():
        (
            Declaration.insert(ambassador=ambassador.id, updated_at=clock.now(), **values)
            .on_conflict(
                conflict_target=[Declaration.ambassador],
                update={**values, "updated_at": clock.now()},
            )
            .execute()
        )
        requirements.sync([ambassador.id])
    return Declaration.get(Declaration.ambassador == ambassador.id)


# The decisions log


@dataclass(frozen=True)
class LogLine:
    """A line of the decisions log, as referents and admins read it."""

    at: datetime.datetime
    actor: str | None  # None: the platform itself
    ambassador_id: int | None  # None: about no one, or about an erased person
    ambassador: str | None
    kind: str
    version: str | None
    extract_issued_on: datetime.date | None


def decisions(
    viewer: Account | None, page: int = 1, page_size: int = 50
) -> tuple[list[LogLine], int]:
    """The decisions ``viewer`` may read, the latest first, and how many there are.

    Admins read them all; referents those about the ambassadors of their territories, their
    own, and the publications of the charter. Raise ``NotAllowed`` for anybody else.
    """
    managed = _managed_by(viewer)
    actor = Account.alias("actor")
    subject = Account.alias("subject")
    query = (
        Decision.select(
            Decision,
            actor.first_name.alias("actor_first"),
            actor.last_name.alias("actor_last"),
            subject.first_name.alias("subject_first"),
            subject.last_name.alias("subject_last"),
        )
        .join(actor, peewee.JOIN.LEFT_OUTER, on=(Decision.actor == actor.id))
        .switch(Decision)
        .join(Ambassador, peewee.JOIN.LEFT_OUTER, on=(Decision.ambassador == Ambassador.id))
        .join(subject, peewee.JOIN.LEFT_OUTER, on=(Ambassador.account == subject.id))
    )
    if permissions.covered_territories(viewer) is not None:
        query = query.where(
            (Decision.ambassador.is_null(False) & managed)
            | (Decision.actor == viewer.id)
            | (Decision.kind == DecisionKind.VERSION_PUBLISHED)
        )
    total = query.count()
    rows = query.order_by(Decision.at.desc(), Decision.id.desc()).paginate(page, page_size)
    return [
        LogLine(
            at=row.at,
            actor=_name(row.actor_first, row.actor_last),
            ambassador_id=row.ambassador_id,
            ambassador=_name(row.subject_first, row.subject_last),
            kind=row.kind,
            version=row.version,
            extract_issued_on=row.extract_issued_on,
        )
        for row in rows.objects()
    ], total


def can_review(viewer: Account | None) -> bool:
    """Whether ``viewer`` decides on checks somewhere (a referent or an admin)."""
    return permissions.covered_territories(viewer) != set()


def _managed_by(viewer: Account | None) -> peewee.Expression:
    """SQL condition of the ``Ambassador`` rows ``viewer`` manages; ``NotAllowed`` if none."""
    managed = managed_by(viewer)
    if managed is None:
        raise NotAllowed(_("Only referents and administrators may see this."))
    return managed


def _name(first: str | None, last: str | None) -> str | None:
    if first is None and last is None:
        return None
    return f"{first or ''} {last or ''}".strip()
