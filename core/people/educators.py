"""Educators: the schools and support structures they join, and joining one.

An educator registers as a member of a school or support structure found by its UAI or
its name; the account is pending until the emailed link is used, like an ambassador's,
and the membership until a member of the school or a referent of its territory approves
it (``tremplin.auth.memberships``): until then the school's requests stay out of sight.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..auth import memberships, permissions
from ..auth import service as accounts
from ..auth.models import Account, Role
from ..db import database
from ..errors import NotFound
from ..i18n import _
from ..organisations import service as organisations
from ..organisations.models import EDUCATIONAL_KINDS, Organisation
from ..validation import validated
from .registration import check_email_free
from .schemas import EducatorSchema
from .service import new_account


def find_schools(text: str, limit: int = 20) -> list[Organisation]:
    """Schools and support structures matching ``text``: UAI, words of the name, city..."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    kinds = [kind.value for kind in EDUCATIONAL_KINDS]
    return list(organisations.search(q=text, kind=kinds).limit(limit))


def get_school(organisation_id: int) -> Organisation:
    """The school or support structure with this id; raise ``NotFound`` otherwise."""
    organisation = Organisation.get_or_none(
        Organisation.id == organisation_id,
        Organisation.kind.in_([kind.value for kind in EDUCATIONAL_KINDS]),
    )
    if organisation is None:
        raise NotFound(_("No school or support structure has this number."))
    return organisation


def schools_of(account: Account | None) -> list[Organisation]:
    """The schools and structures ``account`` is an educator of, by name."""
    return list(
        Organisation.select()
        .where(Organisation.id.in_(list(permissions.organisations_of(account, Role.EDUCATOR))))
        .order_by(Organisation.name)
    )


def register_educator(organisation_id: int, raw: Mapping[str, Any], locale: str = "fr") -> Account:
    """A pending educator account, member of a school or support structure; send activation."""
    organisation = get_school(organisation_id)
    data = validated(EducatorSchema, raw)
    check_email_free(data["email"])
    with database.atomic():
        account = new_account(data, locale)
        memberships.ask_to_join(account, Role.EDUCATOR, organisation)
        accounts.send_activation(account)
    return account
