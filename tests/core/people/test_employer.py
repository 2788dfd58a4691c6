"""An ambassador's employer: an organisation of the network, or its name as free text."""

from __future__ import annotations

import pytest

from tremplin.errors import Invalid, NotAllowed
from tremplin.organisations.models import OrganisationKind
from tremplin.people import service
from tremplin.people.models import Ambassador


def test_an_ambassador_links_their_employer_and_its_name_follows(app, people):
    ambassador = people.ambassador()
    company = people.school(name="Forges de Wattrelos", kind=OrganisationKind.COMPANY)
    with app.app_context():
        account = ambassador.account
        service.set_employer(ambassador, company, None, account)
        stored = Ambassador.get_by_id(ambassador.id)
    assert (stored.organisation_id, stored.organisation_name) == (
        company.id,
        "Forges de Wattrelos",
    )


def test_free_text_stays_possible_and_clears_the_link(app, people):
    ambassador = people.ambassador()
    company = people.school(name="Forges de Wattrelos", kind=OrganisationKind.COMPANY)
    with app.app_context():
        service.set_employer(ambassador, company, None, ambassador.account)
        service.set_employer(ambassador, None, "  Menuiserie Caron ", ambassador.account)
        stored = Ambassador.get_by_id(ambassador.id)
    assert (stored.organisation_id, stored.organisation_name) == (None, "Menuiserie Caron")


def test_a_name_too_long_is_refused_and_others_may_not_change_it(app, people):
    ambassador = people.ambassador()
    stranger = people.educator()
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            service.set_employer(ambassador, None, "x" * 201, ambassador.account)
        assert "organisation_name" in refused.value.errors
        with pytest.raises(NotAllowed):
            service.set_employer(ambassador, None, "Menuiserie Caron", stranger)
