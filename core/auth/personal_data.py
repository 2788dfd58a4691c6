"""A person's own data, as they download it from their account page (GDPR art. 15 and 20).

Every area and plugin says what it holds about the person through the ``personal_data``
hook; the download is their answers gathered in one JSON document.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from .. import runtime
from ..clock import now
from ..i18n import _
from .models import AccessToken, Account, RoleGrant, SignInSession


def of_account(person: Account) -> dict[str, Any]:
    """The auth area's answer: the account's details and roles, its sessions and its
    access tokens (their dates and names, never their secrets)."""
    grants = (
        RoleGrant.select()
        .where(RoleGrant.account == person.id)
        .order_by(RoleGrant.role, RoleGrant.id)
    )
    return {
        _("Account"): {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "phone": person.phone,
            "gender": person.gender,
            "locale": person.locale,
            "status": person.status,
            "created_at": _moment(person.created_at),
            "activated_at": _moment(person.activated_at),
            "last_login_at": _moment(person.last_login_at),
        },
        _("Roles"): [
            {
                "role": grant.role,
                "territory": grant.territory.name if grant.territory_id else None,
                "organisation": grant.organisation.name if grant.organisation_id else None,
                "pending": grant.pending,
            }
            for grant in grants
        ],
        _("Sign-in sessions"): [
            {"started_at": _moment(row.created_at), "last_used_at": _moment(row.last_seen_at)}
            for row in SignInSession.select()
            .where(SignInSession.account == person.id)
            .order_by(SignInSession.created_at, SignInSession.id)
        ],
        _("Access tokens for the API"): [
            {
                "name": row.name,
                "access": row.scope,
                "created_at": _moment(row.created_at),
                "expires_at": _moment(row.expires_at),
                "last_used_at": _moment(row.last_used_at),
            }
            for row in AccessToken.select()
            .where(AccessToken.account == person.id)
            .order_by(AccessToken.created_at, AccessToken.id)
        ],
    }


def gathered(person: Account) -> dict[str, Any]:
    """Everything the instance's areas and plugins hold about ``person``, by section."""
    sections: dict[str, Any] = {}
    for answer in runtime.hooks().personal_data(person=person):
        sections.update(answer)
    return {
        "exported_at": _moment(now()),
        "instance": runtime.current().region.name,
        "sections": sections,
    }


def as_json(person: Account) -> str:
    """``gathered(person)`` as indented JSON text (dates as ISO 8601)."""
    return json.dumps(gathered(person), ensure_ascii=False, indent=2, default=_json_value)


def _moment(value: datetime.datetime | None) -> str | None:
    """A stored UTC moment in ISO 8601 with its offset."""
    return value.replace(tzinfo=datetime.UTC).isoformat() if value else None


def _json_value(value: object) -> object:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)
