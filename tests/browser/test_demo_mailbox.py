"""The demo's mailbox in Chromium: someone asks for a new password, the demo's admin reads
the email in the mailbox and follows its link; both pages pass axe on a 375 px screen."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tremplin.app import build_links_on
from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}
NARROW = {"width": 375, "height": 740}


def problems_on(page) -> list[str]:
    """The WCAG violations of the page shown, and its sideways scroll if any."""
    page.evaluate(Axe().axe_script)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    found = [
        f"{violation['id']}: {', '.join(node['target'][0] for node in violation['nodes'][:3])}"
        for violation in results["violations"]
    ]
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        found.append(f"scrolls sideways by {overflow} px at 375 px wide")
    return found


@pytest.mark.browser
def test_the_demo_admin_reads_an_email_and_follows_its_link(demo_app, served, browser):
    build_links_on(demo_app, served)  # as tremplin demo does with the address it serves
    context = browser.new_context(viewport=NARROW, locale="fr-FR")
    page = context.new_page()

    page.goto(f"{served}/mot-de-passe-oublie")
    page.fill("input[name=email]", LOGIN_EMAILS["educator"])
    page.locator("form:has(input[name=email]) [type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{served}/connexion")
    page.fill("input[name=email]", LOGIN_EMAILS["admin"])
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Menu", exact=True).click()
    page.get_by_role("button", name="Pilotage").click()
    page.get_by_role("link", name="Courriels de la démo").click()
    page.wait_for_load_state()
    assert page.url == f"{served}/demo/courriels"
    assert problems_on(page) == []

    row = page.locator("tr", has_text=LOGIN_EMAILS["educator"]).first
    row.get_by_role("link", name="Choisissez un nouveau mot de passe").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Choisissez un nouveau mot de passe"
    assert problems_on(page) == []

    page.locator("a[href*='/mot-de-passe/']").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{served}/mot-de-passe/")
    assert page.locator("input[type=password]").count() >= 1
    context.close()
