"""The partnership charter: the region's versioned text, signed for an organisation.

Any organisation of the network may sign it: its partner manager fills in what it commits
to for a year (employees mobilised as ambassadors, hours of intervention, company visits and
discovery internships hosted) and signs the charter's document through the core's signature
circuit (a single-use expiring link, emailed). Once signed, the document is issued. A page
compares the commitments with what the organisation's employees did (completed
interventions), in numbers only.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.documents import circuits
from tremplin.documents import service as documents
from tremplin.documents.circuits import Signer
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.interventions.models import Intervention, Status
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador, InterventionType
from tremplin.validation import validated

from . import plugin, service, texts
from .i18n import _
from .models import CharterVersion, PartnershipCharter, SigningStatus
from .schemas import CharterSchema

KIND = "mecenat.charter"
TEMPLATE = "mecenat/documents/charter.html"


# Versions


def publish_text(content: str) -> tuple[CharterVersion, bool]:
    """Publish a version of the charter from a region file; say whether it is new.

    The same version with the same text changes nothing; another text under a published
    version is refused (``Invalid``): a published text is never rewritten.
    """
    parsed = texts.parse(content)
    with database.atomic():
        existing = CharterVersion.get_or_none(CharterVersion.version == parsed.version)
        if existing is not None:
            if (existing.title, existing.text, existing.effective_on) == (
                parsed.title,
                parsed.body,
                parsed.effective_on,
            ):
                return existing, False
            raise Invalid(
                {
                    "version": [
                        _(
                            "Version %(version)s is already published with another text: "
                            "give the new text a new version.",
                            version=parsed.version,
                        )
                    ]
                }
            )
        version = CharterVersion.create(
            version=parsed.version,
            title=parsed.title,
            text=parsed.body,
            effective_on=parsed.effective_on,
        )
    return version, True


def current_version(day: datetime.date | None = None) -> CharterVersion | None:
    """The version in force on ``day`` (today by default)."""
    day = day or service.today()
    return (
        CharterVersion.select()
        .where(CharterVersion.effective_on <= day)
        .order_by(CharterVersion.effective_on.desc(), CharterVersion.id.desc())
        .first()
    )


# Signing


def charters_of(organisation_id: int) -> list[PartnershipCharter]:
    """The organisation's charters, the latest year first."""
    return list(
        PartnershipCharter.select(PartnershipCharter, CharterVersion)
        .join(CharterVersion)
        .where(PartnershipCharter.organisation == organisation_id)
        .order_by(PartnershipCharter.year.desc(), PartnershipCharter.id.desc())
    )


def sign(account: Account, organisation_id: int, raw: Mapping[str, Any]) -> PartnershipCharter:
    """The partner manager commits the organisation for a year and is sent the signing link.

    The charter's document is made from the version in force and the commitments; the
    partner manager signs it through the emailed link, and it is issued once signed.
    ``Conflict`` when the organisation already has a charter for that year.
    """
    organisation = service.require_partner_manager(account, organisation_id)
    data = validated(CharterSchema, raw)
    version = current_version()
    if version is None:
        raise Conflict(_("The region has not published its partnership charter yet."))
    with database.atomic():
        taken = PartnershipCharter.select().where(
            PartnershipCharter.organisation == organisation_id,
            PartnershipCharter.year == data["year"],
            PartnershipCharter.status.in_([SigningStatus.SIGNING, SigningStatus.SIGNED]),
        )
        if taken.exists():
            raise Conflict(
                _("Your organisation already has a charter for %(year)s.", year=data["year"])
            )
        charter = PartnershipCharter.create(
            organisation=organisation_id, version=version, created_by=account, **data
        )
        document = documents.create_draft(
            KIND,
            plugin.name,
            f"charter:{charter.id}",
            _("Partnership charter %(year)s — %(name)s", year=data["year"], name=organisation.name),
            TEMPLATE,
            document_context(organisation, version, data, account),
        )
        PartnershipCharter.update(document=document.id).where(
            PartnershipCharter.id == charter.id
        ).execute()
        circuits.start_circuit(
            document,
            [
                Signer(
                    role=_("For %(name)s", name=organisation.name),
                    name=f"{account.first_name} {account.last_name}",
                    email=account.email,
                    account=account,
                )
            ],
        )
    return PartnershipCharter.get_by_id(charter.id)


