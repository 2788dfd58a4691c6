"""The demo's mailbox: the emails its people would have received, for its admin.

Only a demo has it (``tremplin.demo.instance``): elsewhere both pages answer 404 to
everyone. In a demo, visitors are sent to the sign-in page and other roles get 403.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, url_for

from ..auth.models import Account
from ..auth.permissions import is_admin
from ..i18n import _
from ..mail import delivery, service
from ..mail.models import OutboxStatus
from ..web.access import current_account, login_required
from ..web.navigation import Group, Link
from ..web.paging import page_number, page_url
from . import instance

blueprint = Blueprint("demo", __name__, template_folder="templates")

# A link in an email's text, up to the first space (emails put each link on its own line).
LINK = re.compile(r"(https?://\S+)")


def menu_links(user: Account | None) -> list[Link]:
    """The link to the demo's emails, for its admins."""
    if not (instance.is_demo() and is_admin(user)):
        return []
    return [Link(label=_("Demo emails"), href=url_for("demo.mailbox"), group=Group.STEERING)]


@blueprint.before_request
def _only_in_a_demo():
    if not instance.is_demo():
        abort(404)


@blueprint.get("/demo/courriels")
@login_required
def mailbox():
    """Every email of the demo, newest first, a page at a time."""
    _admins_only()
    page = service.newest_first(page_number())
    return render_template(
        "demo/mailbox.html",
        page=page,
        page_url=page_url,
        subjects={message.id: delivery.shown(message).subject for message in page.items},
        statuses=_statuses(),
    )


@blueprint.get("/demo/courriels/<int:message_id>")
@login_required
def message(message_id: int):
    """One email as its recipient reads it, its links clickable."""
    _admins_only()
    found = service.message(message_id)
    if found is None:
        abort(404)
    email = delivery.shown(found)
    return render_template(
        "demo/message.html",
        message=found,
        email=email,
        parts=LINK.split(email.body) if email.body is not None else [],
        statuses=_statuses(),
    )


def _statuses() -> dict[str, str]:
    return {
        OutboxStatus.PENDING: _("Waiting for the worker"),
        OutboxStatus.SENT: _("Delivered"),
        OutboxStatus.FAILED: _("Failed"),
    }


def _admins_only() -> None:
    if not is_admin(current_account()):
        abort(403)
