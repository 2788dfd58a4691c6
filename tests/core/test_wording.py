"""The words of the seed, the same on every page: "Mot de passe oublié" wherever the page
of that name is meant, a period chosen with words that read, and a neutral wording where
a French message speaks of one ambassador, whose gender it does not know."""

from __future__ import annotations

import re
from pathlib import Path

from tremplin.auth.models import AccountStatus
from tremplin.testing import Network, client_of

ROOT = Path(__file__).resolve().parent.parent.parent
FRENCH_CATALOGS = sorted(
    [
        *ROOT.glob("core/translations/fr/LC_MESSAGES/*.po"),
        *ROOT.glob("plugins/*/translations/fr/LC_MESSAGES/*.po"),
    ]
)


def french_texts() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in FRENCH_CATALOGS)


def test_the_forgotten_password_page_has_one_name_everywhere():
    texts = french_texts()
    assert len(FRENCH_CATALOGS) > 3
    assert "passe perdu" not in texts.lower()
    assert "Mot de passe oublié ?" not in texts
    assert (
        "perdu" not in re.findall(r'msgstr "Un compte utilise déjà cette adresse[^"]*"', texts)[0]
    )


def test_the_pages_name_the_forgotten_password_link_as_it_reads(app):
    client = app.test_client()
    login = client.get("/connexion").text
    assert re.search(r'href="/mot-de-passe-oublie"[^>]*>Mot de passe oublié</a>', login)
    assert "« Mot de passe oublié »" in client.get("/inscription/merci").text


def test_the_statistics_period_reads_from_and_to(make_app, make_network):
    app = make_app()
    network = make_network(app)
    page = client_of(app, network.referent("59")).get("/statistiques").text
    assert "(date)" not in page
    assert "<legend>Ou une période de votre choix</legend>" in page
    assert re.search(r'<label for="field-debut">Du</label>', page)
    assert re.search(r'<label for="field-fin">Au \(inclus\)</label>', page)


def test_a_french_message_about_one_ambassador_does_not_guess_their_gender(app):
    people = Network(app)
    ambassador = people.ambassador("Soudeuse", status=AccountStatus.PENDING, gender="female")
    page = client_of(app, people.admin()).get(f"/ambassadeurs/{ambassador.id}/retenues").text
    assert "pas encore activé" in page
    assert "l’ambassadeur doit" not in page
    assert "cet ambassadeur" not in page.lower()


def test_the_registration_addresses_the_visitor_without_guessing_their_gender(app):
    client = app.test_client()
    page = client.get("/inscription/ambassadeur/etape-1").text
    assert "Devenir ambassadeur ou ambassadrice" in page
    assert "Quel profil vous correspond ?" in page
    assert "Quel ambassadeur êtes-vous" not in page


def french_translations() -> list[str]:
    """Every French translation of the catalogs, each entry's continued lines joined."""
    texts = []
    for path in FRENCH_CATALOGS:
        for block in re.findall(
            r'^msgstr(?:\[\d\])? ((?:"(?:[^"\\]|\\.)*"\n?)+)', path.read_text("utf-8"), re.M
        ):
            texts.append("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)))
    return texts


def test_no_french_message_calls_one_ambassador_by_the_masculine_alone():
    texts = french_translations()
    assert len(texts) > 1000
    assert any("l’ambassadeur ou l’ambassadrice" in text for text in texts)
    alone = [text for text in texts if re.search(r"[lL][’']ambassadeur(?! ou)", text)]
    assert alone == []
    assert not [text for text in texts if "qu’il a proposée" in text]


def test_the_request_form_speaks_of_the_ambassador_without_guessing_their_gender(app, network):
    ambassador = network.ambassador("Soudeuse")
    teacher = client_of(app, network.educator(network.school("Collège Jean Macé")))
    page = teacher.get(f"/interventions/demander?ambassadeur={ambassador.id}").text
    assert "Message pour l’ambassadeur ou l’ambassadrice (facultatif)" in page
