"""The grouped main menu on a phone's width, worked with the keyboard only, in Chromium,
with the reference region's colours and logo (docs/look.md)."""

from __future__ import annotations

import pytest

from tremplin.demo.generator import LOGIN_EMAILS

from .test_every_page import narrow_page, signed_in_page

# The reference region's --brand (examples/hauts-de-france/static/region.css).
REGION_BRAND = "rgb(0, 102, 110)"


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


@pytest.mark.browser
def test_the_menu_opens_with_the_keyboard_on_a_phone(demo_app, served, browser):
    page = signed_in_page(browser, served, LOGIN_EMAILS["referent"])
    page.goto(served + "/tableau-de-bord")
    toggle = page.locator(".nav-toggle")
    steering = page.get_by_role("button", name="Pilotage")
    statistics = page.get_by_role("link", name="Statistiques", exact=True)
    # Folded: only "Menu" shows, closed, and it wears the region's colour.
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not steering.is_visible()
    assert toggle.evaluate("b => getComputedStyle(b).color") == REGION_BRAND
    assert page.locator("img.site-logo").is_visible()

    tab_to(page, ".nav-toggle")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert steering.is_visible()
    assert steering.get_attribute("aria-expanded") == "false"
    assert not statistics.is_visible()

    tab_to(page, ".nav-group-button[aria-controls='menu-steering']")
    page.keyboard.press("Space")
    assert steering.get_attribute("aria-expanded") == "true"
    assert statistics.is_visible()

    # Escape closes the group and gives the focus back to its button.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#menu-steering') !== null")
    page.keyboard.press("Escape")
    assert steering.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == (
        "menu-steering"
    )
    assert not statistics.is_visible()

    # Enter on a link of the group goes there.
    page.keyboard.press("Enter")
    tab_to(page, "#menu-steering a[href='/statistiques']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/statistiques")
    page.context.close()


@pytest.mark.browser
def test_one_group_is_open_at_a_time_on_a_wide_screen(demo_app, served, browser):
    page = narrow_page(browser)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(served + "/")
    assert not page.locator(".nav-toggle").is_visible()
    join = page.get_by_role("button", name="Nous rejoindre")
    network = page.get_by_role("button", name="Le réseau")
    join.click()
    assert join.get_attribute("aria-expanded") == "true"
    network.click()
    assert network.get_attribute("aria-expanded") == "true"
    assert join.get_attribute("aria-expanded") == "false"
    page.locator("main h1").click()  # a click elsewhere closes it
    assert network.get_attribute("aria-expanded") == "false"
    page.context.close()
