"""Documents, their number series, and the signature circuits run on them."""

from enum import StrEnum

import peewee

from ..auth.models import Account
from ..clock import now
from ..db import BaseModel


class DocumentStatus(StrEnum):
    """Where a document is in its life: draft -> issued -> cancelled (or draft -> cancelled)."""

    DRAFT = "draft"  # its content may still be replaced (a new version)
    ISSUED = "issued"  # numbered; its bytes never change again
    CANCELLED = "cancelled"  # kept, with why; a correction names the document replacing it


class Document(BaseModel):
    """A PDF made from a template, owned by a plugin, about a subject the plugin names.

    The bytes are in ``tremplin.storage`` under ``file_key``; ``sha256`` is their hash.
    ``template`` and ``context`` (JSON) are what the PDF was rendered from: issuing renders
    them once more with the document's number.
    """

    kind = peewee.CharField(max_length=100, index=True)  # "mecenat.receipt"
    owner = peewee.CharField(max_length=100)  # the plugin's name: "mecenat"
    subject = peewee.CharField(max_length=200)  # opaque to the core: "convention:12"
    title = peewee.CharField(max_length=300)
    locale = peewee.CharField(max_length=5, default="fr")
    template = peewee.CharField(max_length=200)
    context = peewee.TextField(default="{}")
    status = peewee.CharField(max_length=10, default=DocumentStatus.DRAFT, index=True)
    version = peewee.IntegerField(default=1)  # of a draft's content; 1 for most documents
    file_key = peewee.CharField(max_length=80)
    sha256 = peewee.CharField(max_length=64)
    size = peewee.IntegerField()
    series = peewee.CharField(max_length=140, null=True)  # "mecenat.receipt/2026"
    sequence = peewee.IntegerField(null=True)  # 1, 2, 3... in the series, never a gap
    number = peewee.CharField(max_length=40, null=True)  # "2026-000001"
    corrects = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    corrected_by = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    cancellation_reason = peewee.TextField(null=True)
    created_at = peewee.DateTimeField(default=now)
    updated_at = peewee.DateTimeField(default=now)  # when its current content was made
    issued_at = peewee.DateTimeField(null=True)
    cancelled_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "document"
        indexes = (
            (("owner", "subject"), False),
            (("series", "sequence"), True),
        )


class DocumentSeries(BaseModel):
    """The last number given in a series: the next document issued in it takes ``last + 1``."""

    name = peewee.CharField(max_length=140, primary_key=True)
    last = peewee.IntegerField(default=0)

    class Meta:
        table_name = "document_series"


class CircuitStatus(StrEnum):
    """Where a signature circuit stands."""

    OPEN = "open"  # signatures being collected
    COMPLETE = "complete"  # every signatory signed the current content
    CANCELLED = "cancelled"  # stopped by its owner, or its document was cancelled


class Circuit(BaseModel):
    """The signatories of a document, in order (``ordered``) or in any order.

    ``round`` counts the starts: when the document's content changes, every signature is
    voided and the circuit starts again with the next round.
    """

    document = peewee.ForeignKeyField(Document, on_delete="CASCADE", backref="circuits")
    ordered = peewee.BooleanField(default=False)
    status = peewee.CharField(max_length=10, default=CircuitStatus.OPEN, index=True)
    round = peewee.IntegerField(default=1)
    created_at = peewee.DateTimeField(default=now)
    completed_at = peewee.DateTimeField(null=True)
    cancelled_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "signature_circuit"


class Signatory(BaseModel):
    """Someone who must sign: a role, a name and an email, maybe an account.

    ``nonce`` is in every link sent to the signatory; signing, a restart or a cancellation
    changes it, so every earlier link stops working. ``signed_at`` is set while the
    signatory's signature of the current content holds.
    """

    circuit = peewee.ForeignKeyField(Circuit, on_delete="CASCADE", backref="signatories")
    position = peewee.IntegerField()
    role = peewee.CharField(max_length=100)
    name = peewee.CharField(max_length=200)
    email = peewee.CharField(max_length=254, index=True)
    account = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    locale = peewee.CharField(max_length=5, default="fr")
    nonce = peewee.CharField(max_length=32)
    signed_at = peewee.DateTimeField(null=True)
    emailed_at = peewee.DateTimeField(null=True)  # the last link sent (invitation, reminder)
    reminders = peewee.IntegerField(default=0)

    class Meta:
        table_name = "signatory"
        indexes = ((("circuit", "position"), True),)


class SignatureMethod(StrEnum):
    """How a signature was given."""

    LINK = "link"  # on the signing page, through the emailed link
    PAPER = "paper"  # on paper, recorded by someone authorised


class Signature(BaseModel):
    """The evidence of one signature of one version of a document.

    For a signature through the link: the name typed, the consent given, the time, the
    client's address and the SHA-256 of the exact file signed. For one on paper: who
    recorded it and when, the date written on the paper, and maybe a scan kept for a while.
    A change of the document voids it (``voided_at``); it is kept as history.
    """

    signatory = peewee.ForeignKeyField(Signatory, on_delete="CASCADE", backref="signatures")
    round = peewee.IntegerField()
    document_version = peewee.IntegerField()
    sha256 = peewee.CharField(max_length=64)
    method = peewee.CharField(max_length=10)
    typed_name = peewee.CharField(max_length=200, null=True)
    consent = peewee.BooleanField(default=False)
    signed_at = peewee.DateTimeField(default=now)
    address = peewee.CharField(max_length=45, null=True)
    signed_on = peewee.DateField(null=True)  # the date written on a paper signature
    recorded_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    recorded_by_name = peewee.CharField(max_length=200, null=True)
    scan_key = peewee.CharField(max_length=80, null=True)
    scan_type = peewee.CharField(max_length=30, null=True)
    scan_expires_at = peewee.DateTimeField(null=True, index=True)
    voided_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "signature"
