"""Personal data of the charter: what a person can read, what is erased, how long it stays.

========================  =====================================================  =========
what                      kept                                                    erased
========================  =====================================================  =========
acceptances               as long as the account                                  with it
record checks             the latest of each ambassador as long as the account;   with it
                          earlier ones ``history_kept_days`` after their decision
uploaded extract          until the decision, at most ``upload_kept_days``        with it
declarations              as long as the account                                  with it
decisions log             ``history_kept_days``                                   anonymised
========================  =====================================================  =========
"""

from __future__ import annotations

import datetime
from typing import Any

import peewee

from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.people.models import Ambassador
from tremplin.privacy import ProcessingActivity

from . import extracts
from .i18n import _
from .models import (
    Acceptance,
    CharterVersion,
    CheckStatus,
    Decision,
    DecisionKind,
    Declaration,
    RecordCheck,
)
from .requirements import settings


def personal_data(person: Account) -> dict[str, Any]:
    """Everything the plugin holds about ``person``, by section (empty sections left out)."""
    ambassadors = _ambassador_ids(person)
    accepted = [
        {"version": row.version.version, "accepted_at": row.accepted_at.isoformat()}
        for row in Acceptance.select(Acceptance, CharterVersion)
        .join(CharterVersion)
        .where(Acceptance.account == person.id)
        .order_by(Acceptance.accepted_at)
    ]
    checks = [
        {
            "status": row.status,
            "delivery": row.delivery,
            "declared_at": row.declared_at.isoformat(),
            "extract_issued_on": _iso(row.extract_issued_on),
            "decided_at": _iso(row.decided_at),
            "valid_until": _iso(row.valid_until),
            "file_kept_until_decision": row.file_name is not None,
        }
        for row in RecordCheck.select()
        .where(RecordCheck.ambassador.in_(ambassadors))
        .order_by(RecordCheck.id)
    ]
    declared = [
        {
            "salaried": row.salaried,
            "employer_agreement_on": _iso(row.employer_agreement_on),
            "insurance_on": _iso(row.insurance_on),
            "updated_at": row.updated_at.isoformat(),
        }
        for row in Declaration.select().where(Declaration.ambassador.in_(ambassadors))
    ]
    decided = [
        {
            "at": row.at.isoformat(),
            "kind": row.kind,
            "ambassador": row.ambassador_id,
            "version": row.version,
        }
        for row in Decision.select().where(Decision.actor == person.id).order_by(Decision.at)
    ]
    data = {}
    if accepted:
        data[_("Charter accepted")] = accepted
    if checks:
        data[_("Checks of the criminal record")] = checks
    if declared:
        data[_("Employer's agreement and insurance")] = declared
    if decided:
        data[_("Decisions made as a referent")] = decided
    return data


def erase(person: Account) -> None:
    """Erase what the plugin holds about ``person``.

    Their acceptances, checks (and any extract still on disk) and declarations go; the
    decisions log keeps its lines, without naming them.
    """
    ambassadors = _ambassador_ids(person)
    files = [
        row.file_name
        for row in RecordCheck.select(RecordCheck.file_name).where(
            RecordCheck.ambassador.in_(ambassadors), RecordCheck.file_name.is_null(False)
        )
    ]
    Acceptance.delete().where(Acceptance.account == person.id).execute()
    RecordCheck.delete().where(RecordCheck.ambassador.in_(ambassadors)).execute()
    Declaration.delete().where(Declaration.ambassador.in_(ambassadors)).execute()
    Decision.update(ambassador=None).where(Decision.ambassador.in_(ambassadors)).execute()
    Decision.update(actor=None).where(Decision.actor == person.id).execute()
    # Called inside the erasure's transaction: if it rolls back, the check is back but its
    # file is gone, which only asks the ambassador to upload it again.
    for name in files:
        extracts.delete(name)


