"""The directory finds an occupation however it is written: masculine or feminine, singular
or plural, accents and case aside, and its sector filter reads sectors the same way."""

from __future__ import annotations

import pytest

from tremplin.text import masculine_form, normalise, with_masculine_forms

from .conftest import sign_in


def found(client, query: str) -> list[int]:
    response = client.get(f"/api/v1/ambassadors/?{query}")
    assert response.status_code == 200, response.json
    return sorted(item["id"] for item in response.json)


# Pairs from "Femme, j'écris ton nom…" (CNRS-INaLF, 1999), "Règles de féminisation", and
# from the Académie française's report of 2019 for the -eure forms.
@pytest.mark.parametrize(
    ("feminine", "masculine"),
    [
        ("Soudeuse", "Soudeur"),
        ("Vendeuse", "Vendeur"),
        ("Animatrice", "Animateur"),
        ("Agricultrice", "Agriculteur"),
        ("Infirmière", "Infirmier"),
        ("Cuisinière", "Cuisinier"),
        ("Boulangère", "Boulanger"),
        ("Conseillère", "Conseiller"),
        ("Technicienne", "Technicien"),
        ("Chirurgienne", "Chirurgien"),
        ("Patronne", "Patron"),
        ("Hôtesse", "Hôte"),
        ("Sportive", "Sportif"),
        ("Employée", "Employé"),
        ("Déléguée", "Délégué"),
        ("Assistante", "Assistant"),
        ("Présidente", "Président"),
        ("Avocate", "Avocat"),
        ("Commerciale", "Commercial"),
        ("Professeure", "Professeur"),
        ("Ingénieure", "Ingénieur"),
        ("Cheffe", "Chef"),
    ],
)
def test_a_feminine_occupation_name_has_the_masculine_form_as_its_key(feminine, masculine):
    assert masculine_form(normalise(feminine)) == normalise(masculine)
    assert masculine_form(normalise(masculine)) == normalise(masculine)


@pytest.mark.parametrize(
    ("plural", "singular"),
    [("soudeuses", "soudeur"), ("infirmiers", "infirmier"), ("generaux", "general")],
)
def test_a_plural_is_read_as_its_singular(plural, singular):
    assert masculine_form(plural) == singular


@pytest.mark.parametrize("word", ["comptable", "architecte", "electricien", "plombier", "ss"])
def test_epicene_and_masculine_words_are_left_as_they_are(word):
    assert masculine_form(word) == word


def test_the_search_text_keeps_the_words_and_adds_the_missing_masculine_forms():
    assert with_masculine_forms("aide soignante") == "aide soignante soignant"
    assert with_masculine_forms("soudeur") == "soudeur"


@pytest.fixture
def teacher(app, people):
    school = people.school(latitude=50.62, longitude=3.14)
    return sign_in(app.test_client(), people.educator(school))


def test_soudeur_finds_the_soudeuses_and_soudeuse_the_soudeurs(app, people, teacher):
    her = people.ambassador("Soudeuse")
    him = people.ambassador("Soudeur TIG")
    people.ambassador("Électricienne")
    assert found(teacher, "q=soudeur") == sorted([her.id, him.id])
    assert found(teacher, "q=Soudeuse") == sorted([her.id, him.id])
    assert found(teacher, "q=SOUDEUSES") == sorted([her.id, him.id])


def test_infirmiere_finds_every_nurse(app, people, teacher):
    nurses = [
        people.ambassador("Infirmière"),
        people.ambassador("Infirmier"),
        people.ambassador("Infirmière de bloc opératoire"),
        people.ambassador("infirmier anesthésiste"),
        people.ambassador("INFIRMIÈRE PUÉRICULTRICE"),
    ]
    people.ambassador("Aide-soignante")
    expected = sorted(nurse.id for nurse in nurses)
    assert found(teacher, "q=infirmière") == expected
    assert found(teacher, "q=infirmier") == expected
    assert found(teacher, "q=Infirmieres") == expected


def test_several_words_in_either_form_all_match(app, people, teacher):
    welder = people.ambassador("Technicienne de maintenance", sector="Industrie")
    people.ambassador("Technicien de laboratoire", sector="Santé")
    assert found(teacher, "q=technicien maintenance") == [welder.id]


def test_the_sector_filter_ignores_accents_and_case(app, people, teacher):
    builder = people.ambassador("Maçonne", sector="Bâtiment")
    people.ambassador("Boulanger", sector="Alimentation")
    for spelling in ("Bâtiment", "batiment", "BATIMENT", "bâtiment"):
        assert found(teacher, f"sector={spelling}") == [builder.id], spelling
