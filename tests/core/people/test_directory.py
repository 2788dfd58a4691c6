"""The directory: educational teams find visible, available ambassadors near their school."""

from __future__ import annotations

import json
import logging

import pytest

from tremplin.auth.models import Account, AccountStatus, Role, RoleGrant
from tremplin.clock import today
from tremplin.people import directory, holds
from tremplin.testing import client_of


def found(client, query: str = "") -> list[int]:
    response = client.get(f"/api/v1/ambassadors/?{query}")
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json]


@pytest.fixture
def teacher_client(app, people):
    """An educator of a lycée in Lille Est (Nord), signed in."""
    school = people.school(latitude=50.62, longitude=3.14)
    return client_of(app, people.educator(school)), school


def test_free_text_ignores_accents_and_case(app, people, teacher_client):
    client, _school = teacher_client
    welder = people.ambassador("Soudeuse")
    electrician = people.ambassador("Électricien du bâtiment", sector="Bâtiment")
    people.ambassador("Infirmier")

    assert found(client, "q=SOUDEUSE") == [welder.id]
    assert found(client, "q=electricien") == [electrician.id]
    assert found(client, "q=batiment electricien") == [electrician.id]
    assert found(client, "q=%C3%A9LECTRICIEN") == [electrician.id]
    assert found(client, "q=BATIMENT") == [electrician.id]


def test_relevance_exact_rome_code_then_starting_with_then_containing(app, people, teacher_client):
    client, _school = teacher_client
    containing = people.ambassador("Technicienne en soudure", sector="Industrie")
    starting = people.ambassador("Soudure à l'arc", sector="Industrie")
    exact = people.ambassador("Chaudronnier", rome_code="H2902", sector="Soudure")
    assert found(client, "q=soudure") == [starting.id, containing.id, exact.id]
    assert found(client, "q=h2902") == [exact.id]
    assert found(client, "rome_code=H2902") == [exact.id]


def test_filters_on_intervention_type_mode_and_sector(app, people, teacher_client):
    client, _school = teacher_client
    talker = people.ambassador("Boulanger", sector="Alimentation")
    visitor = people.ambassador(
        "Pâtissière",
        sector="Alimentation",
        intervention_types=["company_visit", "forum"],
        modes=["on_site", "remote"],
    )
    remote = people.ambassador("Développeuse", sector="Numérique", modes=["remote"])

    assert found(client, "intervention_type=company_visit") == [visitor.id]
    assert sorted(found(client, "mode=remote")) == [visitor.id, remote.id]
    assert sorted(found(client, "mode=on_site")) == [talker.id, visitor.id]
    assert sorted(found(client, "sector=Alimentation")) == [talker.id, visitor.id]


def test_a_zone_covers_the_school_when_it_is_the_school_s_territory_or_above_it(
    app, people, teacher_client
):
    client, school = teacher_client
    nord = people.ambassador("Soudeuse", zones=["59"])
    region = people.ambassador("Soudeur", zones=["hdf"])
    basin = people.ambassador("Chaudronnière", zones=["bef-59-lille-est"])
    pas_de_calais = people.ambassador("Tuyauteur", zones=["62"])
    dunkerque = people.ambassador("Plombière", zones=["bef-59-dunkerque"])

    assert sorted(found(client, f"organisation={school.id}")) == [nord.id, region.id, basin.id]
    assert sorted(found(client, "territory=bef-59-dunkerque")) == [nord.id, region.id, dunkerque.id]
    assert sorted(found(client, "territory=62")) == [region.id, pas_de_calais.id]


