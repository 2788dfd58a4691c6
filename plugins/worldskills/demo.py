"""The plugin's part of ``tremplin demo``: a regional selection ready to be marked.

A regional selection of the region (its territory the top of the tree) selecting for
national finals, with two skills and their marking schemes, and invented candidates: most
accepted, a few waiting for the referent, so that each page has something to show.
"""

from __future__ import annotations

import datetime

from tremplin.territories.models import Territory

from .models import (
    Aspect,
    AspectKind,
    Candidate,
    CandidateStatus,
    Competition,
    Level,
    Pathway,
    Skill,
)

FIRST_NAMES = ("Camille", "Noah", "Léa", "Yanis", "Inès", "Hugo", "Manon", "Rayan", "Zoé", "Lucas")
LAST_NAMES = ("Lefort", "Caron", "Dufour", "Lemaire", "Roussel", "Delattre", "Hennebert")
SKILLS = (
    (19, "Industrial Control", "I1309 H1208", "Industry"),
    (32, "Pâtisserie et confiserie", "D1104", "Food"),
)
SCHEME = (
    ("A", "Measurement", AspectKind.MEASUREMENT, 70),
    ("B", "Judgement", AspectKind.JUDGEMENT, 30),
)


def populate(demo) -> None:
    """A regional selection of next spring with two skills and about twenty candidates."""
    if Competition.select().exists():
        return
    region = Territory.get_or_none(Territory.parent.is_null())
    year = demo.today.year + 1
    national = demo.insert(
        Competition,
        {
            "name": "Finales nationales WorldSkills France",
            "level": Level.NATIONAL,
            "edition": "49e édition",
            "starts_on": datetime.date(year, 11, 10),
            "ends_on": datetime.date(year, 11, 14),
            "venues": "",
            "territory": None,
            "selects_for": None,
        },
    )
    regional = demo.insert(
        Competition,
        {
            "name": "Sélections régionales WorldSkills",
            "level": Level.REGIONAL,
            "edition": "49e édition",
            "starts_on": datetime.date(year, 3, 12),
            "ends_on": datetime.date(year, 3, 14),
            "venues": "Parc des expositions",
            "territory": region.id if region else None,
            "selects_for": national,
        },
    )
    demo.flush()
    for number, name, codes, sector in SKILLS:
        skill = demo.insert(
            Skill,
            {
                "competition": regional,
                "number": number,
                "name": name,
                "team": False,
                "max_age": 22,
                "rome_codes": codes,
                "sector": sector,
            },
        )
        demo.flush()
        for code, title, kind, max_mark in SCHEME:
            demo.insert(
                Aspect,
                {"skill": skill, "code": code, "title": title, "kind": kind, "max_mark": max_mark},
            )
        _candidates(demo, regional, skill, year)
    demo.flush()


def _candidates(demo, competition: int, skill: int, year: int) -> None:
    for number in range(10):
        first, last = demo.random.choice(FIRST_NAMES), demo.random.choice(LAST_NAMES)
        birth = datetime.date(year - 17 - demo.random.randrange(5), 1 + number, 10 + number)
        demo.insert(
            Candidate,
            {
                "competition": competition,
                "skill": skill,
                "first_name": first,
                "last_name": last,
                "identity": f"demo-{skill}-{number}",
                "birth_date": birth,
                "pathway": demo.random.choice(list(Pathway)),
                "status": CandidateStatus.PENDING if number < 2 else CandidateStatus.ACCEPTED,
                "consent_at": demo.now,
                "guardian_consent_at": demo.now,
                "guardian_name": "Responsable légal",
            },
        )
