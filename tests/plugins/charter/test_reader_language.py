"""Done when: the reasons stored in one language are read in the reader's, and the dates
of the pages are written as each language writes them."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from tremplin import clock
from tremplin.testing import client_of

MONTHS_EN = "January February March April May June July August September October November December"
MOIS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"


def written_in_english(day) -> str:
    return f"{MONTHS_EN.split()[day.month - 1]} {day.day}, {day.year}"


def written_in_french(day) -> str:
    return f"{day.day} {MOIS_FR.split()[day.month - 1]} {day.year}"


def region_today() -> datetime.date:
    """Today in the test region's time zone (Paris), from the test clock (UTC)."""
    now = clock.now().replace(tzinfo=datetime.UTC)
    return now.astimezone(ZoneInfo("Europe/Paris")).date()


def test_a_reason_stored_in_french_is_read_in_english_with_an_english_date(app, net):
    ambassador = net.registered("Soudeuse", zones=["59"])  # holds stored in French
    referent = client_of(app, net.referent("59"))
    english = referent.get(f"/ambassadeurs/{ambassador.id}/retenues?lang=en").text
    assert "The charter (version 2025-1) is not accepted yet." in english
    assert "No extract of the criminal record has been provided yet." in english
    assert "n’est pas encore acceptée" not in english
    assert written_in_english(region_today()) in english

    listing = referent.get("/ambassadeurs/masques?lang=en").text
    assert "No extract of the criminal record has been provided yet." in listing
    assert "Aucun extrait" not in listing

    french = referent.get(f"/ambassadeurs/{ambassador.id}/retenues?lang=fr").text
    assert "La charte (version 2025-1) n’est pas encore acceptée." in french
    assert written_in_french(region_today()) in french