def purge(moment: datetime.datetime) -> dict[str, int]:
    """Apply the retention periods as of ``moment`` (aware, or stored UTC); return counts."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    config = settings()
    upload_cutoff = moment - datetime.timedelta(days=config["upload_kept_days"])
    history_cutoff = moment - datetime.timedelta(days=config["history_kept_days"])
    expired = list(
        RecordCheck.select(RecordCheck.id, RecordCheck.ambassador, RecordCheck.file_name).where(
            RecordCheck.file_name.is_null(False), RecordCheck.uploaded_at < upload_cutoff
        )
    )
    latest = RecordCheck.alias("latest")
    latest_ids = latest.select(peewee.fn.MAX(latest.id)).group_by(latest.ambassador)
    with database.atomic():
        if expired:
            RecordCheck.update(
                file_name=None, file_type=None, file_size=None, uploaded_at=None
            ).where(RecordCheck.id.in_([row.id for row in expired])).execute()
            Decision.insert_many(
                [
                    {
                        "at": moment,
                        "ambassador": row.ambassador_id,
                        "kind": DecisionKind.EXTRACT_DELETED,
                    }
                    for row in expired
                ]
            ).execute()
        old_checks = (
            RecordCheck.delete()
            .where(
                RecordCheck.status != CheckStatus.PENDING,
                RecordCheck.decided_at < history_cutoff,
                RecordCheck.id.not_in(latest_ids),
            )
            .execute()
        )
        old_decisions = Decision.delete().where(Decision.at < history_cutoff).execute()
        kept = {
            row.file_name
            for row in RecordCheck.select(RecordCheck.file_name).where(
                RecordCheck.file_name.is_null(False)
            )
        }
    for row in expired:
        extracts.delete(row.file_name)
    orphans = extracts.sweep(kept)
    return {
        "extracts": len(expired) + orphans,
        "checks": old_checks,
        "decisions": old_decisions,
    }


def processing_activities() -> list[ProcessingActivity]:
    """The plugin's rows of the register of processing activities (GDPR article 30)."""
    config = settings()
    return [
        ProcessingActivity(
            name=_("Charter of the ambassadors"),
            purpose=_(
                "Make sure every ambassador knows and accepts the rules of the network "
                "before meeting young people, and again when the charter changes."
            ),
            legal_basis=_("Public interest task of the region (information on occupations)."),
            data=_("Which version of the charter the person accepted, and when."),
            retention=_("As long as the account exists; erased with it."),
        ),
        ProcessingActivity(
            name=_("Checks of the criminal record"),
            purpose=_(
                "Protect the minors the ambassadors meet: a referent looks at the extract "
                "of the criminal record (bulletin n°3) and records the outcome; no copy is "
                "kept."
            ),
            legal_basis=_(
                "Legitimate interest of the region in protecting the minors the ambassadors "
                "meet (article 6.1.f GDPR). The person obtains and shows the extract "
                "themselves; its content is never recorded, only the outcome (article 10 "
                "GDPR)."
            ),
            data=_(
                "Whether the extract was verified or refused, its date of issue, when and "
                "by whom it was checked, until when the check is valid. An extract uploaded "
                "for viewing is stored encrypted and deleted at the decision."
            ),
            retention=_(
                "The latest check as long as the account exists; earlier checks and the "
                "log of decisions %(history)d days; an uploaded extract until the decision, "
                "%(upload)d days at most.",
                history=config["history_kept_days"],
                upload=config["upload_kept_days"],
            ),
        ),
        ProcessingActivity(
            name=_("Employer's agreement and insurance"),
            purpose=_(
                "Make sure a salaried ambassador intervenes with their employer's "
                "agreement, and that ambassadors are covered by a civil-liability insurance, "
                "when the region requires it."
            ),
            legal_basis=_("Public interest task of the region (information on occupations)."),
            data=_(
                "Whether the person intervenes as an employee, the date of the employer's "
                "agreement, the date of the insurance, as declared by the person."
            ),
            retention=_("As long as the account exists; erased with it."),
        ),
    ]


def _ambassador_ids(person: Account) -> peewee.ModelSelect:
    return Ambassador.select(Ambassador.id).where(Ambassador.account == person.id)


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
