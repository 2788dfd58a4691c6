"""Signature circuits: who signs a document, through which link, and what is kept as proof.

A circuit names its signatories (a role, a name, an email, maybe an account), in order or
in any order. Each signatory whose turn it is receives by email a signed, single-use link,
valid ``link_days`` (``tremplin.documents.links``); the signing page records the name typed,
the consent, the time, the client's address and the SHA-256 of the exact file signed. In an
ordered circuit the next signatory is invited once the one before has signed; in a free one
everyone is invited at once. Someone authorised may record instead that a signatory signed
on paper (who recorded it and when, maybe a scan, kept ``scan_kept_days``).

Any change of the document's content voids every signature and starts the circuit again:
new links for everyone, the old ones stop working (``restart_for``, called by the
documents' service). Those who have not signed are reminded every ``reminder_days``
(``remind``, run every hour by the task queue). Once everyone has signed, the circuit is
complete. Each step is announced to plugins by ``signature_circuit_changed(circuit,
event)`` once its transaction has committed.

Each change takes the circuit's row lock first (an ``UPDATE`` of it: a row lock on
PostgreSQL, the write lock on SQLite), so two signatories signing at the same moment are
counted one after the other and the last one completes the circuit.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .. import storage
from ..auth.models import Account, new_nonce
from ..clock import now
from ..db import database
from ..errors import Conflict, Invalid, NotFound
from ..i18n import _
from ..mail import service as mail
from ..people.service import validated
from ..runtime import current, hooks, settings_of
from . import links
from .models import (
    Circuit,
    CircuitStatus,
    Document,
    DocumentStatus,
    Signatory,
    Signature,
    SignatureMethod,
)
from .schemas import SettingsSchema, SignatorySchema, SignSchema

EMAILS = "documents/email/"
FILES = "documents"  # the area of tremplin.storage holding documents and scans
ACTIVE = (CircuitStatus.OPEN, CircuitStatus.COMPLETE)
SCAN_MAX_BYTES = 10 * 1024 * 1024
# What a scan's first bytes say it is; nothing else is taken.
SCAN_TYPES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class CircuitEvent(StrEnum):
    """What happened to a circuit, as ``signature_circuit_changed`` tells it."""

    STARTED = "started"
    SIGNED = "signed"  # one more signatory signed (by link or on paper)
    RESTARTED = "restarted"  # the document changed: signatures voided, everyone asked again
    COMPLETED = "completed"  # every signatory signed the current content
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Signer:
    """A signatory to name when a circuit starts.

    ``locale`` is the language of the emails (default: the account's, else the document's).
    """

    role: str
    name: str
    email: str
    account: Account | None = None
    locale: str | None = None


def settings() -> dict[str, Any]:
    """The instance's ``[plugins.documents]`` settings, defaults filled in."""
    return {**SettingsSchema().load({}), **settings_of("documents")}


# Starting, reading, cancelling


def start_circuit(document: Document, signers: Sequence[Signer], ordered: bool = False) -> Circuit:
    """Start collecting the signatures of ``signers`` on ``document`` (a draft or issued).

    ``ordered``: each signs after the one before (their order in ``signers``); otherwise all
    are invited at once. Raise ``Invalid`` naming the signatory at fault
    (``signatories.1.email``), ``Conflict`` if the document is cancelled or already has an
    open or complete circuit (cancel it first).
    """
    rows = _checked(signers)
    with database.atomic():
        _lock_document(document.id)
        active = Circuit.select().where(Circuit.document == document.id, Circuit.status.in_(ACTIVE))
        if active.exists():
            raise Conflict(_("This document already has a signature circuit."))
        circuit = Circuit.create(document=document.id, ordered=ordered)
        for position, row in enumerate(rows, start=1):
            Signatory.create(circuit=circuit, position=position, nonce=new_nonce(), **row)
        _invite(circuit, "invitation")
        _announce(circuit.id, CircuitEvent.STARTED)
    return circuit


