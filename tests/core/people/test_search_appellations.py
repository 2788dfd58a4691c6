"""Free-text search finds ambassadors by the ROME appellations of their code: the job
titles France Travail files under it ("Soudeur / Soudeuse TIG", "Braseur / Braseuse"...),
in either gender, a direct occupation match first."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tremplin.auth.models import Account
from tremplin.demo.generator import LOGIN_EMAILS
from tremplin.people import directory
from tremplin.people.models import Ambassador
from tremplin.testing import post_form
from tremplin.text import normalise

from .test_profile import FORM, owner_client
from .test_registration import STEPS, walk
from .test_search import search

# Read here with the csv module, apart from the code under test.
SHIPPED = "core/people/data/rome_appellations.csv"


def appellations_of(code: str) -> list[str]:
    """The appellations the shipped reference files under ``code``."""
    path = Path(__file__).resolve().parents[3] / SHIPPED
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return [row["libelle_appellation"] for row in csv.DictReader(lines) if row["code_rome"] == code]


@pytest.fixture
def teacher(people) -> Account:
    return people.educator()


def test_the_reference_holds_the_appellations_the_examples_rely_on():
    assert "Braseur / Braseuse" in appellations_of("H2913")
    assert "Soudeur / Soudeuse TIG" in appellations_of("H2913")
    assert "Chaudronnier-soudeur / Chaudronnière-soudeuse" in appellations_of("H2902")
    assert "Infirmier / Infirmière en soins généraux" in appellations_of("J1506")
    assert "Électricien / Électricienne du bâtiment" in appellations_of("F1602")


def test_an_appellation_of_the_rome_code_finds_the_ambassador(app, people, teacher):
    welder = people.ambassador("Soudeuse", rome_code="H2913")
    nurse = people.ambassador("Infirmière", rome_code="J1506")
    people.ambassador("Soudeur", sector="Industrie")  # no code: only their own words

    assert search(app, teacher, "braseur") == [welder.id]
    assert search(app, teacher, "Braseuse") == [welder.id]
    assert search(app, teacher, "soudeur tig") == [welder.id]
    assert search(app, teacher, "infirmier soins généraux") == [nurse.id]
    assert search(app, teacher, "IDE") == [nurse.id]


def test_an_appellation_word_finds_every_code_it_is_filed_under(app, people, teacher):
    welder = people.ambassador("Soudeuse", rome_code="H2913")
    boilermaker = people.ambassador("Tôlière", rome_code="H2902")  # Chaudronnier-soudeur
    uncoded = people.ambassador("Soudeur", sector="Industrie")

    expected = sorted([welder.id, boilermaker.id, uncoded.id])
    assert sorted(search(app, teacher, "soudeur")) == expected
    assert sorted(search(app, teacher, "soudeuse")) == expected
    assert search(app, teacher, "chaudronniere") == [boilermaker.id]


def test_the_small_words_of_an_appellation_find_nobody(app, people, teacher):
    electrician = people.ambassador("Électricienne", rome_code="F1602")  # "... du bâtiment"

    assert search(app, teacher, "batiment") == [electrician.id]
    assert search(app, teacher, "du") == []


def test_the_small_words_of_a_query_with_other_words_are_left_out(app, people, teacher):
    electrician = people.ambassador("Électricienne", rome_code="F1602")  # "... du bâtiment"
    driver = people.ambassador("Conducteur d'engins")

    assert search(app, teacher, "electricien du batiment") == [electrician.id]
    assert search(app, teacher, "conducteur de engins") == [driver.id]
    assert search(app, teacher, "de") == []  # alone, it is looked for


def test_a_direct_occupation_match_ranks_above_an_appellation_only_match(app, people, teacher):
    # Created first: by id or by solicitation alone, the appellation-only match would lead.
    by_appellation = people.ambassador("Tôlière", rome_code="H2902")
    inside = people.ambassador("Responsable d'atelier chaudronnerie et chaudronnier")
    starting = people.ambassador("Chaudronnière", rome_code="H2902")

    assert search(app, teacher, "chaudronnier") == [starting.id, inside.id, by_appellation.id]


def test_an_appellation_combines_with_the_other_filters(app, people, teacher):
    visitor = people.ambassador("Soudeur", rome_code="H2913", intervention_types=["company_visit"])
    people.ambassador("Soudeuse", rome_code="H2913", intervention_types=["class_talk"])

    assert search(app, teacher, "braseur", intervention_type="company_visit") == [visitor.id]


# The "done when", on a generated demo network


def demo_search(app, q: str | None, **filters) -> set[int]:
    """Every ambassador the demo's regional admin finds for ``q``, available or not."""
    with app.app_context():
        admin = Account.get(Account.email == LOGIN_EMAILS["admin"])
        results = directory.search(
            admin, directory.Filters(q=q, available=False, **filters), page_size=1000
        )
        return {profile.id for profile in results.items}


