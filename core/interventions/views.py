"""Pages of interventions: request, answer, match, schedule, report; agendas and events."""

from __future__ import annotations

from flask import Blueprint

from ..auth.models import Account
from ..web.navigation import Link

blueprint = Blueprint("interventions", __name__, template_folder="templates")


def menu_links(user: Account | None) -> list[Link]:
    """The interventions area's entries of the main navigation, by role."""
    return []
