"""The Hauts-de-France reference region: its territory tree with the Nord's two areas, its
texts in French and English, its accessibility statement, its colours and logo, and no
real person's contact details anywhere in the folder."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REFERENCE_REGION = Path(__file__).resolve().parents[2] / "examples" / "hauts-de-france"
METROPOLE_FLANDRE = {
    "Lille Est",
    "Lille Ouest",
    "Lille Centre",
    "Roubaix Tourcoing",
    "Dunkerque Flandre",
}
HAINAUT_CAMBRESIS = {"Cambrésis", "Douaisis", "Valenciennois", "Sambre Avesnois"}

EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
# French numbers (06 12 34 56 78, 03.20.00.00.00, +33 3 20...) and the short ones (3939).
PHONE = re.compile(r"(?<![\w.,])(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)|\b3\d{3}\b")


@pytest.fixture
def hdf(reference_region, make_app, run_cli):
    app = make_app(plugins=["charter"], region=reference_region)
    result = run_cli(app, "region", "load")
    assert result.exit_code == 0, result.output
    return app


def tree(client):
    return {t["code"]: t for t in client.get("/api/v1/territories/?page_size=100").json}


def test_the_territory_tree_has_the_nords_two_areas(hdf):
    territories = tree(hdf.test_client())
    by_kind = {}
    for territory in territories.values():
        by_kind.setdefault(territory["kind"], set()).add(territory["code"])
    assert by_kind["region"] == {"hdf"}
    assert by_kind["academy"] == {"ac-lille", "ac-amiens"}
    assert by_kind["department"] == {"02", "59", "60", "62", "80"}
    assert by_kind["area"] == {"area-59-metropole-flandre", "area-59-hainaut-cambresis"}
    for area in by_kind["area"]:
        assert territories[area]["parent"] == "59"
        assert territories[area]["latitude"] is not None
        assert territories[area]["longitude"] is not None

    def basins_under(parent):
        return {t["name"] for t in territories.values() if t["parent"] == parent}

    assert basins_under("area-59-metropole-flandre") == METROPOLE_FLANDRE
    assert basins_under("area-59-hainaut-cambresis") == HAINAUT_CAMBRESIS
    assert territories["area-59-hainaut-cambresis"]["name"] == (
        "Nord – Hainaut, Douaisis et Cambrésis"
    )
    nord_direct = {t["kind"] for t in territories.values() if t["parent"] == "59"}
    assert nord_direct == {"area"}
    for department in ("02", "60", "62", "80"):
        children = [t for t in territories.values() if t["parent"] == department]
        assert children
        assert {t["kind"] for t in children} == {"basin"}


def test_the_home_page_presents_the_programme_in_french_and_english(hdf):
    client = hdf.test_client()
    french = client.get("/").text
    assert "<h2>Qui fait vivre le réseau ?</h2>" in french
    assert "deux dans le Nord" in french
    assert "Accessibilité : partiellement conforme" in french
    english = client.get("/?lang=en").text
    assert "<h2>Who keeps the network going?</h2>" in english
    assert "two in the Nord" in english
    assert "deux dans le Nord" not in english


def test_the_accessibility_statement_says_partially_compliant_and_how_to_report(hdf):
    client = hdf.test_client()
    french = client.get("/accessibilite").text
    assert "partiellement conforme" in french
    assert "<h2>Signaler un problème</h2>" in french
    assert 'href="mailto:accessibilite@example.org"' in french
    assert "Défenseur des droits" in french
    english = client.get("/accessibilite?lang=en").text
    assert "partially compliant" in english
    assert "<h2>Recourse</h2>" in english


def test_the_stylesheet_and_logo_are_served_and_linked(hdf):
    client = hdf.test_client()
    page = client.get("/").text
    assert '<link rel="stylesheet" href="/region/region.css">' in page
    assert '<img class="site-logo" src="/region/logo.svg" alt="Proch&#39;Orientation">' in page
    css = client.get("/region/region.css")
    assert (css.status_code, css.mimetype) == (200, "text/css")
    assert "--brand:" in css.text
    logo = client.get("/region/logo.svg")
    assert (logo.status_code, logo.mimetype) == (200, "image/svg+xml")
    title = ET.fromstring(logo.data).find("{http://www.w3.org/2000/svg}title")
    assert title is not None
    assert title.text == "Proch'Orientation"


@pytest.mark.parametrize(
    "path",
    [
        "/region/%2e%2e/tremplin.toml",
        "/region/..%2ftremplin.toml",
        "/region/%2e%2e/data/territories.csv",
        "/region/%2e%2e/texts/home.fr.md",
        "/region/nothing.css",
    ],
)
def test_nothing_outside_static_is_served(hdf, path):
    assert hdf.test_client().get(path).status_code == 404


def contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        digits = colour.lstrip("#")
        if len(digits) == 3:
            digits = "".join(2 * digit for digit in digits)
        channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(first), luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_regions_colours_keep_wcag_aa_contrast():
    css = (REFERENCE_REGION / "static" / "region.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", css))
    white = "#fff"
    assert contrast(colours["--brand"], white) >= 4.5
    assert contrast(colours["--brand-contrast"], colours["--brand"]) >= 4.5
    for text in ("--header-ink", "--header-link"):
        assert contrast(colours[text], colours["--header-background"]) >= 4.5
    assert contrast(colours["--focus"], white) >= 3


def test_the_folder_holds_no_real_email_address_or_phone_number():
    files = [
        path
        for path in REFERENCE_REGION.rglob("*")
        if path.is_file() and "instance" not in path.relative_to(REFERENCE_REGION).parts
    ]
    assert any(path.suffix == ".md" for path in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for domain in EMAIL.findall(text):
            assert domain == "example.org" or domain.endswith((".example.org", ".invalid")), (
                f"{path.name}: an address at {domain}"
            )
        assert not PHONE.findall(text), f"{path.name}: {PHONE.findall(text)}"
