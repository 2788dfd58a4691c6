"""The region's preparation kit, offered to the ambassador of each accepted intervention."""

from __future__ import annotations

import pytest

from tremplin.interventions import preparation, service
from tremplin.interventions.models import Intervention
from tremplin.people.models import Ambassador
from tremplin.testing import minimal_region

from .conftest import sign_in

KIT_FR = "## Les questions à préparer\n\n- Quel est votre parcours ?\n"
KIT_EN = "## Questions to prepare\n\n- What was your path?\n"


@pytest.fixture
def region_with_kit(tmp_path):
    folder = minimal_region(tmp_path / "region")
    (folder / "texts").mkdir()
    (folder / "texts" / "preparation.fr.md").write_text(KIT_FR, encoding="utf-8")
    (folder / "texts" / "preparation.en.md").write_text(KIT_EN, encoding="utf-8")
    (folder / "static").mkdir(exist_ok=True)
    (folder / "static" / "preparation-support.pdf").write_bytes(b"%PDF-1.4\n")
    return folder


@pytest.fixture
def kit_app(make_app, region_with_kit):
    return make_app(region=region_with_kit)


def account_of(network, ambassador):
    return network.run(lambda: Ambassador.get_by_id(ambassador.id).account)


def test_the_ambassador_finds_the_kit_on_an_accepted_intervention(kit_app, make_network):
    network = make_network(kit_app)
    educator = network.educator()
    baker = network.ambassador("Boulanger")
    request = network.request(educator, baker)
    ambassador = account_of(network, baker)
    page = f"/interventions/{request.id}"
    client = sign_in(kit_app.test_client(), ambassador)
    assert "/preparer-une-intervention" not in client.get(page).text  # not accepted yet

    network.run(service.accept, ambassador, request.id, {})
    assert "/preparer-une-intervention" in client.get(page).text
    school = sign_in(kit_app.test_client(), educator)
    assert "kit de préparation de la région" not in school.get(page).text


def test_the_kit_is_the_region_s_text_in_the_reader_s_language(kit_app, make_network):
    network = make_network(kit_app)
    client = sign_in(kit_app.test_client(), account_of(network, network.ambassador()))
    french = client.get("/preparer-une-intervention?lang=fr")
    assert french.status_code == 200
    assert "<h2>Les questions à préparer</h2>" in french.text
    assert "preparation-support.pdf" in french.text
    english = client.get("/preparer-une-intervention?lang=en")
    assert "<h2>Questions to prepare</h2>" in english.text


def test_the_kit_asks_to_sign_in(kit_app):
    answer = kit_app.test_client().get("/preparer-une-intervention")
    assert answer.status_code in {302, 401}


def test_without_a_kit_nothing_is_offered_and_the_page_says_so(app, network):
    educator = network.educator()
    baker = network.ambassador("Boulanger")
    request = network.request(educator, baker)
    ambassador = account_of(network, baker)
    network.run(service.accept, ambassador, request.id, {})
    assert not network.run(
        lambda: preparation.offered_for(ambassador, Intervention.get_by_id(request.id))
    )
    client = sign_in(app.test_client(), ambassador)
    assert "pas encore rédigé son kit" in client.get("/preparer-une-intervention").text


def test_the_reference_region_has_its_kit_in_french_and_english(reference_region):
    from tremplin.region import load_region

    region = load_region(reference_region, env={})
    french = region.text("preparation", "fr")
    english = region.text("preparation", "en")
    assert "mixité des métiers" in french
    assert "handicap" in french
    assert "Neutralité" in french
    assert "Neutrality" in english
