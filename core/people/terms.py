"""Conditions an ambassador accepts while registering: what a plugin shows on the last step.

A plugin answers the ``registration_terms`` hook with ``RegistrationTerms`` (the charter of
the network, for example); the registration shows each text with a box to tick, refuses to
create the account until every box is ticked for the version shown, and tells the plugin
what was accepted through ``ambassador_registered``.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class RegistrationTerms:
    """One text to accept at registration, as a plugin shows it.

    ``key`` names it within the registration (letters, digits and ``_``: the box is the
    field ``accept_<key>``); ``version`` is the version shown, which the box sends back;
    ``title`` and ``html`` (``Markup``, or text shown as text) are what the person reads;
    ``language`` is the language the text is written in, when it is not the page's.
    """

    key: str
    version: str
    title: str
    html: Markup | str
    language: str | None = None

    @property
    def field(self) -> str:
        """The name of the box to tick in the form."""
        return f"accept_{self.key}"