def document_context(
    organisation: Organisation,
    version: CharterVersion,
    data: Mapping[str, Any],
    account: Account,
) -> dict[str, Any]:
    """What the charter's document shows: the version's text and the year's commitments."""
    return {
        "organisation": organisation.name,
        "siret": organisation.siret or "",
        "version": version.version,
        "version_title": version.title,
        "text_html": texts.to_html(version.text),
        "year": data["year"],
        "employees": data["employees"],
        "hours": data["hours"],
        "visits": data["visits"],
        "internships": data["internships"],
        "signatory": f"{account.first_name} {account.last_name}",
    }


def get_for(account: Account, charter_id: int) -> PartnershipCharter:
    """A charter, for its organisation's partner managers and those who oversee it."""
    charter = PartnershipCharter.get_or_none(PartnershipCharter.id == charter_id)
    if charter is None:
        raise NotFound(_("No charter has this number."))
    organisation = service.organisation(charter.organisation_id)
    if not service.may_see_organisation(account, organisation):
        raise NotAllowed(_("You may not see this charter."))
    return charter


def signed(charter_id: int) -> None:
    """The charter's circuit is complete: issue its document, the charter is signed."""
    charter = PartnershipCharter.get_by_id(charter_id)
    if charter.document_id is not None:
        documents.issue(documents.get(charter.document_id))
    PartnershipCharter.update(status=SigningStatus.SIGNED, signed_at=clock.now()).where(
        PartnershipCharter.id == charter_id, PartnershipCharter.status == SigningStatus.SIGNING
    ).execute()


# Commitments and what happened


@dataclass(frozen=True)
class Comparison:
    """A commitment of the charter next to what the organisation's employees did."""

    label: str
    committed: int
    done: int


def comparison(charter: PartnershipCharter) -> list[Comparison]:
    """Commitments against the completed interventions of the organisation's employees
    (ambassadors who name it as their employer) in the charter's year; numbers only."""
    start = datetime.datetime(charter.year, 1, 1)
    end = datetime.datetime(charter.year + 1, 1, 1)
    done = (
        Intervention.select(
            peewee.fn.COUNT(peewee.fn.DISTINCT(Intervention.ambassador)).alias("employees"),
            peewee.fn.COALESCE(peewee.fn.SUM(Intervention.duration_minutes), 0).alias("minutes"),
            peewee.fn.COALESCE(
                peewee.fn.SUM(
                    peewee.Case(
                        None,
                        [(Intervention.intervention_type == InterventionType.COMPANY_VISIT, 1)],
                        0,
                    )
                ),
                0,
            ).alias("visits"),
            peewee.fn.COALESCE(
                peewee.fn.SUM(
                    peewee.Case(
                        None,
                        [(Intervention.intervention_type == InterventionType.INTERNSHIP, 1)],
                        0,
                    )
                ),
                0,
            ).alias("internships"),
        )
        .join(Ambassador, on=(Intervention.ambassador == Ambassador.id))
        .where(
            Ambassador.organisation == charter.organisation_id,
            Intervention.status == Status.COMPLETED,
            Intervention.starts_at >= start,
            Intervention.starts_at < end,
        )
        .dicts()
        .get()
    )
    return [
        Comparison(_("Employees mobilised as ambassadors"), charter.employees, done["employees"]),
        Comparison(_("Hours of intervention"), charter.hours, int(done["minutes"]) // 60),
        Comparison(_("Company visits hosted"), charter.visits, int(done["visits"])),
        Comparison(
            _("Discovery internships hosted"), charter.internships, int(done["internships"])
        ),
    ]