def test_a_distance_around_home_covers_schools_within_reach_nearest_first(
    app, people, teacher_client
):
    client, school = teacher_client  # Lille Est: 50.62 N, 3.14 E
    # Arras is about 45 km from Lille Est, Dunkerque about 75 km.
    arras_50 = people.ambassador(
        "Carreleur", zones=["62"], home_territory="bef-62-arras", max_distance_km=50
    )
    arras_30 = people.ambassador(
        "Maçonne", zones=["62"], home_territory="bef-62-arras", max_distance_km=30
    )
    dunkerque_100 = people.ambassador(
        "Couvreur",
        zones=["bef-59-dunkerque"],
        home_territory="bef-59-dunkerque",
        max_distance_km=100,
    )
    lille_zone = people.ambassador("Peintre", zones=["bef-59-lille-est"])

    response = client.get(f"/api/v1/ambassadors/?organisation={school.id}")
    items = response.json
    assert [item["id"] for item in items] == [arras_50.id, dunkerque_100.id, lille_zone.id]
    assert 40 < items[0]["distance_km"] < 50
    assert 70 < items[1]["distance_km"] < 80
    assert items[2]["distance_km"] is None
    assert arras_30.id not in [item["id"] for item in items]


def test_only_available_ambassadors_unless_asked(app, people, teacher_client):
    client, _school = teacher_client
    available = people.ambassador("Soudeuse")
    full = people.ambassador("Soudeur", monthly_capacity=0)
    paused = people.ambassador("Soudeuse TIG", paused_until=today().isoformat())
    paused_before = people.ambassador("Soudeuse MIG", paused_until="2000-01-01")

    assert sorted(found(client, "q=soud")) == [available.id, paused_before.id]
    everyone = client.get("/api/v1/ambassadors/?q=soud&available=false").json
    assert sorted(item["id"] for item in everyone) == sorted(
        [available.id, full.id, paused.id, paused_before.id]
    )
    assert {item["id"]: item["available"] for item in everyone}[paused.id] is False


@pytest.mark.parametrize(
    "status", [AccountStatus.PENDING, AccountStatus.SUSPENDED, AccountStatus.DELETED]
)
def test_an_account_that_is_not_active_is_never_found(app, people, teacher_client, status):
    client, _school = teacher_client
    shown = people.ambassador("Soudeuse")
    hidden = people.ambassador("Soudeur", status=status)
    assert found(client, "q=soud") == [shown.id]
    assert client.get(f"/api/v1/ambassadors/{hidden.id}").status_code == 404
    assert client.get(f"/ambassadeurs/{hidden.id}").status_code == 404


def test_an_ambassador_with_a_hold_is_never_found(app, people, teacher_client):
    client, _school = teacher_client
    shown = people.ambassador("Soudeuse")
    held = people.ambassador("Soudeur")
    with app.app_context():
        holds.set_hold(held, "tremplin.people", "unsigned", "La charte n’est pas signée.")

    assert found(client, "q=soud") == [shown.id]
    assert found(client, "q=soud&available=false") == [shown.id]
    assert client.get(f"/api/v1/ambassadors/{held.id}").status_code == 404
    assert "Soudeur<" not in client.get("/ambassadeurs?q=soud").text

    with app.app_context():
        assert holds.release_hold(held, "tremplin.people", "unsigned") is True
    assert sorted(found(client, "q=soud")) == [shown.id, held.id]


def test_search_runs_the_same_queries_whatever_the_number_of_ambassadors(
    app, people, teacher_client, caplog
):
    client, school = teacher_client

    def queries_for_one_search() -> int:
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="peewee"):
            found(client, f"q=soud&organisation={school.id}&intervention_type=class_talk")
        return sum(1 for record in caplog.records if record.name == "peewee")

    def add(count: int) -> None:
        for _ in range(count):
            held = people.ambassador("Soudeuse", zones=["59", "hdf"])
            with app.app_context():
                holds.set_hold(held, "tremplin.people", "unsigned", "Charte")
            people.ambassador("Soudeur", intervention_types=["class_talk", "forum"])

    add(3)
    few = queries_for_one_search()
    add(20)
    assert queries_for_one_search() == few


