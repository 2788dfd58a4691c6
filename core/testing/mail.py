"""Emails a test reads back: the outbox of the test region, sending what waits, the links
they carry; and the text of a PDF document, read back by a real parser."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from ..mail import delivery
from ..mail.models import OutboxMessage

# The region's [web] base_url when the region does not set one (the test region does not).
BASE_URL = "http://127.0.0.1:5000"
LINK = re.compile(r"https?://\S+")


@pytest.fixture
def outbox(app: Flask) -> list:
    """Emails sent by ``app`` (the test region's mail backend keeps them in memory)."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


@pytest.fixture
def deliver(app: Flask, outbox: list):
    """``deliver()``: send what waits in the outbox table, as ``tremplin mail deliver`` does;
    return the emails sent since the last call (pages send what they queued as soon as they
    have answered: those count too)."""
    seen = [0]

    def send() -> list:
        with app.app_context():
            delivery.deliver_pending()
        new, seen[0] = outbox[seen[0] :], len(outbox)
        return new

    return send


@dataclass(frozen=True)
class QueuedEmail:
    """An email of the outbox table: to whom, which template, in which language, with what."""

    recipient: str
    template: str
    locale: str
    context: dict[str, Any]


def queued_emails(app: Flask, template_prefix: str = "") -> list[QueuedEmail]:
    """The emails queued by ``app`` (sent or not) whose template starts with
    ``template_prefix`` (``"charter/"``: a plugin's own), oldest first."""
    with app.app_context():
        return [
            QueuedEmail(row.recipient, row.template, row.locale, json.loads(row.context))
            for row in OutboxMessage.select()
            .where(OutboxMessage.template.startswith(template_prefix))
            .order_by(OutboxMessage.id)
        ]


def link_in(message) -> str:
    """The path of an email's first link, checked to be the region's."""
    url = LINK.search(message.body).group(0)
    assert url.startswith(BASE_URL + "/"), url
    return url.removeprefix(BASE_URL)


@pytest.fixture(name="link_in")
def link_in_fixture():
    """``link_in(message)``: the path of an email's first link, checked to be the region's."""
    return link_in


def pdf_text(data: bytes) -> str:
    """The text of a PDF, read back by pypdf (a test dependency), its spaces made plain."""
    from pypdf import PdfReader  # only tests that read PDFs need it installed

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
