"""Render queued emails in their recipient's language and send them with Flask-Mailman.

Emails leave through the task queue (``tremplin.queue``). Once a request has its response
(or a command or a task has run), the messages it queued are handed to the ``mail.deliver``
task, which the worker runs (at once in tests). A periodic task, ``mail.deliver_due``,
sends every minute whatever is due: retries after a failure, and messages whose task was
lost (a worker that died, a queue that did not answer), so nothing is lost. Each message is
claimed before it is sent, so two workers never send it twice; a failed attempt is
recorded and tried again later, waiting longer each time (``service.RETRY_DELAYS``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from email import encoders
from email.message import Message as MimeHeaders
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import make_msgid
from typing import NamedTuple
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from flask_mailman import EmailMultiAlternatives, Mail
from huey import crontab
from jinja2 import TemplateNotFound

from .. import i18n
from ..clock import now
from ..queue import InstanceQueue
from . import service
from .models import OutboxMessage

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300  # a sender that died releases its messages after this long
DUE_BATCH = 500  # messages the periodic task sends at most each minute
DELIVER_DUE_TASK = "mail.deliver_due"


def init_app(app: Flask) -> None:
    """Configure Flask-Mailman; hand what a request queued to the queue once it has answered."""
    Mail(app)

    @app.before_request
    def forget_earlier_messages():
        # Only what this request queues is sent with its response; the rest is the worker's.
        service.take_queued()

    @app.after_request
    def deliver_queued(response):
        service.dispatch_queued()
        return response


def keep_in_outbox(app: Flask) -> None:
    """Send no email out of ``app`` from now on: each is recorded as sent and stays in the
    outbox, where it can be read (``tremplin demo``, whose people are invented)."""
    app.config["MAIL_BACKEND"] = "dummy"
    app.extensions["mailman"].backend = "dummy"


class ShownEmail(NamedTuple):
    """An email of the outbox as its recipient reads it; ``None`` when it cannot be rendered."""

    subject: str | None
    body: str | None


def shown(message: OutboxMessage) -> ShownEmail:
    """The subject and text of ``message``, rendered as they are sent."""
    try:
        email = render(message)
    except Exception as error:  # a template gone with its plugin: say so, show the rest
        logger.info("email %s of the outbox cannot be rendered: %s", message.id, error)
        return ShownEmail(None, None)
    return ShownEmail(email.subject, email.body)


def register_tasks(queue: InstanceQueue) -> None:
    """``mail.deliver`` (messages just queued) and ``mail.deliver_due`` (every minute).

    What any task queues is handed to ``mail.deliver`` once it has run, as after a request.
    """
    queue.task(name=service.DELIVER_TASK)(deliver_queued)
    queue.periodic_task(crontab(minute="*"), name=DELIVER_DUE_TASK)(deliver_due)
    queue.post_execute(name="mail.dispatch_queued")(_dispatch_after_task)


def _dispatch_after_task(task, value, exception) -> None:
    service.dispatch_queued()


def deliver_queued(ids: Sequence[int]) -> tuple[int, int]:
    """Send the messages of ``ids`` still due; return ``(sent, failed)``."""
    return deliver_messages(service.pending_among(ids))


def deliver_due(limit: int = DUE_BATCH) -> tuple[int, int]:
    """Send the messages whose (next) attempt is due now; return ``(sent, failed)``."""
    return deliver_messages(service.due(now(), limit))


def deliver_pending(limit: int | None = None) -> tuple[int, int]:
    """Try every pending message now, even those waiting to retry; return ``(sent, failed)``."""
    return deliver_messages(service.pending(limit))


class Delivery(NamedTuple):
    """What one run of deliveries did, and why the server could not be reached if it could not."""

    sent: int
    failed: int
    unreachable: str | None


def deliver_pending_now() -> Delivery:
    """Like ``deliver_pending``, also saying why the mail server could not be reached."""
    return _deliver(service.pending(None))


def server_address() -> str:
    """``host:port`` of the mail server, as configured (``[mail] host`` and ``port``)."""
    return f"{current_app.config['MAIL_SERVER']}:{current_app.config['MAIL_PORT']}"


def deliver_messages(messages: Iterable[OutboxMessage]) -> tuple[int, int]:
    """Send ``messages`` through one connection; return ``(sent, failed)``.

    Messages another sender has claimed are left to it and counted in neither. When the
    mail server cannot be reached, each message records the attempt without waiting for
    the server once more.
    """
    sent, failed, _unreachable = _deliver(messages)
    return sent, failed


def _deliver(messages: Iterable[OutboxMessage]) -> Delivery:
    messages = list(messages)
    if not messages:
        return Delivery(0, 0, None)
    sent = failed = 0
    first_unreachable = None
    connection = current_app.extensions["mailman"].get_connection()
    unreachable = first_unreachable = _open(connection)
    try:
        for message in messages:
            if not service.claim(message.id, CLAIM_SECONDS):
                continue
            if unreachable is not None:
                service.record_failure(message.id, unreachable)
                failed += 1
            elif _send(message, connection):
                sent += 1
            else:
                failed += 1
                _close(connection)  # the next message opens a fresh one
                unreachable = _open(connection)
                first_unreachable = first_unreachable or unreachable
    finally:
        _close(connection)
    return Delivery(sent, failed, first_unreachable)


def deliver(message: OutboxMessage, connection=None) -> bool | None:
    """Render and send one message; record the attempt.

    Return whether it was sent, or ``None`` when another sender is already on it.
    """
    if not service.claim(message.id, CLAIM_SECONDS):
        return None
    return _send(message, connection)


def _send(message: OutboxMessage, connection) -> bool:
    """Send a claimed message and record how it went."""
    try:
        email = render(message)
        email.connection = connection
        email.send()
    except Exception as error:  # SMTP and rendering errors alike: keep the message for later
        logger.warning("email %s of the outbox could not be sent: %s", message.id, error)
        service.record_failure(message.id, _reason(error))
        return False
    service.record_sent(message.id)
    return True


def render(message: OutboxMessage) -> EmailMultiAlternatives:
    """The email of ``message``, rendered in the recipient's language, with its attachments."""
    context = json.loads(message.context)
    with i18n.using_locale(message.locale):
        subject = render_template(f"{message.template}.subject.txt", **context)
        body = render_template(f"{message.template}.txt", **context)
        html = _optional(f"{message.template}.html", context)
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        to=[message.recipient],
        # Named after the instance's public host, not the machine's name (often localhost).
        headers={"Message-ID": make_msgid(domain=_public_host())},
    )
    if html is not None:
        email.attach_alternative(html, "text/html")
    for attachment in json.loads(message.attachments or "[]"):
        email.attach(_attachment(**attachment))
    return email


