"""The plugin's part of ``tremplin demo``: a few companies of the demo offer internships.

Each of the first companies of the demo publishes an offer for 3e pupils in its territory,
with the occupation of one of the demo's ambassadors; one in three is highlighted. No
pupil is invented: placements are made by the demo's teachers.
"""

from __future__ import annotations

import datetime

from tremplin.organisations.models import Organisation, OrganisationKind

from . import search
from .models import Offer

OFFERS = 8


def populate(demo) -> None:
    """Offers of internships of the demo's first companies, unless some exist."""
    if Offer.select().exists():
        return
    demo.flush()
    companies = list(
        Organisation.select()
        .where(Organisation.kind == OrganisationKind.COMPANY, Organisation.territory.is_null(False))
        .order_by(Organisation.id)
        .limit(OFFERS)
    )
    occupations = [a.occupation for a in demo.ambassadors[: len(companies)]] or ["Technicien"]
    for number, company in enumerate(companies):
        occupation = occupations[number % len(occupations)]
        place = company.city or company.name
        demo.insert(
            Offer,
            {
                "host": company.id,
                "territory": company.territory_id,
                "occupation": occupation,
                "place": place,
                "levels": "3e 4e",
                "first_day": demo.today,
                "last_day": demo.today + datetime.timedelta(days=240),
                "places": 1 + number % 3,
                "activities": "Découverte des métiers de l'entreprise, observation aux côtés "
                "d'un tuteur, échanges avec les équipes.",
                "internal_rules_allow": True,
                "safety_rules": "Chaussures de sécurité fournies ; pas d'accès aux ateliers.",
                "search_text": search.search_text(occupation, place, company.name),
                "highlighted_at": demo.now if number % 3 == 0 else None,
                "created_at": demo.now,
            },
        )
    demo.flush()
