"""Documents: drafts, issued and numbered, immutable, corrected by a new document.

A plugin makes a document from one of its templates (``create_draft`` or, in one step,
``issue_new``). A draft's content may be replaced (``revise_draft``: a new version, which
voids the signatures collected on it). ``issue`` gives the document its number in an
unbroken sequence per kind and year and fixes its bytes for ever: the template is
rendered once more with the number, unless a complete signature circuit signed the
draft's bytes, which are then kept as they were signed. An issued document is never
changed: ``correct`` makes a new one that cancels it once issued, and each names the
other. ``cancel`` ends a document without replacement.

Who may see or manage a document is the owner plugin's decision: it reads the bytes with
``pdf_of`` in its own views, after its own checks. The core never shows a document but to
the signatories of its circuit, through their links.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import storage
from ..clock import now
from ..db import database
from ..errors import Conflict, Invalid, NotFound
from ..i18n import _
from ..people.service import validated
from ..runtime import current
from . import circuits, numbering, rendering
from .models import Circuit, Document, DocumentStatus, Signatory, Signature
from .schemas import DocumentSchema

FILES = circuits.FILES
# What making a PDF raises on a machine without WeasyPrint's system libraries, for callers
# that can do without the PDF (a demo).
PdfUnavailable = rendering.PdfUnavailable


class DamagedFile(RuntimeError):
    """A document's stored bytes no longer match its SHA-256 (changed or damaged on disk)."""


# Making documents


def create_draft(
    kind: str,
    owner: str,
    subject: str,
    title: str,
    template: str,
    context: Mapping[str, Any] | None = None,
    locale: str | None = None,
) -> Document:
    """A new draft of ``kind`` (``"mecenat.convention"``), owned by the plugin ``owner``,
    about ``subject`` (the plugin's own reference), rendered from ``template`` with
    ``context`` in ``locale`` (default: the region's).

    ``context`` holds texts, numbers, dates, decimals, lists and dicts; the template gets
    them as JSON gives them back (dates and decimals as text), with ``document`` (its
    ``number``, ``status``, ``title``, ``kind``, ``version``, ``issued_at``) and
    ``region``. Raise ``Invalid`` naming the field at fault, ``rendering.PdfUnavailable``
    when this machine cannot make PDFs.
    """
    data = _checked(kind, owner, subject, title, template, locale)
    return _create(data, rendering.plain(context or {}))


def issue_new(
    kind: str,
    owner: str,
    subject: str,
    title: str,
    template: str,
    context: Mapping[str, Any] | None = None,
    locale: str | None = None,
) -> Document:
    """A new document issued at once, its number printed in it (a receipt): one rendering.

    Arguments as for ``create_draft``.
    """
    data = _checked(kind, owner, subject, title, template, locale)
    values = rendering.plain(context or {})
    written: list[str] = []
    try:
        with database.atomic():
            document = Document.create(
                **data,
                context=json.dumps(values),
                status=DocumentStatus.DRAFT,
                file_key="",
                sha256="",
                size=0,
            )
            return _issue(document, render=True, written=written)
    except BaseException:
        _delete_all(written)
        raise


