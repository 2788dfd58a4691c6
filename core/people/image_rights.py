"""Image rights: an ambassador's consent to the region using photos and videos of them.

Charter article 7: the region may ask an ambassador for their agreement to be
photographed, recorded or filmed for its communication about their activity as an
ambassador. The consent covers the ambassador's interventions as a whole (the charter
speaks of their activity, not of one intervention): it is optional (no consent until
given), given or withdrawn by the ambassador alone on their profile, and takes effect at
once. Each choice is a new ``ImageRightsDecision`` row with its moment and the version of
the text it answered; the latest row is the choice in force. Other users learn only
"image rights: yes / no", where they organise photos: on an intervention's page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import peewee

from ..auth.models import Account
from ..clock import now
from ..db import database
from ..errors import NotAllowed
from ..i18n import _, lazy_gettext
from .models import Ambassador, ImageRightsDecision

# Change the version whenever the text changes: a consent answers one version of it.
TEXT_VERSION = "2026-12"
TEXT = lazy_gettext(
    "I agree that the region may photograph, record or film me during my interventions as "
    "an ambassador, and use these images in its communication about the network. I may "
    "withdraw this consent at any time; images already published are then no longer used "
    "for new communication."
)


@dataclass(frozen=True)
class ImageRights:
    """The choice in force for an ambassador: consented or not, since when, to which text."""

    consented: bool
    decided_at: datetime.datetime | None
    text_version: str | None


def current(ambassador_id: int) -> ImageRights:
    """The choice in force for the ambassador (not consented when they never chose)."""
    latest = (
        ImageRightsDecision.select()
        .where(ImageRightsDecision.ambassador == ambassador_id)
        .order_by(ImageRightsDecision.id.desc())
        .first()
    )
    if latest is None:
        return ImageRights(consented=False, decided_at=None, text_version=None)
    return ImageRights(
        consented=latest.consented,
        decided_at=latest.decided_at,
        text_version=latest.text_version,
    )


def decide(actor: Account | None, ambassador: Ambassador, consented: bool) -> ImageRights:
    """Record the ambassador's own choice, effective at once; only they may make it.

    Choosing what is already in force (for the same text) records nothing new.
    """
    if actor is None or ambassador.account_id != actor.id:
        raise NotAllowed(_("Only the ambassador decides about their image rights."))
    with database.atomic():
        before = current(ambassador.id)
        if before.consented == consented and (not consented or before.text_version == TEXT_VERSION):
            return before
        ImageRightsDecision.create(
            ambassador=ambassador.id,
            consented=consented,
            text_version=TEXT_VERSION,
            decided_at=now(),
        )
    return current(ambassador.id)


def history(ambassador_id: int) -> list[dict[str, Any]]:
    """Every choice the ambassador made, oldest first (for their personal data)."""
    return [
        {
            "consented": row.consented,
            "text_version": row.text_version,
            "decided_at": row.decided_at.isoformat(),
        }
        for row in ImageRightsDecision.select()
        .where(ImageRightsDecision.ambassador == ambassador_id)
        .order_by(ImageRightsDecision.id)
    ]


def erase(ambassador_id: int) -> None:
    """Forget the ambassador's choices (their account is deleted: no consent remains)."""
    ImageRightsDecision.delete().where(ImageRightsDecision.ambassador == ambassador_id).execute()


def consenting_at(moment: datetime.datetime) -> peewee.Node:
    """SQL condition on ``Ambassador``: their choice in force just before ``moment`` is a
    consent (the latest decision made before it, by order of recording)."""
    return _consenting(moment)


def consenting_now() -> peewee.Node:
    """SQL condition on ``Ambassador``: their choice in force is a consent (the latest
    decision recorded, whenever it was made)."""
    return _consenting(None)


def _consenting(moment: datetime.datetime | None) -> peewee.Node:
    """The latest decision (of those made before ``moment``, if given) is a consent."""
    decision = ImageRightsDecision.alias("decision")
    later = ImageRightsDecision.alias("later")
    made, made_later = [], []
    if moment is not None:
        made, made_later = [decision.decided_at < moment], [later.decided_at < moment]
    return peewee.fn.EXISTS(
        decision.select(peewee.SQL("1")).where(
            decision.ambassador == Ambassador.id,
            decision.consented == True,  # noqa: E712 (SQL, not Python)
            *made,
            ~peewee.fn.EXISTS(
                later.select(peewee.SQL("1")).where(
                    later.ambassador == decision.ambassador, later.id > decision.id, *made_later
                )
            ),
        )
    )