def get_circuit(circuit_id: int) -> Circuit:
    """The circuit ``circuit_id``; raise ``NotFound``."""
    circuit = Circuit.get_or_none(Circuit.id == circuit_id)
    if circuit is None:
        raise NotFound(_("This signature circuit does not exist."))
    return circuit


def circuit_of(document: Document) -> Circuit | None:
    """The document's open or complete circuit, or ``None``."""
    return (
        Circuit.select()
        .where(Circuit.document == document.id, Circuit.status.in_(ACTIVE))
        .order_by(Circuit.id.desc())
        .first()
    )


def signatories_of(circuit: Circuit) -> list[Signatory]:
    """The circuit's signatories, in their order."""
    return list(
        Signatory.select().where(Signatory.circuit == circuit.id).order_by(Signatory.position)
    )


def signature_of(signatory: Signatory) -> Signature | None:
    """The signatory's signature of the current content, or ``None``."""
    return (
        Signature.select()
        .where(Signature.signatory == signatory.id, Signature.voided_at.is_null())
        .order_by(Signature.id.desc())
        .first()
    )


def cancel_circuit(circuit: Circuit) -> Circuit:
    """Stop collecting signatures; the links stop working. Raise ``Conflict`` unless open."""
    with database.atomic():
        if not _cancel(circuit.id):
            raise Conflict(_("This signature circuit is not collecting signatures."))
    return Circuit.get_by_id(circuit.id)


# Signing


def signatory_for_link(token: str) -> Signatory:
    """The signatory a signing link was sent to, if it can still be used.

    Raise ``Invalid`` on ``token`` when the link is forged, expired, already used, or no
    longer of use (the document changed, the circuit was cancelled). Pages call this
    before showing the form.
    """
    claims = links.read(token)
    signatory = Signatory.get_or_none(
        Signatory.id == claims.signatory_id, Signatory.nonce == claims.nonce
    )
    if signatory is None or signatory.signed_at is not None:
        raise Invalid(
            {
                "token": [
                    _(
                        "This link has already been used, or the document changed since it "
                        "was sent: the latest email you received has the link to use."
                    )
                ]
            }
        )
    if signatory.circuit.status != CircuitStatus.OPEN:
        raise Invalid({"token": [_("This document is no longer waiting for signatures.")]})
    return signatory


def sign(token: str, form: Mapping[str, Any], address: str | None) -> Signature:
    """Sign through a link: ``form`` holds ``name``, ``consent`` and ``sha256``.

    ``sha256`` is the hash of the file the signing page offered; ``address`` the client's.
    Records the evidence, invites the next signatory of an ordered circuit, completes the
    circuit after the last one. Raise ``Invalid`` on ``token`` for a link that cannot be
    used, on the form's fields for a name missing or no consent, and ``Conflict`` if the
    document changed since the page was shown.
    """
    claims = links.read(token)
    signatory = signatory_for_link(token)
    data = validated(SignSchema, form)
    document = signatory.circuit.document
    if data["sha256"] != document.sha256:
        raise Conflict(
            _(
                "The document changed since you opened this page: open the link of your "
                "latest email, read the document again, then sign."
            )
        )
    moment = now()
    with database.atomic():
        circuit = _lock_open_circuit(signatory.circuit_id)
        taken = (
            Signatory.update(nonce=new_nonce(), signed_at=moment)
            .where(
                Signatory.id == signatory.id,
                Signatory.nonce == claims.nonce,
                Signatory.signed_at.is_null(),
            )
            .execute()
        )
        if not taken:
            raise Invalid({"token": [_("This link has already been used.")]})
        signature = Signature.create(
            signatory=signatory.id,
            round=circuit.round,
            document_version=document.version,
            sha256=data["sha256"],
            method=SignatureMethod.LINK,
            typed_name=data["name"],
            consent=True,
            signed_at=moment,
            address=(address or "")[:45] or None,
        )
        _after_signature(circuit)
    return signature