def test_results_are_paginated(app, people, teacher_client):
    client, _school = teacher_client
    ids = [people.ambassador(f"Soudeuse {number}").id for number in range(5)]
    response = client.get("/api/v1/ambassadors/?q=soudeuse&page=2&page_size=2")
    assert [item["id"] for item in response.json] == ids[2:4]
    assert '"total": 5' in response.headers["X-Pagination"]

    page = client.get("/ambassadeurs?q=soudeuse&page=3").text
    assert "5 ambassadeurs trouvés" in page


def test_a_page_past_the_last_one_is_empty_but_still_tells_the_number_of_matches(
    app, people, teacher_client
):
    client, _school = teacher_client
    for number in range(3):
        people.ambassador(f"Soudeuse {number}")
    response = client.get("/api/v1/ambassadors/?q=soudeuse&page=4&page_size=2")
    assert response.status_code == 200
    assert response.json == []
    assert '"total": 3' in response.headers["X-Pagination"]
    nothing = client.get("/api/v1/ambassadors/?q=boulanger")
    assert nothing.json == []
    assert '"total": 0' in nothing.headers["X-Pagination"]


def test_a_search_stops_at_the_cap_says_more_and_pages_up_to_it(
    app, people, teacher_client, monkeypatch
):
    client, _school = teacher_client
    welders = [people.ambassador(f"Soudeuse {number}").id for number in range(5)]
    monkeypatch.setattr(directory, "MATCHES_CAP", 3)

    first = client.get("/api/v1/ambassadors/?q=soudeuse&page_size=2")
    assert first.headers["X-Results-Capped"] == "true"
    assert json.loads(first.headers["X-Pagination"])["total"] == 3
    assert json.loads(first.headers["X-Pagination"])["total_pages"] == 2
    second = client.get("/api/v1/ambassadors/?q=soudeuse&page=2&page_size=2")
    assert len(second.json) == 1  # the page stops at the cap
    shown = [item["id"] for item in first.json + second.json]
    assert len(set(shown)) == 3
    assert set(shown) <= set(welders)
    # Among the matches found, the directory's order: never solicited, then by number.
    assert shown == sorted(shown)
    assert client.get("/api/v1/ambassadors/?q=soudeuse&page=3&page_size=2").json == []

    page = client.get("/ambassadeurs?q=soudeuse").text
    assert "Plus de 3 ambassadeurs trouvés" in page
    assert "Ajoutez un mot ou un filtre" in page
    assert "More than 3 ambassadors found" in client.get("/ambassadeurs?lang=en&q=soudeuse").text


def test_a_search_under_the_cap_says_so_and_counts_exactly(
    app, people, teacher_client, monkeypatch
):
    client, _school = teacher_client
    welders = [people.ambassador(f"Soudeuse {number}").id for number in range(3)]
    monkeypatch.setattr(directory, "MATCHES_CAP", 3)
    response = client.get("/api/v1/ambassadors/?q=soudeuse")
    assert response.headers["X-Results-Capped"] == "false"
    assert json.loads(response.headers["X-Pagination"])["total"] == 3
    assert [item["id"] for item in response.json] == welders
    assert "3 ambassadeurs trouvés" in client.get("/ambassadeurs?q=soudeuse").text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("rome_code=M18", "rome_code"),
        ("intervention_type=party", "intervention_type"),
        ("mode=hologram", "mode"),
        ("available=maybe", "available"),
        ("organisation=abc", "organisation"),
        ("page=0", "page"),
        ("territory=atlantis", "territory"),
        ("organisation=99999", "organisation"),
    ],
)
def test_bad_filters_are_refused_with_a_422_naming_the_field(
    app, people, teacher_client, query, field
):
    client, _school = teacher_client
    response = client.get(f"/api/v1/ambassadors/?{query}")
    assert response.status_code == 422
    assert field in response.json["errors"]["query"]


