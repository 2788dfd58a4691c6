"""The charter accepted while registering: the text shown on the last step, and its record.

A new ambassador reads the version in force on the registration's last step and ticks the
seed's sentence ("J’ai pris connaissance des conditions ci-dessus et les accepte"); the
acceptance is recorded in the transaction that creates the account, so the charter is not
asked again once the account is active. A later version is accepted again, from the
charter's page, as for everyone.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from tremplin.auth.models import Account
from tremplin.people.models import Ambassador
from tremplin.people.terms import RegistrationTerms

from . import service, texts
from .requirements import current_version

KEY = "charter"


def terms() -> list[RegistrationTerms]:
    """The version of the charter in force, to accept at registration (none: nothing)."""
    version = current_version()
    if version is None:
        return []
    html = Markup(texts.to_html(version.text))  # CommonMark with raw HTML escaped
    # The charter is written in the region's language, French (as on the charter's page).
    return [
        RegistrationTerms(
            key=KEY, version=version.version, title=version.title, html=html, language="fr"
        )
    ]


def record(ambassador: Ambassador, accepted_terms: Mapping[str, str]) -> None:
    """Record that ``ambassador`` accepted the version of the charter named in
    ``accepted_terms``, when they accepted one."""
    label = accepted_terms.get(KEY)
    if label:
        service.accept(Account.get_by_id(ambassador.account_id), label)
