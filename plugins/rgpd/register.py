"""The register of processing activities (GDPR art. 30), completed to the CNIL's model.

The core and every enabled plugin declare their activities (``processing_activities``):
name, purpose, legal basis, data, retention. What code cannot know comes from the region
(``[plugins.rgpd]``): the controller and its data protection officer, the categories of
people, the recipients, the transfers outside the EU and the security measures; the
plugin's own sentences stand in for those the region leaves empty. Exported as CSV, and as
a PDF issued by ``tremplin.documents`` (numbered, dated, kept unchanged).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tremplin import runtime, spreadsheets
from tremplin.auth.models import Account
from tremplin.documents import service as documents
from tremplin.documents.models import Document
from tremplin.errors import NotFound

from . import plugin
from .i18n import _, lazy_gettext
from .officers import require_officer

PDF_KIND = f"{plugin.name}.register"


@dataclass(frozen=True)
class Activity:
    """One row of the register, every column of the CNIL's model filled."""

    name: str
    purpose: str
    legal_basis: str
    people: str
    data: str
    recipients: str
    transfers: str
    retention: str
    security: str


@dataclass(frozen=True)
class Controller:
    """Who is responsible, and how to reach their data protection officer."""

    name: str
    address: str
    dpo_name: str
    dpo_email: str
    dpo_address: str


def controller() -> Controller:
    """The controller and its officer, as the region's settings give them."""
    config = plugin.settings()
    return Controller(
        name=config["controller"] or runtime.current().region.name,
        address=config["controller_address"],
        dpo_name=config["dpo_name"],
        dpo_email=config["dpo_email"],
        dpo_address=config["dpo_address"],
    )


def activities() -> list[Activity]:
    """Every activity of the core and the enabled plugins, completed with the region's data."""
    defaults = _region_columns()
    return [
        Activity(
            name=str(row.name),
            purpose=str(row.purpose),
            legal_basis=str(row.legal_basis),
            data=str(row.data),
            retention=str(row.retention),
            **defaults,
        )
        for row in runtime.hooks().processing_activities()
    ]


COLUMNS = (
    ("name", lazy_gettext("Activity")),
    ("purpose", lazy_gettext("Purpose")),
    ("legal_basis", lazy_gettext("Legal basis")),
    ("people", lazy_gettext("Categories of people")),
    ("data", lazy_gettext("Categories of data")),
    ("recipients", lazy_gettext("Recipients")),
    ("transfers", lazy_gettext("Transfers outside the EU")),
    ("retention", lazy_gettext("Retention")),
    ("security", lazy_gettext("Security measures")),
)


def headings() -> list[str]:
    """The register's column headings, translated."""
    return [str(label) for _key, label in COLUMNS]


def as_csv(officer: Account) -> str:
    """The register as CSV (UTF-8, one header line), for an officer."""
    require_officer(officer)
    buffer = io.StringIO()
    writer = spreadsheets.writer(buffer)
    who = controller()
    writer.writerow([_("Controller"), who.name, who.address])
    writer.writerow([_("Data protection officer"), who.dpo_name, who.dpo_email, who.dpo_address])
    writer.writerow(headings())
    for activity in activities():
        row = dataclasses.asdict(activity)
        writer.writerow([row[key] for key, _label in COLUMNS])
    return buffer.getvalue()


def issue_pdf(officer: Account) -> Document:
    """Issue the register as it stands today as a numbered PDF document."""
    require_officer(officer)
    return documents.issue_new(
        PDF_KIND,
        plugin.name,
        "register",
        _("Register of processing activities"),
        f"{plugin.name}/documents/register.html",
        {
            "controller": dataclasses.asdict(controller()),
            "headings": headings(),
            "activities": [dataclasses.asdict(activity) for activity in activities()],
        },
    )


def issued(officer: Account) -> list[Document]:
    """The register's PDFs issued so far, latest first."""
    require_officer(officer)
    return list(reversed(documents.documents_of(plugin.name, "register")))


def issued_one(officer: Account, document_id: int) -> Document:
    """One of the register's PDFs, for an officer."""
    require_officer(officer)
    document = Document.get_or_none(Document.id == document_id)
    if document is None or document.kind != PDF_KIND:
        raise NotFound(_("No such document."))
    return document


def _region_columns() -> Mapping[str, Any]:
    config = plugin.settings()
    return {
        "people": config["people"]
        or _("Ambassadors, educational teams, referents, partners' staff, the region's staff."),
        "recipients": config["recipients"]
        or _(
            "The region's staff in charge of the network, within their territory; schools "
            "see only what an intervention needs."
        ),
        "transfers": config["transfers"] or _("None outside the European Union."),
        "security": config["security"]
        or _(
            "Access by role and territory checked on the server, passwords hashed with "
            "argon2, signed and expiring links, encrypted connections, daily backups."
        ),
    }
