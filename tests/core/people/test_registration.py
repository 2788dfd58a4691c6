"""Ambassadors register in the seed's five steps; educators join their school."""

from __future__ import annotations

import json
import re

import pytest
from markupsafe import Markup

from tremplin import hookimpl
from tremplin.auth.models import Account, AccountStatus, Role, RoleGrant
from tremplin.mail.models import OutboxMessage
from tremplin.organisations.models import OrganisationKind
from tremplin.people.models import Ambassador, AmbassadorOffer, AmbassadorZone
from tremplin.people.terms import RegistrationTerms
from tremplin.testing import client_of, csrf_token_from, post_form

STEPS = {
    1: {"kind": "professional"},
    2: {
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "Lea.Martin@Example.org",
        "phone": "06 12 34 56 78",
        "gender": "female",
    },
    3: {
        "occupation": "Électricienne",
        "rome_code": "f1602",
        "sector": "Énergie",
        "organisation_name": "Réseaux du Nord",
    },
    4: {"intervention_types": ["class_talk", "company_visit"], "modes": ["on_site", "remote"]},
    5: {"zones": ["59", "bef-62-arras"], "monthly_capacity": "3"},
}


def step_url(number: int) -> str:
    return f"/inscription/ambassadeur/etape-{number}"


def walk(client, steps=STEPS, last: int = 5):
    response = None
    for number in range(1, last + 1):
        response = post_form(client, step_url(number), {**steps[number], "action": "next"})
    return response


def test_an_occupation_ambassador_registers_in_five_steps(app, people):
    client = app.test_client()
    assert client.get("/inscription/ambassadeur").headers["Location"].endswith(step_url(1))

    response = walk(client)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/inscription/merci")
    page = client.get("/inscription/merci").text
    assert "Consultez votre messagerie" in page
    assert "12 heures" in page
    with app.app_context():
        account = Account.get(Account.email == "lea.martin@example.org")
        assert (account.status, account.first_name, account.phone, account.gender) == (
            AccountStatus.PENDING,
            "Léa",
            "06 12 34 56 78",
            "female",
        )
        assert [grant.role for grant in RoleGrant.select().where(RoleGrant.account == account)] == [
            Role.AMBASSADOR
        ]
        ambassador = Ambassador.get(Ambassador.account == account)
        assert (ambassador.kind, ambassador.occupation, ambassador.rome_code) == (
            "professional",
            "Électricienne",
            "F1602",
        )
        assert ambassador.search_text == ("electricienne energie f1602 electricien")
        assert (ambassador.on_site, ambassador.remote, ambassador.monthly_capacity) == (
            True,
            True,
            3,
        )
        assert sorted(offer.intervention_type for offer in ambassador.offers) == [
            "class_talk",
            "company_visit",
        ]
        assert sorted(zone.territory.code for zone in ambassador.zones) == ["59", "bef-62-arras"]
        [email] = OutboxMessage.select().where(OutboxMessage.recipient == account.email)
        assert email.template == "auth/email/activate"
        assert json.loads(email.context)["first_name"] == "Léa"
    # The session forgets the registration once done.
    assert client.get("/inscription/ambassadeur").headers["Location"].endswith(step_url(1))


@pytest.mark.parametrize("kind", ["young", "professional", "trainer"])
def test_each_of_the_three_profiles_registers(app, people, kind):
    client = app.test_client()
    steps = {**STEPS, 1: {"kind": kind}, 2: {**STEPS[2], "email": f"{kind}@example.org"}}
    assert walk(client, steps).status_code == 302
    with app.app_context():
        assert Ambassador.get().kind == kind


def test_each_step_shows_its_errors_next_to_the_fields_and_keeps_what_was_typed(app, people):
    client = app.test_client()
    post_form(client, step_url(1), {"kind": "professional", "action": "next"})

    response = post_form(
        client,
        step_url(2),
        {"first_name": "Léa", "last_name": "", "email": "not-an-address", "action": "next"},
    )

    assert response.status_code == 422
    page = response.text
    assert 'id="error-last_name"' in page
    assert "Ce champ est obligatoire." in page
    assert 'id="error-email"' in page
    assert "Adresse électronique non valide." in page
    assert 'value="Léa"' in page
    assert 'value="not-an-address"' in page
    assert 'aria-invalid="true"' in page