def occupations(app, ids: set[int]) -> set[str]:
    with app.app_context():
        return {row.occupation for row in Ambassador.select().where(Ambassador.id.in_(ids))}


def test_in_the_demo_each_form_finds_the_same_people_as_its_counterpart(
    reference_region, make_app, run_cli
):
    app = make_app(region=reference_region, plugins=["charter"])
    result = run_cli(app, "demo", "--no-serve", "--ambassadors", "300", "--interventions", "20")
    assert result.exit_code == 0, result.output

    soudeur, soudeuse = demo_search(app, "soudeur"), demo_search(app, "soudeuse")
    infirmier, infirmiere = demo_search(app, "infirmier"), demo_search(app, "infirmière")
    assert soudeur == soudeuse
    assert infirmier == infirmiere
    # Every welder (H2913) and boilermaker (H2902, "Chaudronnier-soudeur"), of either
    # gender, and every nurse (J1506); the demo has some of each.
    welders = demo_search(app, None, rome_code="H2913")
    boilermakers = demo_search(app, None, rome_code="H2902")
    nurses = demo_search(app, None, rome_code="J1506")
    assert welders
    assert boilermakers
    assert nurses
    assert welders | boilermakers <= soudeur
    assert nurses <= infirmier

    # An appellation that is no demo occupation: every welder coded H2913, nobody else.
    assert demo_search(app, "braseur") == demo_search(app, "braseuse") == welders
    assert not any(normalise(o).startswith("bras") for o in occupations(app, welders))


# The occupation field suggests the appellations and fills in the ROME code


def test_the_occupation_field_suggests_the_appellations_in_both_genders(app, people):
    ambassador = people.ambassador("Soudeuse")
    page = owner_client(app, ambassador).get(f"/ambassadeurs/{ambassador.id}/modifier").text

    field = re.search(r'<input type="text" id="field-occupation"[^>]*>', page).group(0)
    assert 'list="occupation-suggestions"' in field
    datalist = re.search(r'<datalist id="occupation-suggestions">.*?</datalist>', page, re.S)
    options = re.findall(r'<option value="([^"]*)">', datalist.group(0))
    assert {"Soudeur TIG", "Soudeuse TIG", "Braseuse", "Infirmière de nuit"} <= set(options)
    assert "Soudeur / Soudeuse TIG" not in options


def test_choosing_a_suggested_title_fills_in_an_empty_rome_code(app, people):
    ambassador = people.ambassador("Soudeuse")
    client = owner_client(app, ambassador)
    url = f"/ambassadeurs/{ambassador.id}/modifier"
    form = {**FORM, "rome_code": ""}

    assert post_form(client, url, {**form, "occupation": "soudeuse  tig"}).status_code == 302
    assert stored(app, ambassador) == ("soudeuse  tig", "H2913")

    # A code typed is kept; an occupation of one's own words gets none.
    post_form(client, url, {**form, "occupation": "Braseuse", "rome_code": "H2902"})
    assert stored(app, ambassador) == ("Braseuse", "H2902")
    post_form(client, url, {**form, "occupation": "Soudeuse sous-marine"})
    assert stored(app, ambassador) == ("Soudeuse sous-marine", None)


def test_the_registration_fills_in_the_rome_code_of_a_suggested_title(app, people):
    client = app.test_client()
    steps = {**STEPS, 3: {"occupation": "infirmière de nuit", "rome_code": "", "action": "next"}}

    assert walk(client, steps).headers["Location"].endswith("/inscription/merci")
    with app.app_context():
        ambassador = Ambassador.get(Ambassador.occupation == "infirmière de nuit")
        assert ambassador.rome_code == "J1506"


def stored(app, ambassador: Ambassador) -> tuple[str, str | None]:
    with app.app_context():
        row = Ambassador.get_by_id(ambassador.id)
        return row.occupation, row.rome_code