def revise_draft(
    document: Document,
    template: str | None = None,
    context: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> Document:
    """Replace the content of a draft: a new version, rendered from ``template`` (default:
    the same) with ``context`` (default: the same) under ``title`` (default: the same).

    Every signature collected on it is voided and its circuit starts again: everyone gets
    a new link, and the old links stop working. Raise ``Conflict`` if the document is no
    longer a draft or changed meanwhile.
    """
    current_version = document.version
    data = _checked(
        document.kind,
        document.owner,
        document.subject,
        title if title is not None else document.title,
        template if template is not None else document.template,
        document.locale,
    )
    values = rendering.plain(context) if context is not None else json.loads(document.context)
    pdf = _render(data, values, version=current_version + 1)
    key = storage.put(FILES, pdf)
    try:
        with database.atomic():
            changed = (
                Document.update(
                    title=data["title"],
                    template=data["template"],
                    context=json.dumps(values),
                    version=current_version + 1,
                    updated_at=now(),
                    **_file(key, pdf),
                )
                .where(
                    Document.id == document.id,
                    Document.status == DocumentStatus.DRAFT,
                    Document.version == current_version,
                )
                .execute()
            )
            if not changed:
                raise Conflict(
                    _("This document is no longer a draft, or it changed meanwhile: reload it.")
                )
            revised = Document.get_by_id(document.id)
            circuits.restart_for(revised)
            _delete_after_commit(document.file_key)
    except BaseException:
        storage.delete(key)
        raise
    return revised


def issue(document: Document) -> Document:
    """Issue a draft: give it the next number of its series and fix its bytes for ever.

    The template is rendered once more with the number, unless a complete signature
    circuit signed the draft: then the bytes signed are the document, and its number is
    on record (and in its file name) only. Issuing a correction cancels the document it
    corrects. Raise ``Conflict`` if the document is not a draft, is being signed (a circuit
    is open), or the document it corrects was cancelled meanwhile.
    """
    written: list[str] = []
    try:
        with database.atomic():
            return _issue(document, render=None, written=written)
    except BaseException:
        _delete_all(written)
        raise


def cancel(document: Document, reason: str) -> Document:
    """Cancel a draft or an issued document, saying why; its open circuit is cancelled too.

    The document stays, with its number: an issued document is never deleted by a
    cancellation. Raise ``Invalid`` without a reason, ``Conflict`` if already cancelled.
    """
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": [_("Say why the document is cancelled.")]})
    with database.atomic():
        _cancel(document.id, reason, corrected_by=None)
    return Document.get_by_id(document.id)


def correct(
    document: Document,
    context: Mapping[str, Any] | None = None,
    template: str | None = None,
    title: str | None = None,
    issue_now: bool = True,
) -> Document:
    """A correction of an issued document: a new document of the same kind, owner and
    subject, rendered from ``template`` and ``context`` (default: the old one's).

    With ``issue_now`` (receipts), it is issued at once with a new number and the old one
    is cancelled in the same transaction. Without (a convention to sign again), it is a
    draft: start its circuit, and the old one stays in force until the new one is issued,
    which cancels it. Both name each other (``corrects``, ``corrected_by``). Raise
    ``Conflict`` unless ``document`` is issued.
    """
    if Document.get_by_id(document.id).status != DocumentStatus.ISSUED:
        raise Conflict(_("Only an issued document can be corrected."))
    data = _checked(
        document.kind,
        document.owner,
        document.subject,
        title if title is not None else document.title,
        template if template is not None else document.template,
        document.locale,
    )
    values = rendering.plain(context) if context is not None else json.loads(document.context)
    draft = _create(data, values, corrects=document.id)
    if not issue_now:
        return draft
    try:
        return issue(draft)
    except Conflict:
        delete(draft)
        raise


def delete(document: Document) -> None:
    """Delete a document, its circuits, signatures, file and scans, at the end of the
    retention period the owner plugin applies (its ``purge_expired``).

    The core never deletes a document on its own.
    """
    keys = [document.file_key, *_scan_keys(document)]
    with database.atomic():
        Document.update(corrects=None).where(Document.corrects == document.id).execute()
        Document.update(corrected_by=None).where(Document.corrected_by == document.id).execute()
        Document.delete().where(Document.id == document.id).execute()
        for key in keys:
            _delete_after_commit(key)


# Reading documents


def get(document_id: int) -> Document:
    """The document ``document_id``; raise ``NotFound``."""
    document = Document.get_or_none(Document.id == document_id)
    if document is None:
        raise NotFound(_("This document does not exist."))
    return document


def documents_of(owner: str, subject: str) -> list[Document]:
    """The documents ``owner`` made about ``subject``, oldest first."""
    return list(
        Document.select()
        .where(Document.owner == owner, Document.subject == subject)
        .order_by(Document.created_at, Document.id)
    )


def pdf_of(document: Document) -> bytes:
    """The exact bytes of ``document``, checked against its SHA-256.

    Raise ``storage.MissingFile`` if the file is gone, ``DamagedFile`` if it changed.
    """
    data = storage.get(document.file_key)
    if rendering.sha256(data) != document.sha256:
        raise DamagedFile(f"the file of document {document.id} does not match its SHA-256")
    return data


def file_name(document: Document) -> str:
    """A file name for downloads: ``mecenat.receipt-2026-000001.pdf``, a draft's version."""
    if document.number:
        return f"{document.kind}-{document.number}.pdf"
    return f"{document.kind}-draft-{document.id}-v{document.version}.pdf"


# Inside


def _checked(
    kind: str, owner: str, subject: str, title: str, template: str, locale: str | None
) -> dict[str, Any]:
    return validated(
        DocumentSchema,
        {
            "kind": kind,
            "owner": owner,
            "subject": subject,
            "title": title,
            "template": template,
            "locale": locale or current().region.default_locale,
        },
    )


def _create(data: Mapping[str, Any], values: Mapping[str, Any], corrects: int | None = None):
    """A draft of ``data`` (``DocumentSchema``'s) rendered with ``values``."""
    pdf = _render(data, values, version=1)
    key = storage.put(FILES, pdf)
    try:
        with database.atomic():
            return Document.create(
                **data,
                context=json.dumps(values),
                status=DocumentStatus.DRAFT,
                corrects=corrects,
                **_file(key, pdf),
            )
    except BaseException:
        storage.delete(key)
        raise


def _issue(document: Document, render: bool | None, written: list[str]) -> Document:
    """Issue ``document`` inside the caller's transaction (see ``issue``); the files it
    writes are added to ``written``, for the caller to delete if the transaction fails."""
    moment = now()
    changed = (
        Document.update(status=DocumentStatus.ISSUED, issued_at=moment)
        .where(Document.id == document.id, Document.status == DocumentStatus.DRAFT)
        .execute()
    )
    if not changed:
        raise Conflict(_("This document is not a draft any more: it cannot be issued again."))
    document = Document.get_by_id(document.id)
    if circuits.has_open_circuit(document):
        raise Conflict(_("Signatures are still being collected on this document."))
    if render is None:
        render = not circuits.is_signed(document)
    year = numbering.year_of(moment, current().region.timezone)
    sequence = numbering.take_next(numbering.series_name(document.kind, year))
    columns: dict[str, Any] = {
        "series": numbering.series_name(document.kind, year),
        "sequence": sequence,
        "number": numbering.number(year, sequence),
    }
    if render:
        data = {name: getattr(document, name) for name in DocumentSchema().fields}
        numbered = {**columns, "issued_at": moment, "status": DocumentStatus.ISSUED}
        pdf = _render(data, json.loads(document.context), document.version, numbered)
        key = storage.put(FILES, pdf)
        written.append(key)
        _delete_after_commit(document.file_key)
        columns.update(_file(key, pdf), updated_at=moment)
    Document.update(**columns).where(Document.id == document.id).execute()
    if document.corrects_id is not None:
        _cancel(document.corrects_id, reason=None, corrected_by=document.id)
    return Document.get_by_id(document.id)


def _cancel(document_id: int, reason: str | None, corrected_by: int | None) -> None:
    # A correction replaces an issued document; a cancellation ends a draft or one issued.
    allowed = [DocumentStatus.ISSUED]
    if corrected_by is None:
        allowed.append(DocumentStatus.DRAFT)
    changed = (
        Document.update(
            status=DocumentStatus.CANCELLED,
            cancelled_at=now(),
            cancellation_reason=reason,
            corrected_by=corrected_by,
        )
        .where(Document.id == document_id, Document.status.in_(allowed))
        .execute()
    )
    if not changed:
        raise Conflict(_("This document is already cancelled."))
    circuits.cancel_for(Document.get_by_id(document_id))


def _render(
    data: Mapping[str, Any],
    context: Mapping[str, Any],
    version: int,
    numbered: Mapping[str, Any] | None = None,
) -> bytes:
    facts = {
        "kind": data["kind"],
        "title": data["title"],
        "status": DocumentStatus.DRAFT,
        "version": version,
        "number": None,
        "issued_at": None,
        **(numbered or {}),
    }
    page = {**context, "document": facts, "region": current().region}
    return rendering.html_to_pdf(rendering.render_html(data["template"], page, data["locale"]))


def _file(key: str, pdf: bytes) -> dict[str, Any]:
    return {"file_key": key, "sha256": rendering.sha256(pdf), "size": len(pdf)}


def _scan_keys(document: Document) -> list[str]:
    return [
        row.scan_key
        for row in Signature.select(Signature.scan_key)
        .join(Signatory)
        .join(Circuit)
        .where(Circuit.document == document.id, Signature.scan_key.is_null(False))
    ]


def _delete_all(keys: list[str]) -> None:
    for key in keys:
        storage.delete(key)


def _delete_after_commit(key: str | None) -> None:
    if key:
        database.after_commit(lambda: storage.delete(key))