def test_the_occupation_step_checks_the_rome_code(app, people):
    client = app.test_client()
    walk(client, last=2)
    response = post_form(
        client, step_url(3), {"occupation": "Soudeuse", "rome_code": "12345", "action": "next"}
    )
    assert response.status_code == 422
    assert "Un code ROME est une lettre suivie de quatre chiffres" in response.text


def test_the_offers_step_wants_a_type_and_a_mode(app, people):
    client = app.test_client()
    walk(client, last=3)
    response = post_form(client, step_url(4), {"action": "next"})
    assert response.status_code == 422
    assert "Choisissez au moins un type d’intervention." in response.text
    assert "Choisissez sur place, à distance, ou les deux." in response.text


def test_the_zone_step_wants_territories_or_a_distance_around_a_known_place(app, people):
    client = app.test_client()
    walk(client, last=4)
    nothing = post_form(client, step_url(5), {"monthly_capacity": "2", "action": "next"})
    assert nothing.status_code == 422
    assert "Choisissez au moins un territoire" in nothing.text

    unknown = post_form(client, step_url(5), {"zones": ["atlantis"], "action": "next"})
    assert "Territoire inconnu : atlantis." in unknown.text

    negative = post_form(
        client, step_url(5), {"zones": ["59"], "monthly_capacity": "-1", "action": "next"}
    )
    assert negative.status_code == 422
    assert 'id="error-monthly_capacity"' in negative.text

    around_home = post_form(
        client,
        step_url(5),
        {"home_territory": "bef-62-arras", "max_distance_km": "40", "action": "next"},
    )
    assert around_home.status_code == 302
    with app.app_context():
        ambassador = Ambassador.get()
        assert (ambassador.latitude, ambassador.longitude, ambassador.max_distance_km) == (
            50.29,
            2.78,
            40,
        )
        assert AmbassadorZone.select().count() == 0


def test_previous_goes_back_with_what_was_typed(app, people):
    client = app.test_client()
    walk(client, last=2)
    response = post_form(
        client, step_url(3), {"occupation": "Soudeuse à moitié tapée", "action": "previous"}
    )
    assert response.headers["Location"].endswith(step_url(2))
    assert 'value="Lea.Martin@Example.org"' in client.get(step_url(2)).text
    assert 'value="Soudeuse à moitié tapée"' in client.get(step_url(3)).text


def test_a_step_cannot_be_skipped(app, people):
    client = app.test_client()
    assert client.get(step_url(4)).headers["Location"].endswith(step_url(1))
    walk(client, last=1)
    assert client.get(step_url(5)).headers["Location"].endswith(step_url(2))
    assert client.get(step_url(9)).status_code == 404


def test_an_email_already_used_is_refused_at_the_personal_details_step(app, people):
    people.account(email="lea.martin@example.org")
    client = app.test_client()
    walk(client, last=1)
    response = post_form(client, step_url(2), {**STEPS[2], "action": "next"})
    assert response.status_code == 422
    assert "Un compte utilise déjà cette adresse" in response.text


def test_an_email_taken_meanwhile_sends_back_to_the_personal_details(app, people):
    client = app.test_client()
    walk(client, last=4)
    people.account(email="lea.martin@example.org")
    response = post_form(client, step_url(5), {**STEPS[5], "action": "next"})
    assert response.status_code == 422
    assert f'action="{step_url(2)}"' in response.text
    with app.app_context():
        assert Ambassador.select().count() == 0


def test_the_registration_speaks_english_on_request(app, people):
    client = app.test_client()
    page = client.get(f"{step_url(1)}?lang=en").text
    assert "Become an ambassador" in page
    assert "Occupation ambassador" in page


def test_every_form_carries_a_csrf_field(app, people):
    client = app.test_client()
    assert csrf_token_from(client, step_url(1)) is not None


# Educators