def record_paper_signature(
    signatory: Signatory,
    recorded_by: Account,
    signed_on: datetime.date | None = None,
    scan: bytes | None = None,
) -> Signature:
    """Record that ``signatory`` signed the current content on paper.

    ``recorded_by`` is the account of the person who says so (the owner plugin checks that
    they may); ``signed_on`` the date written on the paper (not in the future); ``scan`` an
    optional PDF, PNG or JPEG of the signed page, kept ``scan_kept_days``. Raise
    ``Invalid`` on ``signed_on`` or ``scan``, ``Conflict`` if the signatory already signed
    or the circuit is not collecting signatures.
    """
    moment = now()
    if signed_on is not None and signed_on > moment.date() + datetime.timedelta(days=1):
        # A day of margin: the paper may be dated in a time zone ahead of UTC.
        raise Invalid({"signed_on": [_("A signature cannot be dated in the future.")]})
    scan_type = _scan_type(scan) if scan is not None else None
    scan_key = storage.put(FILES, scan) if scan is not None else None
    try:
        with database.atomic():
            circuit = _lock_open_circuit(signatory.circuit_id)
            taken = (
                Signatory.update(nonce=new_nonce(), signed_at=moment)
                .where(Signatory.id == signatory.id, Signatory.signed_at.is_null())
                .execute()
            )
            if not taken:
                raise Conflict(_("This signatory has already signed."))
            document = Document.get_by_id(circuit.document_id)
            signature = Signature.create(
                signatory=signatory.id,
                round=circuit.round,
                document_version=document.version,
                sha256=document.sha256,
                method=SignatureMethod.PAPER,
                signed_at=moment,
                signed_on=signed_on,
                recorded_by=recorded_by.id,
                recorded_by_name=f"{recorded_by.first_name} {recorded_by.last_name}".strip(),
                scan_key=scan_key,
                scan_type=scan_type,
                scan_expires_at=(
                    moment + datetime.timedelta(days=settings()["scan_kept_days"])
                    if scan_key
                    else None
                ),
            )
            _after_signature(circuit)
    except BaseException:
        storage.delete(scan_key)
        raise
    return signature


def scan_of(signature: Signature) -> bytes | None:
    """The scan kept with a paper signature, or ``None`` (none given, or purged)."""
    if not signature.scan_key:
        return None
    try:
        return storage.get(signature.scan_key)
    except storage.MissingFile:
        return None


def send_link_again(signatory: Signatory) -> None:
    """Email ``signatory`` a new link (the last one expired, the email was lost...).

    Raise ``Conflict`` if the signatory already signed, the circuit is not collecting
    signatures, or it is not yet the signatory's turn.
    """
    with database.atomic():
        circuit = _lock_open_circuit(signatory.circuit_id)
        fresh = Signatory.get_by_id(signatory.id)
        if fresh.signed_at is not None or fresh not in _turn(circuit):
            raise Conflict(_("This signatory has nothing to sign at the moment."))
        _send_link(fresh, "invitation", now())


# Reminders


def remind(moment: datetime.datetime | None = None) -> int:
    """Remind those whose turn it is and who have not signed for ``reminder_days``.

    Each reminder carries a new link. Idempotent: a signatory reminded is not reminded again
    before ``reminder_days`` more, even by a second worker. Return how many were reminded.
    """
    moment = moment or now()
    cutoff = moment - datetime.timedelta(days=settings()["reminder_days"])
    due = (
        Signatory.select()
        .join(Circuit)
        .where(
            Circuit.status == CircuitStatus.OPEN,
            Signatory.signed_at.is_null(),
            Signatory.emailed_at.is_null(False),
            Signatory.emailed_at <= cutoff,
        )
        .order_by(Signatory.id)
    )
    count = 0
    for signatory in due:
        with database.atomic():
            claimed = (
                Signatory.update(emailed_at=moment, reminders=Signatory.reminders + 1)
                .where(
                    Signatory.id == signatory.id,
                    Signatory.emailed_at == signatory.emailed_at,
                    Signatory.signed_at.is_null(),
                )
                .execute()
            )
            if claimed:
                _send_link(signatory, "reminder", moment)
                count += 1
    return count


