"""An ambassador's profile: kept by the ambassador, their referents and admins."""

from __future__ import annotations

import datetime

import pytest

from tremplin.auth.models import Account
from tremplin.errors import Invalid, NotAllowed
from tremplin.people import service
from tremplin.people.models import Ambassador
from tremplin.testing import client_of, csrf_token_from, post_form

FORM = {
    "kind": "professional",
    "occupation": "Soudeuse TIG",
    "rome_code": "h2913",
    "sector": "Métallurgie",
    "organisation_name": "Chantiers du Nord",
    "presentation": "Je soude.",
    "intervention_types": ["class_talk", "forum"],
    "modes": ["remote"],
    "zones": ["62"],
    "home_territory": "",
    "max_distance_km": "",
    "monthly_capacity": "4",
    "paused_until": "",
}


def owner_client(app, ambassador: Ambassador):
    with app.app_context():
        return client_of(app, Account.get_by_id(ambassador.account_id))


def test_an_ambassador_changes_their_profile(app, people):
    ambassador = people.ambassador("Soudeuse", zones=["59"])
    client = owner_client(app, ambassador)
    assert (
        client.get("/mon-profil-ambassadeur")
        .headers["Location"]
        .endswith(f"/ambassadeurs/{ambassador.id}")
    )
    assert "Modifier ce profil" in client.get(f"/ambassadeurs/{ambassador.id}").text

    response = post_form(client, f"/ambassadeurs/{ambassador.id}/modifier", FORM)

    assert response.status_code == 302
    with app.app_context():
        changed = Ambassador.get_by_id(ambassador.id)
        assert (changed.occupation, changed.rome_code, changed.sector) == (
            "Soudeuse TIG",
            "H2913",
            "Métallurgie",
        )
        assert changed.search_text == "soudeuse tig metallurgie h2913 soudeur"
        assert (changed.on_site, changed.remote, changed.monthly_capacity) == (False, True, 4)
        assert [zone.territory.code for zone in changed.zones] == ["62"]
        assert sorted(offer.intervention_type for offer in changed.offers) == [
            "class_talk",
            "forum",
        ]
    assert "Le profil a été enregistré." in client.get(response.headers["Location"]).text


def test_the_edit_form_shows_errors_next_to_fields_and_keeps_what_was_typed(app, people):
    ambassador = people.ambassador("Soudeuse")
    client = owner_client(app, ambassador)
    response = post_form(
        client,
        f"/ambassadeurs/{ambassador.id}/modifier",
        {**FORM, "rome_code": "1234", "monthly_capacity": "-2", "occupation": "Soudeuse MIG"},
    )
    assert response.status_code == 422
    assert 'id="error-rome_code"' in response.text
    assert 'id="error-monthly_capacity"' in response.text
    assert 'value="Soudeuse MIG"' in response.text
    assert 'value="-2"' in response.text
    with app.app_context():
        assert Ambassador.get_by_id(ambassador.id).occupation == "Soudeuse"


def test_the_edit_form_starts_from_the_profile(app, people):
    ambassador = people.ambassador("Soudeuse", rome_code="H2913", zones=["59", "62"])
    page = owner_client(app, ambassador).get(f"/ambassadeurs/{ambassador.id}/modifier").text
    assert 'value="Soudeuse"' in page
    assert 'value="H2913"' in page
    assert 'name="zones" value="59" checked' in page
    assert 'name="zones" value="62" checked' in page
    assert 'value="class_talk" checked' in page


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("owner", True),
        ("referent of the basin", True),
        ("referent of the department", True),
        ("referent elsewhere", False),
        ("admin", True),
        ("educator", False),
        ("another ambassador", False),
    ],
)
def test_who_may_change_a_profile(app, people, who, allowed):
    ambassador = people.ambassador("Soudeuse", zones=["bef-59-lille-est"])
    accounts = {
        "referent of the basin": lambda: people.referent("bef-59-lille-est"),
        "referent of the department": lambda: people.referent("59"),
        "referent elsewhere": lambda: people.referent("62"),
        "admin": people.admin,
        "educator": people.educator,
    }
    if who == "owner":
        client = owner_client(app, ambassador)
    elif who == "another ambassador":
        client = owner_client(app, people.ambassador("Soudeur"))
    else:
        client = client_of(app, accounts[who]())
    form = client.get(f"/ambassadeurs/{ambassador.id}/modifier")
    assert form.status_code == (200 if allowed else 403)
    # A token of the session, from any form: refusal must come from the permission check.
    token = csrf_token_from(client, "/inscription/ambassadeur/etape-1")
    response = client.post(
        f"/ambassadeurs/{ambassador.id}/modifier", data={**FORM, "csrf_token": token}
    )
    assert response.status_code == (302 if allowed else 403)
    with app.app_context():
        occupation = Ambassador.get_by_id(ambassador.id).occupation
    assert occupation == ("Soudeuse TIG" if allowed else "Soudeuse")


def test_the_service_validates_and_keeps_what_is_not_changed(app, people):
    ambassador = people.ambassador("Soudeuse", sector="Industrie", monthly_capacity=3)
    with app.app_context():
        owner = Account.get_by_id(ambassador.account_id)
        pause = datetime.date(2031, 1, 31)
        changed = service.update_profile(ambassador, {"paused_until": pause.isoformat()}, owner)
        assert (changed.paused_until, changed.sector, changed.monthly_capacity) == (
            pause,
            "Industrie",
            3,
        )
        with pytest.raises(Invalid) as bad_code:
            service.update_profile(ambassador, {"rome_code": "M180"}, owner)
        assert list(bad_code.value.errors) == ["rome_code"]
        with pytest.raises(Invalid) as negative:
            service.update_profile(ambassador, {"monthly_capacity": -1}, owner)
        assert list(negative.value.errors) == ["monthly_capacity"]
        with pytest.raises(Invalid) as far_from_nowhere:
            service.update_profile(ambassador, {"zones": [], "max_distance_km": 20}, owner)
        assert list(far_from_nowhere.value.errors) == ["zones"]
        stranger = Account.get_by_id(people.ambassador("Soudeur").account_id)
        with pytest.raises(NotAllowed):
            service.update_profile(ambassador, {"occupation": "Pirate"}, stranger)
        assert Ambassador.get_by_id(ambassador.id).occupation == "Soudeuse"


def test_the_owner_sees_availability_settings_others_do_not(app, people):
    ambassador = people.ambassador("Soudeuse", monthly_capacity=7)
    own = owner_client(app, ambassador).get(f"/ambassadeurs/{ambassador.id}").text
    assert "Réglages de disponibilité" in own
    educator = client_of(app, people.educator())
    seen = educator.get(f"/ambassadeurs/{ambassador.id}").text
    assert "Réglages de disponibilité" not in seen
