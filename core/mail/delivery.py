"""Render queued emails in their recipient's language and send them with Flask-Mailman.

A request sends the messages it queued once its response is ready; ``tremplin mail
deliver`` (run it every few minutes) sends everything still waiting, failures included.
Each message is claimed before it is sent, so two workers never send it twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from flask import Flask, current_app, render_template
from flask_mailman import EmailMultiAlternatives, Mail
from jinja2 import TemplateNotFound

from .. import i18n
from . import service
from .models import OutboxMessage

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300  # a sender that died releases its messages after this long


def init_app(app: Flask) -> None:
    """Configure Flask-Mailman; deliver what a request queued once its response is ready."""
    Mail(app)

    @app.before_request
    def forget_earlier_messages():
        # Only what this request queues is sent with its response; the rest is the CLI's.
        service.take_queued()

    @app.after_request
    def deliver_queued(response):
        ids = service.take_queued()
        if ids:
            deliver_messages(service.pending_among(ids))
        return response


def deliver_pending(limit: int | None = None) -> tuple[int, int]:
    """Try to send every pending message; return ``(sent, failed)``. Failures stay queued."""
    return deliver_messages(service.pending(limit))


def deliver_messages(messages: Iterable[OutboxMessage]) -> tuple[int, int]:
    """Send ``messages`` through one connection; return ``(sent, failed)``.

    Messages another sender has claimed are left to it and counted in neither.
    """
    messages = list(messages)
    if not messages:
        return 0, 0
    sent = failed = 0
    connection = current_app.extensions["mailman"].get_connection()
    _open(connection)
    try:
        for message in messages:
            outcome = deliver(message, connection)
            if outcome is True:
                sent += 1
            elif outcome is False:
                failed += 1
                _close(connection)  # the next message opens a fresh one
    finally:
        _close(connection)
    return sent, failed


def deliver(message: OutboxMessage, connection=None) -> bool | None:
    """Render and send one message; record the attempt.

    Return whether it was sent, or ``None`` when another sender is already on it.
    """
    if not service.claim(message.id, CLAIM_SECONDS):
        return None
    try:
        email = render(message)
        email.connection = connection
        email.send()
    except Exception as error:  # SMTP and rendering errors alike: keep the message for later
        logger.warning("email %s of the outbox could not be sent: %s", message.id, error)
        service.record_failure(message.id, f"{type(error).__name__}: {error}")
        return False
    service.record_sent(message.id)
    return True


def render(message: OutboxMessage) -> EmailMultiAlternatives:
    """The email of ``message``, rendered in the recipient's language."""
    context = json.loads(message.context)
    with i18n.using_locale(message.locale):
        subject = render_template(f"{message.template}.subject.txt", **context)
        body = render_template(f"{message.template}.txt", **context)
        html = _optional(f"{message.template}.html", context)
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=body, to=[message.recipient]
    )
    if html is not None:
        email.attach_alternative(html, "text/html")
    return email


def _optional(template: str, context: dict) -> str | None:
    try:
        return render_template(template, **context)
    except TemplateNotFound:
        return None


def _open(connection) -> None:
    try:
        connection.open()
    except Exception as error:  # each message tries again, and records why it failed
        logger.info("the mail server does not answer: %s", error)


def _close(connection) -> None:
    try:
        connection.close()
    except Exception as error:  # a server that went away while we said goodbye
        logger.info("closing the mail connection failed: %s", error)
