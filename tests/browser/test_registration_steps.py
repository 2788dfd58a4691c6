"""A visitor becomes an ambassador in Chromium, at 375 px: the zone found by typing its
name, the charter read and accepted on the last step, each step accessible."""

from __future__ import annotations

import pytest

from tremplin.auth.models import Account
from tremplin.plugins.charter.models import Acceptance

from .test_every_page import narrow_page, problems_on


@pytest.mark.browser
def test_a_visitor_registers_finding_the_zone_by_name_and_accepting_the_charter(
    demo_app, served, browser
):
    page = narrow_page(browser)
    page.goto(f"{served}/inscription/ambassadeur")
    page.check("input[name=kind][value=professional]")
    page.get_by_role("button", name="Étape suivante").click()
    page.fill("input[name=first_name]", "Inès")
    page.fill("input[name=last_name]", "Vasseur")
    page.fill("input[name=email]", "ines.vasseur@example.org")
    page.get_by_role("button", name="Étape suivante").click()
    page.fill("input[name=occupation]", "Soudeuse")
    page.get_by_role("button", name="Étape suivante").click()
    page.check("input[name=intervention_types][value=class_talk]")
    page.check("input[name=modes][value=on_site]")
    page.get_by_role("button", name="Étape suivante").click()

    assert "etape-5" in page.url
    assert problems_on(page) == []
    search = page.get_by_label("Trouver un territoire par son nom")
    search.fill("arras")
    boxes = page.locator("[data-zone-picker] .choice:visible")
    assert boxes.count() == 1
    assert page.locator("[data-zone-count]").text_content() == "1 territoire affiché"
    page.get_by_label("Arras").check()
    search.fill("")
    assert page.locator("[data-zone-picker] .choice:visible").count() > 30

    page.get_by_role("button", name="Créer mon compte").click()
    assert "etape-5" in page.url  # the charter is not accepted yet
    assert page.get_by_label("Arras").is_checked()
    assert problems_on(page) == []
    page.get_by_label("J’ai pris connaissance des conditions ci-dessus et les accepte").check()
    page.get_by_role("button", name="Créer mon compte").click()
    assert page.url.endswith("/inscription/merci")

    with demo_app.app_context():
        account = Account.get(Account.email == "ines.vasseur@example.org")
        assert Acceptance.select().where(Acceptance.account == account.id).count() == 1
