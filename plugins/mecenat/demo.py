"""The plugin's part of ``tremplin demo``: the region's partnership charter in force.

The demo's companies and ambassadors are the core's; this adds the first version of the
partnership charter so that partner managers of the demo can commit and sign.
"""

from __future__ import annotations

from tremplin import clock

from .models import CharterVersion

DEMO_TEXT = """## Article 1 — Objet

L'organisation soutient le réseau des ambassadeurs des métiers.

## Article 2 — Engagements

Elle mobilise des salariés ambassadeurs, des heures d'intervention, accueille des visites
et des stages de découverte.
"""


def populate(demo) -> None:
    """Publish a partnership charter in force since the demo's start, unless one exists."""
    if CharterVersion.select().exists():
        return
    demo.insert(
        CharterVersion,
        {
            "version": "demo-1",
            "title": "Charte de partenariat",
            "text": DEMO_TEXT,
            "effective_on": demo.today.replace(month=1, day=1),
            "published_at": clock.now(),
        },
    )