def _attachment(filename: str, content: str, mimetype: str) -> MIMEBase:
    """A MIME part keeping every parameter of ``mimetype`` (``method=REQUEST``...)."""
    header = MimeHeaders()
    header["Content-Type"] = mimetype
    maintype, subtype = header.get_content_maintype(), header.get_content_subtype()
    if maintype == "text":
        part: MIMEBase = MIMEText(content, subtype, "utf-8")
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(content.encode("utf-8"))
        encoders.encode_base64(part)
    for name, value in header.get_params()[1:]:
        if name.lower() != "charset":  # MIMEText set it from the content
            part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _public_host() -> str:
    # The address links are built on: the region's, or the one served (tremplin serve).
    return urlsplit(f"//{current_app.config['SERVER_NAME']}").hostname or "localhost"


def _optional(template: str, context: dict) -> str | None:
    try:
        return render_template(template, **context)
    except TemplateNotFound:
        return None


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _open(connection) -> str | None:
    """Open ``connection``; return why the server cannot be reached, or ``None``."""
    try:
        connection.open()
    except Exception as error:  # every message waiting records this reason
        logger.warning("the mail server %s does not answer: %s", server_address(), error)
        return _reason(error)
    return None


def _close(connection) -> None:
    try:
        connection.close()
    except Exception as error:  # a server that went away while we said goodbye
        logger.info("closing the mail connection failed: %s", error)
