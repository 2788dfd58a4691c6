"""Satisfaction surveys after an intervention that took place (charter article 7).

The survey is the feedback of each side: a mark from 1 to 5 and an optional comment
(``Feedback``, one per side and intervention). It is offered to the ambassador and to the
school side in the thanks for the intervention, through a signed link that expires after
``VALIDITY`` and works once (``SurveyInvitation``), and on the intervention's page. The
link opens the survey without signing in; a signed-in person other than the one it was
sent to is refused.

Nobody is sent a survey whom ``mail.may_contact(person, "survey")`` keeps from it: a
person who declined surveys in their notification settings (``SurveyRefusal``, answered
by this area's ``may_contact``), or whom a plugin keeps from them (objection, GDPR art. 21).
A person withdraws their answer at any time on the intervention's page: it is deleted and
no longer counted in the key figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from .. import runtime
from ..auth.models import Account, AccountStatus
from ..clock import now
from ..db import database
from ..errors import Conflict, Invalid, NotAllowed, NotFound
from ..i18n import _
from ..mail import service as mail
from ..validation import validated
from . import access, schemas
from .models import Feedback, Intervention, Side, Status, SurveyInvitation, SurveyRefusal

SALT = "tremplin-survey"
VALIDITY = datetime.timedelta(days=30)


# Who may be asked


def refuses_surveys(account: Account) -> bool:
    """Whether ``account`` asked not to be sent surveys."""
    return SurveyRefusal.select().where(SurveyRefusal.account == account.id).exists()


def choose_surveys(account: Account, accepted: bool) -> None:
    """Record whether ``account`` accepts surveys (they do until they decline)."""
    with database.atomic():
        if accepted:
            SurveyRefusal.delete().where(SurveyRefusal.account == account.id).execute()
        else:
            SurveyRefusal.insert(
                account=account.id, refused_at=now()
            ).on_conflict_ignore().execute()


# Invitations and their links


def invite(intervention: Intervention, account: Account) -> str | None:
    """The token of ``account``'s survey link about ``intervention``, recording the
    invitation; ``None`` when ``may_contact`` keeps surveys from them.

    Call it inside the transaction that sends the thanks.
    """
    if not mail.may_contact(account, mail.SURVEY):
        return None
    invitation = SurveyInvitation.get_or_none(
        SurveyInvitation.intervention == intervention.id, SurveyInvitation.account == account.id
    )
    if invitation is None:
        moment = now()
        invitation = SurveyInvitation.create(
            intervention=intervention.id,
            account=account.id,
            sent_at=moment,
            expires_at=moment + VALIDITY,
        )
    return _serializer().dumps({"s": invitation.id, "a": account.id})


def invitation_for_link(token: str) -> SurveyInvitation:
    """The invitation of a survey link; raise ``Invalid`` on ``token`` when the link is
    forged, expired, already used, or its person can no longer answer."""
    try:
        data = _serializer().loads(token)
        invitation_id, account_id = int(data["s"]), int(data["a"])
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise Invalid({"token": [_("This link is not valid.")]}) from error
    invitation = SurveyInvitation.get_or_none(
        SurveyInvitation.id == invitation_id, SurveyInvitation.account == account_id
    )
    if invitation is None or invitation.account.status != AccountStatus.ACTIVE:
        raise Invalid({"token": [_("This link is not valid.")]})
    if invitation.used_at is not None:
        raise Invalid({"token": [_("This survey has already been answered with this link.")]})
    if now() >= invitation.expires_at:
        raise Invalid({"token": [_("This survey link has expired.")]})
    return invitation


def answer_by_link(
    token: str, raw: Mapping[str, Any], signed_in: Account | None = None
) -> Feedback:
    """Record the answer given through a survey link, which is then used up.

    ``signed_in`` is whoever is signed in on the browser, if anybody: another person than
    the one the link was sent to is refused.
    """
    invitation = invitation_for_link(token)
    if signed_in is not None and signed_in.id != invitation.account_id:
        raise NotAllowed(_("This survey was sent to someone else."))
    account = invitation.account
    intervention = invitation.intervention
    side = _side_of(account, intervention)
    data = validated(schemas.FeedbackSchema, raw)
    with database.atomic():
        used = (
            SurveyInvitation.update(used_at=now())
            .where(SurveyInvitation.id == invitation.id, SurveyInvitation.used_at.is_null())
            .execute()
        )
        if not used:
            raise Invalid({"token": [_("This survey has already been answered with this link.")]})
        return save_answer(intervention.id, side, account, data["rating"], data["comment"])


# Answers


def save_answer(
    intervention_id: int, side: Side, author: Account | None, rating: int, comment: str
) -> Feedback:
    """Record one side's answer, replacing that side's earlier one; the author's survey
    link, if they had one, is used up with it. Call it inside a transaction."""
    Feedback.delete().where(
        Feedback.intervention == intervention_id, Feedback.side == side
    ).execute()
    if author is not None:
        SurveyInvitation.update(used_at=now()).where(
            SurveyInvitation.intervention == intervention_id,
            SurveyInvitation.account == author.id,
            SurveyInvitation.used_at.is_null(),
        ).execute()
    return Feedback.create(
        intervention=intervention_id,
        side=side,
        author=author.id if author else None,
        rating=rating,
        comment=comment,
    )


def own_answer(account: Account | None, intervention_id: int) -> Feedback | None:
    """The answer ``account`` gave about the intervention, if any."""
    if account is None:
        return None
    return Feedback.get_or_none(
        Feedback.intervention == intervention_id, Feedback.author == account.id
    )


def withdraw(account: Account | None, intervention_id: int) -> None:
    """Delete the answer ``account`` gave about the intervention; raise ``NotFound`` if none."""
    if account is None:
        raise NotFound(_("You gave no answer about this intervention."))
    with database.atomic():
        deleted = (
            Feedback.delete()
            .where(Feedback.intervention == intervention_id, Feedback.author == account.id)
            .execute()
        )
    if not deleted:
        raise NotFound(_("You gave no answer about this intervention."))


# Personal data


def personal_data(person: Account) -> dict[str, Any]:
    """The person's survey answers, the surveys sent to them and their choice about them."""
    # Thousands for an active ambassador: tuples of the columns given, not model instances.
    answers = [
        {
            "intervention": intervention,
            "side": side,
            "rating": rating,
            "comment": comment,
            "answered_at": at.isoformat(),
        }
        for intervention, side, rating, comment, at in Feedback.select(
            Feedback.intervention,
            Feedback.side,
            Feedback.rating,
            Feedback.comment,
            Feedback.created_at,
        )
        .where(Feedback.author == person.id)
        .order_by(Feedback.created_at, Feedback.id)
        .tuples()
    ]
    sent = [
        {
            "intervention": intervention,
            "sent_at": sent_at.isoformat(),
            "expires_at": expires_at.isoformat(),
            "used_at": used_at.isoformat() if used_at else None,
        }
        for intervention, sent_at, expires_at, used_at in SurveyInvitation.select(
            SurveyInvitation.intervention,
            SurveyInvitation.sent_at,
            SurveyInvitation.expires_at,
            SurveyInvitation.used_at,
        )
        .where(SurveyInvitation.account == person.id)
        .order_by(SurveyInvitation.id)
        .tuples()
    ]
    data: dict[str, Any] = {}
    if answers:
        data[_("Survey answers")] = answers
    if sent:
        data[_("Surveys sent to you")] = sent
    if refuses_surveys(person):
        data[_("Surveys")] = _("You asked not to be sent surveys.")
    return data


def erase(person: Account) -> None:
    """Forget the person's surveys: their comments are emptied and no longer theirs (the
    marks stay in the figures, anonymous); their invitations and choice go."""
    Feedback.update(comment="", author=None).where(Feedback.author == person.id).execute()
    SurveyInvitation.delete().where(SurveyInvitation.account == person.id).execute()
    SurveyRefusal.delete().where(SurveyRefusal.account == person.id).execute()


def _side_of(account: Account, intervention: Intervention) -> Side:
    if intervention.status != Status.COMPLETED:
        raise Conflict(_("Feedback comes once the intervention is completed."))
    if access.is_ambassador_of(account, intervention):
        return Side.AMBASSADOR
    if access.is_school_side(account, intervention):
        return Side.SCHOOL
    raise NotAllowed(_("Only the ambassador and the school give feedback."))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(runtime.current().region.secret_key, salt=SALT)