def test_an_educator_finds_the_school_by_uai_or_name_and_joins_it(app, people):
    school = people.school(name="Lycée Gustave Eiffel", uai="0590001A")
    people.school(name="Aciéries Eiffel", kind=OrganisationKind.COMPANY)
    client = app.test_client()

    by_uai = client.get("/inscription/equipe-educative?q=0590001a").text
    by_name = client.get("/inscription/equipe-educative?q=eiffel").text
    assert f"/inscription/equipe-educative/{school.id}" in by_uai
    assert "Lycée Gustave Eiffel" in by_name
    assert "Aciéries" not in by_name

    response = post_form(
        client,
        f"/inscription/equipe-educative/{school.id}",
        {"first_name": "Nora", "last_name": "Benali", "email": "nora.benali@ac-lille.fr"},
    )

    assert response.headers["Location"].endswith("/inscription/merci?equipe=1")
    with app.app_context():
        account = Account.get(Account.email == "nora.benali@ac-lille.fr")
        assert account.status == AccountStatus.PENDING
        [grant] = RoleGrant.select().where(RoleGrant.account == account)
        assert (grant.role, grant.organisation_id, grant.pending) == (
            Role.EDUCATOR,
            school.id,
            True,
        )
        assert OutboxMessage.select().where(OutboxMessage.recipient == account.email).count() == 1


def test_an_educator_s_form_shows_errors_and_keeps_values(app, people):
    school = people.school()
    client = app.test_client()
    response = post_form(
        client,
        f"/inscription/equipe-educative/{school.id}",
        {"first_name": "Nora", "last_name": "", "email": "nora@ac-lille.fr"},
    )
    assert response.status_code == 422
    assert 'id="error-last_name"' in response.text
    assert 'value="nora@ac-lille.fr"' in response.text


def test_an_educator_cannot_join_a_company(app, people):
    company = people.school(name="Aciéries", kind=OrganisationKind.COMPANY)
    client = app.test_client()
    assert client.get(f"/inscription/equipe-educative/{company.id}").status_code == 404
    with app.app_context():
        assert AmbassadorOffer.select().count() == 0


def test_the_occupation_and_zone_steps_give_the_browser_real_limits(app, people):
    """The ROME code's maxlength and the capacity's min/max are attributes, not escaped text."""
    client = app.test_client()
    walk(client, last=2)
    occupation = client.get(step_url(3)).text
    assert "&#34;" not in occupation
    assert re.search(r'<input[^>]*name="rome_code"[^>]*\smaxlength="5"', occupation)
    walk(client, last=4)
    zones = client.get(step_url(5)).text
    assert "&#34;" not in zones
    assert re.search(r'<input[^>]*name="monthly_capacity"[^>]*\smin="0" max="100"', zones)


class HouseRules:
    """A plugin asking new ambassadors to accept its rules, and noting who did."""

    name = "house-rules"

    def __init__(self):
        self.registered: list[tuple[str, dict]] = []

    @hookimpl
    def registration_terms(self):
        return [
            RegistrationTerms(
                key="house_rules",
                version="v3",
                title="Règlement de la maison",
                html=Markup("<p>Ne pas courir dans les couloirs.</p>"),
            )
        ]

    @hookimpl
    def ambassador_registered(self, ambassador, accepted_terms):
        account = Account.get_by_id(ambassador.account_id)
        assert account.status == AccountStatus.PENDING
        self.registered.append((account.email, dict(accepted_terms)))


def test_hook_registration_terms_shows_the_text_and_a_box_the_account_waits_for(
    make_app, make_people
):
    rules = HouseRules()
    app = make_app(extra_plugins=[rules])
    make_people(app)
    client = app.test_client()
    walk(client, last=4)
    page = client.get(step_url(5)).text
    assert "Règlement de la maison" in page
    assert "<p>Ne pas courir dans les couloirs.</p>" in page
    assert "J’ai pris connaissance des conditions ci-dessus et les accepte" in page

    refused = post_form(client, step_url(5), {**STEPS[5], "action": "next"})
    assert refused.status_code == 422
    assert "acceptez « Règlement de la maison »" in refused.text
    with app.app_context():
        assert Account.select().where(Account.email == "lea.martin@example.org").count() == 0
    assert rules.registered == []


