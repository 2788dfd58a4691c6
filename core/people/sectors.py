"""The sectors of activity: one list, offered at registration, on the profile and in the
directory's filter, so that what an ambassador chooses is what a teacher filters on.

The list is the usual sectors of the network's occupations, plus any other sector an
ambassador of the directory already has (set by an import, the API or an earlier
version), written as they are stored. Sectors are compared without accents or case, as
the directory's filter compares them.
"""

from __future__ import annotations

from ..i18n import _
from ..text import normalise
from . import directory

# The sectors of the network's occupations, as they are stored and shown (in French, the
# language of the data: the directory filters on these words).
SECTORS = (
    "Agriculture et environnement",
    "Automobile et mobilités",
    "Banque et assurance",
    "Bâtiment et travaux publics",
    "Chimie et biologie",
    "Commerce et artisanat",
    "Communication et culture",
    "Énergie",
    "Enseignement et formation",
    "Gestion et administration",
    "Hôtellerie et restauration",
    "Industrie",
    "Numérique",
    "Santé",
    "Sécurité et défense",
    "Social et services à la personne",
    "Tourisme et sport",
    "Transport et logistique",
)


def sector_choices() -> list[str]:
    """The sectors to choose from, in alphabetical order (accents aside): the usual list
    and the other sectors of the directory's ambassadors."""
    chosen = {normalise(sector): sector for sector in SECTORS}
    for sector in directory.sectors():
        chosen.setdefault(normalise(sector), sector)
    return sorted(chosen.values(), key=normalise)


def check_sector(sector: str | None) -> dict[str, list[str]]:
    """An error on ``sector`` when it is not one of ``sector_choices`` (none when empty)."""
    if not sector or normalise(sector) in {normalise(s) for s in sector_choices()}:
        return {}
    return {"sector": [_("Choose a sector of the list, or none.")]}