def test_the_search_page_shows_bad_filters_next_to_the_field(app, people, teacher_client):
    client, _school = teacher_client
    response = client.get("/ambassadeurs?rome_code=M18&q=soudeuse")
    assert response.status_code == 422
    assert "Un code ROME est une lettre suivie de quatre chiffres" in response.text
    assert 'value="soudeuse"' in response.text


def test_the_search_page_starts_from_the_educator_s_school(app, people, teacher_client):
    client, school = teacher_client
    people.ambassador("Soudeuse", zones=["59"])
    people.ambassador("Soudeur", zones=["62"])
    page = client.get("/ambassadeurs").text
    assert "1 ambassadeur trouvé" in page
    assert f"pour {school.name}" in page


def test_only_educators_referents_and_admins_search(app, people):
    ambassador = people.ambassador("Soudeuse")
    anonymous = app.test_client()
    assert anonymous.get("/api/v1/ambassadors/").status_code == 401
    assert anonymous.get(f"/api/v1/ambassadors/{ambassador.id}").status_code == 401
    assert anonymous.get("/ambassadeurs").status_code == 302

    other = people.ambassador("Boulanger")
    with app.app_context():
        client = client_of(app, Account.get_by_id(other.account_id))
    assert client.get("/api/v1/ambassadors/").status_code == 403
    assert client.get("/ambassadeurs").status_code == 403
    assert client.get(f"/api/v1/ambassadors/{ambassador.id}").status_code == 404

    for account in (people.referent("62"), people.admin()):
        assert found(client_of(app, account), "q=soudeuse") == [ambassador.id]


def test_the_public_profile_names_the_ambassador_by_first_name_and_initial(
    app, people, teacher_client
):
    client, _school = teacher_client
    ambassador = people.ambassador(
        "Soudeuse",
        first_name="Inès",
        last_name="Zadkine",
        sector="Industrie",
        rome_code="H2913",
        organisation_name="Chantiers du Nord",
        presentation="Je soude des coques de bateaux.",
        zones=["59", "62"],
        intervention_types=["class_talk", "company_visit"],
        modes=["on_site", "remote"],
    )
    assert client.get(f"/api/v1/ambassadors/{ambassador.id}").json == {
        "id": ambassador.id,
        "display_name": "Inès Z.",
        "kind": "professional",
        "occupation": "Soudeuse",
        "rome_code": "H2913",
        "sector": "Industrie",
        "organisation": "Chantiers du Nord",
        "intervention_types": ["class_talk", "company_visit"],
        "modes": ["on_site", "remote"],
        "zones": ["Nord", "Pas-de-Calais"],
        "presentation": "Je soude des coques de bateaux.",
        "available": True,
        "distance_km": None,
        "in_zone": None,  # a profile is not about a place
    }
    page = client.get(f"/ambassadeurs/{ambassador.id}").text
    assert "Inès Z. — Soudeuse" in page
    assert "Visite d’entreprise" in page
    assert "Modifier ce profil" not in page


def test_the_pages_speak_english_on_request(app, people, teacher_client):
    client, _school = teacher_client
    people.ambassador("Welder", zones=["59"])
    page = client.get("/ambassadeurs?lang=en&q=welder").text
    assert "Find an ambassador" in page
    assert "1 ambassador found" in page


def test_a_role_withdrawn_or_given_back_counts_from_the_next_request(app, people):
    # The roles are read with the session, once per request (``sessions.account_of``).
    teacher = people.educator()
    client = client_of(app, teacher)
    assert client.get("/api/v1/ambassadors/").status_code == 200

    with app.app_context():
        grants = RoleGrant.update(pending=True).where(
            RoleGrant.account == teacher.id, RoleGrant.role == Role.EDUCATOR
        )
        assert grants.execute() == 1
    assert client.get("/api/v1/ambassadors/").status_code == 403

    with app.app_context():
        RoleGrant.update(pending=False).where(RoleGrant.account == teacher.id).execute()
    assert client.get("/api/v1/ambassadors/").status_code == 200