def test_hook_ambassador_registered_hears_the_versions_accepted_before_activation(
    make_app, make_people
):
    rules = HouseRules()
    app = make_app(extra_plugins=[rules])
    make_people(app)
    client = app.test_client()
    walk(client, last=4)
    response = post_form(
        client, step_url(5), {**STEPS[5], "accept_house_rules": "v3", "action": "next"}
    )
    assert response.status_code == 302, response.text
    assert rules.registered == [("lea.martin@example.org", {"house_rules": "v3"})]


def test_without_plugin_asking_anything_the_last_step_has_no_box_to_tick(app, people):
    client = app.test_client()
    walk(client, last=4)
    assert "J’ai pris connaissance" not in client.get(step_url(5)).text


def zone_groups(page: str) -> dict[str, list[str]]:
    """The zone step's groups of boxes: legend -> values of the boxes named ``zones``."""
    picker = page.split('id="field-zones"', 1)[1].split("</fieldset>\n</fieldset>", 1)[0]
    groups = {}
    for part in picker.split('<fieldset class="zone-group"')[1:]:
        legend = re.search(r"<legend>([^<]*)</legend>", part).group(1)
        groups[legend] = re.findall(r'type="checkbox"[^>]*name="zones" value="([^"]+)"', part)
    return groups


def test_the_zone_step_offers_boxes_grouped_by_department_instead_of_a_list_needing_ctrl(
    app, people
):
    client = app.test_client()
    walk(client, last=4)
    page = client.get(step_url(5)).text
    assert "Ctrl" not in page
    assert '<select id="field-zones"' not in page
    assert zone_groups(page) == {
        "Hauts-de-France": ["hdf", "ac-lille"],
        "Nord": ["59", "bef-59-dunkerque", "bef-59-lille-est"],
        "Pas-de-Calais": ["62", "bef-62-arras"],
    }
    # The place where one lives is one choice among the same groups.
    assert '<optgroup label="Nord">' in page
    # The filter box is added by the script; without it every box is there to tick.
    assert "data-zone-filter hidden" in page
    assert "zones.js" in page


def test_the_zone_boxes_ticked_stay_ticked_when_the_step_comes_back(app, people):
    client = app.test_client()
    walk(client, last=4)
    response = post_form(
        client,
        step_url(5),
        {"zones": ["bef-59-lille-est", "62"], "monthly_capacity": "-1", "action": "next"},
    )
    assert response.status_code == 422
    ticked = re.findall(r'name="zones" value="([^"]+)" checked', response.text)
    assert sorted(ticked) == ["62", "bef-59-lille-est"]


def sector_options(page: str) -> list[str]:
    """The sectors offered by the page's sector list (the blank choice aside)."""
    listing = page.split('<select id="field-sector"', 1)[1].split("</select>", 1)[0]
    return [value for value in re.findall(r'<option value="([^"]*)"', listing) if value]


def test_the_sector_is_chosen_from_the_same_list_as_the_directory_s_filter(app, people):
    people.ambassador("Fleuriste", sector="Horticulture")  # a sector outside the usual list
    teacher = client_of(app, people.educator())
    directory = sector_options(teacher.get("/ambassadeurs").text)
    client = app.test_client()
    walk(client, last=2)
    offered = sector_options(client.get(step_url(3)).text)
    assert offered == directory
    assert {"Santé", "Industrie", "Bâtiment et travaux publics", "Horticulture"} <= set(offered)

    refused = post_form(
        client, step_url(3), {"occupation": "Soudeuse", "sector": "Astrologie", "action": "next"}
    )
    assert refused.status_code == 422
    assert 'id="error-sector"' in refused.text
    assert 'value="Soudeuse"' in refused.text
    chosen = post_form(
        client, step_url(3), {"occupation": "Soudeuse", "sector": "Santé", "action": "next"}
    )
    assert chosen.status_code == 302