# Called by the documents' service, inside its transaction


def restart_for(document: Document) -> None:
    """The content of ``document`` changed: void the signatures and start again.

    Every signature of the open or complete circuit is voided (kept as history), every
    link stops working, and those whose turn it is get a new one; those who had signed and
    must wait for their turn are told. Call it inside the transaction that changed the
    document, after its row was updated.
    """
    circuit = circuit_of(document)
    if circuit is None:
        return
    moment = now()
    signatories = signatories_of(circuit)
    had_signed = {s.id for s in signatories if s.signed_at is not None}
    Signature.update(voided_at=moment).where(
        Signature.signatory.in_([s.id for s in signatories]), Signature.voided_at.is_null()
    ).execute()
    Circuit.update(status=CircuitStatus.OPEN, round=Circuit.round + 1, completed_at=None).where(
        Circuit.id == circuit.id
    ).execute()
    for signatory in signatories:
        Signatory.update(nonce=new_nonce(), signed_at=None, emailed_at=None, reminders=0).where(
            Signatory.id == signatory.id
        ).execute()
    circuit = Circuit.get_by_id(circuit.id)
    invited = _invite(circuit, "restarted")
    for signatory in signatories:
        if signatory.id in had_signed and signatory.id not in invited:
            _email(signatory, "restarted", token=None)
    _announce(circuit.id, CircuitEvent.RESTARTED)


def cancel_for(document: Document) -> None:
    """The document is cancelled: so is its open circuit (call inside that transaction)."""
    circuit = (
        Circuit.select()
        .where(Circuit.document == document.id, Circuit.status == CircuitStatus.OPEN)
        .first()
    )
    if circuit is not None:
        _cancel(circuit.id)


def has_open_circuit(document: Document) -> bool:
    """Whether signatures are being collected on ``document``."""
    return (
        Circuit.select()
        .where(Circuit.document == document.id, Circuit.status == CircuitStatus.OPEN)
        .exists()
    )


def is_signed(document: Document) -> bool:
    """Whether a circuit on ``document`` is complete: its current bytes are signed."""
    return (
        Circuit.select()
        .where(Circuit.document == document.id, Circuit.status == CircuitStatus.COMPLETE)
        .exists()
    )


# Inside


def _checked(signers: Sequence[Signer]) -> list[dict[str, Any]]:
    """Each signer as a row of ``Signatory``; raise ``Invalid`` naming the one at fault."""
    if not signers:
        raise Invalid({"signatories": [_("Name at least one signatory.")]})
    rows, errors = [], {}
    default_locale = current().region.default_locale
    for index, signer in enumerate(signers):
        account = signer.account
        raw = {
            "role": signer.role,
            "name": signer.name,
            "email": signer.email,
            "locale": signer.locale,
            "account_id": account.id if account is not None else None,
        }
        try:
            data = validated(SignatorySchema, {k: v for k, v in raw.items() if v is not None})
        except Invalid as error:
            for field, messages in error.errors.items():
                errors[f"signatories.{index}.{field}"] = messages
            continue
        rows.append(
            {
                "role": data["role"],
                "name": data["name"],
                "email": data["email"].lower(),
                "account": data["account_id"],
                "locale": data["locale"] or (account.locale if account else None) or default_locale,
            }
        )
    if errors:
        raise Invalid(errors)
    return rows


def _lock_document(document_id: int) -> None:
    """Take the document's row lock; raise ``Conflict`` if it is cancelled."""
    locked = (
        Document.update(updated_at=Document.updated_at)
        .where(Document.id == document_id, Document.status != DocumentStatus.CANCELLED)
        .execute()
    )
    if not locked:
        raise Conflict(_("This document is cancelled."))


