"""What the documents area holds about people, what it keeps on erasure, and for how long.

A signature is the evidence of a signed contract (a skills-sponsorship convention, an
internship convention): the contract's parties and the region may need it to establish or
defend a legal claim. GDPR article 17(3)(e) sets such data aside from erasure, and the
contract itself is the legal basis of keeping it (article 6(1)(b)). So when a person
deletes their account:

- their signatures of a document's current content stay whole: role, name and email as
  the owner gave them, name typed, consent, time, address, SHA-256; only the link to the
  account goes;
- their signatures voided by a later change of the document go: they prove nothing;
- paper signatures they recorded keep the recorder's name as it was (who recorded a
  signature is part of its evidence), not the link to the account.

The documents themselves belong to their owner plugin, which keeps them as long as its own
rules say (a tax receipt six years, a convention five years after it ends...) and deletes
them with ``service.delete``. The core only purges, by itself, the scans of paper
signatures after ``scan_kept_days``, and files no row names any more.
"""

from __future__ import annotations

import datetime
from typing import Any

from .. import storage
from ..auth.models import Account
from ..i18n import _
from ..privacy.service import ProcessingActivity
from .circuits import FILES, settings
from .models import Circuit, Document, Signatory, Signature
from .schemas import SettingsSchema

# A file younger than this may belong to a transaction still running: never swept.
SWEEP_GRACE = datetime.timedelta(days=1)


def personal_data(person: Account) -> dict[str, Any]:
    """The circuits where ``person`` signs (by account or email) and the paper signatures
    they recorded."""
    signatories = (
        Signatory.select(Signatory, Circuit, Document)
        .join(Circuit)
        .join(Document)
        .where((Signatory.account == person.id) | (Signatory.email == person.email.lower()))
        .order_by(Signatory.id)
    )
    data: dict[str, Any] = {}
    rows = [
        {
            "document": signatory.circuit.document.title,
            "number": signatory.circuit.document.number,
            "role": signatory.role,
            "name": signatory.name,
            "email": signatory.email,
            "signatures": [_signature(row) for row in signatory.signatures.order_by(Signature.id)],
        }
        for signatory in signatories
    ]
    if rows:
        data[_("Signatures of documents")] = rows
    recorded = (
        Signature.select(Signature, Signatory)
        .join(Signatory)
        .where(Signature.recorded_by == person.id)
        .order_by(Signature.id)
    )
    paper = [
        {"signatory": row.signatory.name, "recorded_at": row.signed_at.isoformat()}
        for row in recorded
    ]
    if paper:
        data[_("Paper signatures you recorded")] = paper
    return data


def erase(person: Account) -> None:
    """Unlink ``person``'s account from signatures kept as evidence; delete voided ones."""
    mine = Signatory.select(Signatory.id).where(Signatory.account == person.id)
    Signature.delete().where(
        Signature.signatory.in_(mine), Signature.voided_at.is_null(False)
    ).execute()
    Signatory.update(account=None).where(Signatory.account == person.id).execute()
    Signature.update(recorded_by=None).where(Signature.recorded_by == person.id).execute()


def purge(moment: datetime.datetime) -> None:
    """Delete the scans kept past ``scan_kept_days``, and files no row names any more."""
    moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    expired = list(
        Signature.select(Signature.id, Signature.scan_key).where(
            Signature.scan_key.is_null(False), Signature.scan_expires_at <= moment
        )
    )
    for signature in expired:
        changed = (
            Signature.update(scan_key=None, scan_type=None)
            .where(Signature.id == signature.id, Signature.scan_key == signature.scan_key)
            .execute()
        )
        if changed:
            storage.delete(signature.scan_key)
    kept = {key for (key,) in Document.select(Document.file_key).tuples()}
    kept |= {
        key
        for (key,) in Signature.select(Signature.scan_key)
        .where(Signature.scan_key.is_null(False))
        .tuples()
    }
    storage.sweep(FILES, kept, older_than=moment - SWEEP_GRACE)


def processing_activities() -> list[ProcessingActivity]:
    """Documents and their signatures, in the register of processing activities."""
    return [
        ProcessingActivity(
            name=_("Documents and signatures"),
            purpose=_(
                "Make the documents of the network's processes (conventions, receipts...) "
                "and have them signed by their parties, online or on paper, keeping the "
                "evidence of each signature."
            ),
            legal_basis=_(
                "The contract the document makes or proves (article 6.1.b GDPR); legal "
                "obligations of the owner (tax receipts, article 6.1.c)."
            ),
            data=_(
                "Of each signatory: role, name, email, language. Of each signature: the "
                "name typed, the consent, the time, the internet address, the SHA-256 of "
                "the file signed; for one on paper: who recorded it and when, and a scan "
                "of the signed page if one was given."
            ),
            retention=_(
                "As long as the plugin that owns the document keeps it (its own retention, "
                "such as six years for a tax receipt). Scans of paper signatures: "
                "%(days)d days. Signatures voided by a change of the document: until the "
                "account is deleted. Signatures in force are kept when an account is "
                "deleted: they are the evidence of a contract (article 17.3.e GDPR).",
                days=_scan_days(),
            ),
        )
    ]


def _signature(row: Signature) -> dict[str, Any]:
    return {
        "method": row.method,
        "signed_at": row.signed_at.isoformat(),
        "typed_name": row.typed_name,
        "address": row.address,
        "sha256": row.sha256,
        "voided_at": row.voided_at.isoformat() if row.voided_at else None,
    }


def _scan_days() -> int:
    try:
        return settings()["scan_kept_days"]
    except RuntimeError:  # asked outside an instance (the hook's contract tests): the default
        return SettingsSchema().load({})["scan_kept_days"]
