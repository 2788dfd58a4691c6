"""The employer's agreement of a salaried ambassador and a civil-liability insurance:
declared and dated by the ambassador, each a hold while missing when the region asks."""

from __future__ import annotations

import datetime

import pytest

from tremplin import clock
from tremplin.plugins.charter.models import Declaration
from tremplin.testing import client_of, csrf_token_from


@pytest.fixture
def strict(make_charter_app, make_network):
    """A region asking for the employer's agreement and insurance, but no record check."""
    app = make_charter_app(
        require_record_check=False, require_employer_agreement=True, require_insurance=True
    )
    net = make_network(app)
    net.publish()
    return app, net


def declare_on_page(client, **fields):
    token = csrf_token_from(client, "/charte/mon-dossier")
    return client.post("/charte/mon-dossier/declarations", data={**fields, "csrf_token": token})


def test_without_the_declarations_the_region_asks_for_the_ambassador_is_held(strict):
    app, net = strict
    ambassador = net.registered("Soudeuse")
    net.accept(ambassador)
    assert net.holds_of(ambassador) == [
        ("charter", "employer-agreement"),
        ("charter", "insurance"),
    ]
    page = client_of(app, net.account_of(ambassador)).get("/charte/mon-dossier").text
    assert (
        "Il reste à déclarer si l’intervention se fait dans le cadre d’un emploi salarié." in page
    )
    assert "Aucune assurance de responsabilité civile n’est déclarée." in page
    assert "Extrait de casier judiciaire" not in page  # not asked in this region


def test_a_salaried_ambassador_is_held_until_the_employer_s_agreement_is_declared(strict):
    app, net = strict
    ambassador = net.registered("Soudeuse")
    net.accept(ambassador)
    client = client_of(app, net.account_of(ambassador))
    insured = (clock.today() - datetime.timedelta(days=40)).isoformat()

    missing = declare_on_page(client, salaried="yes", insurance_on=insured)
    assert missing.status_code == 422
    assert "En tant que salarié, indiquez la date de l’accord de votre employeur." in missing.text

    agreed = (clock.today() - datetime.timedelta(days=3)).isoformat()
    saved = declare_on_page(
        client, salaried="yes", employer_agreement_on=agreed, insurance_on=insured
    )
    assert saved.status_code == 302
    assert net.holds_of(ambassador) == []
    with app.app_context():
        declaration = Declaration.get()
    assert (declaration.salaried, declaration.employer_agreement_on.isoformat()) == (True, agreed)


def test_an_ambassador_who_is_not_salaried_needs_no_agreement(strict):
    app, net = strict
    ambassador = net.registered("Soudeuse")
    net.accept(ambassador)
    client = client_of(app, net.account_of(ambassador))
    declare_on_page(client, salaried="no", insurance_on=clock.today().isoformat())
    assert net.holds_of(ambassador) == []


def test_declared_dates_cannot_be_in_the_future(strict):
    app, net = strict
    ambassador = net.registered("Soudeuse")
    client = client_of(app, net.account_of(ambassador))
    tomorrow = (clock.today() + datetime.timedelta(days=1)).isoformat()
    response = declare_on_page(client, salaried="no", insurance_on=tomorrow)
    assert response.status_code == 422
    assert "Cette date ne peut pas être dans le futur." in response.text


def test_by_default_neither_agreement_nor_insurance_is_asked(app, net):
    ambassador = net.ready("Soudeuse")
    assert net.holds_of(ambassador) == []
    page = client_of(app, net.account_of(ambassador)).get("/charte/mon-dossier").text
    assert "Accord de l’employeur et assurance" not in page


def test_only_ambassadors_have_a_file(app, net):
    client = client_of(app, net.educator())
    assert client.get("/charte/mon-dossier").status_code == 403
    token = csrf_token_from(client, "/mon-compte")
    refused = client.post(
        "/charte/mon-dossier/extrait", data={"action": "sent", "csrf_token": token}
    )
    assert refused.status_code == 403