def _lock_open_circuit(circuit_id: int) -> Circuit:
    """Take the circuit's row lock; raise ``Conflict`` unless it is open."""
    locked = (
        Circuit.update(round=Circuit.round)
        .where(Circuit.id == circuit_id, Circuit.status == CircuitStatus.OPEN)
        .execute()
    )
    if not locked:
        raise Conflict(_("This document is no longer waiting for signatures."))
    return Circuit.get_by_id(circuit_id)


def _cancel(circuit_id: int) -> bool:
    moment = now()
    cancelled = (
        Circuit.update(status=CircuitStatus.CANCELLED, cancelled_at=moment)
        .where(Circuit.id == circuit_id, Circuit.status == CircuitStatus.OPEN)
        .execute()
    )
    if not cancelled:
        return False
    circuit = Circuit.get_by_id(circuit_id)
    for signatory in signatories_of(circuit):
        Signatory.update(nonce=new_nonce()).where(Signatory.id == signatory.id).execute()
        if signatory.signed_at is None and signatory.emailed_at is not None:
            _email(signatory, "cancelled")
    _announce(circuit_id, CircuitEvent.CANCELLED)
    return True


def _after_signature(circuit: Circuit) -> None:
    """Complete the circuit after its last signature, or invite whoever is next."""
    _announce(circuit.id, CircuitEvent.SIGNED)
    waiting = Signatory.select().where(
        Signatory.circuit == circuit.id, Signatory.signed_at.is_null()
    )
    if waiting.exists():
        _invite(circuit, "invitation")
        return
    Circuit.update(status=CircuitStatus.COMPLETE, completed_at=now()).where(
        Circuit.id == circuit.id
    ).execute()
    for signatory in signatories_of(circuit):
        _email(signatory, "completed")
    _announce(circuit.id, CircuitEvent.COMPLETED)


def _turn(circuit: Circuit) -> list[Signatory]:
    """Who may sign now: everyone unsigned, or in an ordered circuit the first of them."""
    unsigned = [s for s in signatories_of(circuit) if s.signed_at is None]
    return unsigned[:1] if circuit.ordered else unsigned


def _invite(circuit: Circuit, template: str) -> set[int]:
    """Send a link to those whose turn it is and who have none yet; their ids."""
    moment = now()
    invited = set()
    for signatory in _turn(circuit):
        if signatory.emailed_at is None:
            _send_link(signatory, template, moment)
            invited.add(signatory.id)
    return invited


def _send_link(signatory: Signatory, template: str, moment: datetime.datetime) -> None:
    expires_at = moment + datetime.timedelta(days=settings()["link_days"])
    Signatory.update(emailed_at=moment).where(Signatory.id == signatory.id).execute()
    token = links.token_for(signatory.id, signatory.nonce, expires_at)
    _email(signatory, template, token=token, expires_at=expires_at.isoformat())


def _email(signatory: Signatory, template: str, **context: Any) -> None:
    signatory = Signatory.get_by_id(signatory.id)  # its nonce may have changed
    document = signatory.circuit.document
    mail.queue(
        signatory.email,
        EMAILS + template,
        locale=signatory.locale,
        name=signatory.name,
        role=signatory.role,
        title=document.title,
        number=document.number,
        **context,
    )


def _announce(circuit_id: int, event: CircuitEvent) -> None:
    """Call ``signature_circuit_changed`` once the current transaction has committed."""

    def call() -> None:
        hooks().signature_circuit_changed(circuit=Circuit.get_by_id(circuit_id), event=event)

    database.after_commit(call)


def _scan_type(scan: bytes) -> str:
    if not scan:
        raise Invalid({"scan": [_("The scan is empty.")]})
    if len(scan) > SCAN_MAX_BYTES:
        raise Invalid({"scan": [_("The scan is larger than %(size)d MB.", size=10)]})
    kind = next((kind for magic, kind in SCAN_TYPES if scan.startswith(magic)), None)
    if kind is None:
        raise Invalid({"scan": [_("Send the scan as a PDF file or a photo (PNG or JPEG).")]})
    return kind
