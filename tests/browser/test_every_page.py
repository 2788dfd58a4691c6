"""Every page of every role, in Chromium: no WCAG 2.1 A/AA violation, no sideways scroll.

Each role of the demo signs in through the sign-in form in the browser. The pages are
found from the app itself: every HTML GET route of the URL map, with ids taken from the
links the role is shown (a crawl of its own pages from its dashboard), else small ids; the
first address of each route that the role may open is visited. A new page, a plugin's too,
is walked without touching this test. Each page is checked by axe-core (the rules tagged
WCAG 2.0/2.1 A and AA) on a 375 px wide screen, where the page must not scroll sideways.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, RoutingException

from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD
from tremplin.interventions import surveys
from tremplin.interventions.models import Intervention, Status
from tremplin.testing import sign_in

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_SCRIPT = Axe().axe_script
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}
NARROW = {"width": 375, "height": 740}
LINK = re.compile(r'href="([^"#]+)')
NOT_PAGES = re.compile(r"^/(api/|static/|-/)|\.(ics|csv|pdf|json|png|svg|css|js)$")
# Arguments that are not ids: what to put in them, or nothing (the route is left out).
TEXT_ARGUMENTS = {"code": ["hdf", "59"]}
CRAWL_LIMIT = 400


def is_page(response) -> bool:
    """Whether a response is an HTML page shown to the user."""
    return response.status_code == 200 and response.mimetype == "text/html"


def route_of(app, path: str) -> str | None:
    """The URL rule that answers ``path``, or None."""
    adapter = app.url_map.bind("localhost")
    try:
        rule, _arguments = adapter.match(path, method="GET", return_rule=True)
    except (HTTPException, RoutingException):  # not found, not GET, or a redirection
        return None
    return rule.rule


def candidates(rule) -> list[str]:
    """Addresses of ``rule`` with small ids and known texts (none if it takes a token)."""
    choices: list[dict[str, str]] = [{}]
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values = [str(number) for number in range(1, 9)]
        elif name in TEXT_ARGUMENTS:
            values = TEXT_ARGUMENTS[name]
        else:
            return []
        choices = [{**choice, name: value} for choice in choices for value in values]
    return [
        re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, c=choice: c[m.group(1)], rule.rule)
        for choice in choices
    ]


def pages_of(app, client) -> dict[str, str]:
    """One address per HTML route that ``client``'s role may open: {rule: path}."""
    found: dict[str, str] = {}
    queue, seen = deque(["/"]), {"/"}
    while queue and len(seen) < CRAWL_LIMIT:
        path = queue.popleft()
        rule = route_of(app, path)
        if rule is None or rule in found:
            continue
        response = client.get(path)
        if not is_page(response):
            continue
        found[rule] = path
        for link in LINK.findall(response.get_data(as_text=True)):
            target = urlsplit(urljoin(path, link.replace("&amp;", "&")))
            if target.netloc not in {"", "localhost"} or NOT_PAGES.search(target.path):
                continue
            if target.path not in seen:
                seen.add(target.path)
                queue.append(target.path)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule in found or NOT_PAGES.search(rule.rule):
            continue
        for path in candidates(rule):
            if is_page(client.get(path)):
                found[rule.rule] = path
                break
    return found


def narrow_page(browser):
    """A page of a new 375 px wide browser context, where every document loads axe-core
    (the browser compiles it once, instead of once per page)."""
    context = browser.new_context(viewport=NARROW, locale="fr-FR")
    context.add_init_script(script=AXE_SCRIPT)
    return context.new_page()


def signed_in_page(browser, base_url: str, email: str):
    """A 375 px wide browser page signed in as ``email`` through the sign-in form."""
    page = narrow_page(browser)
    page.goto(f"{base_url}/connexion")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    assert "/connexion" not in page.url, f"{email} could not sign in"
    return page


def problems_on(page) -> list[str]:
    """The WCAG violations of the page shown, and its sideways scroll if any."""
    found = []
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    for violation in results["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        found.append(f"{violation['id']} ({violation['impact']}): {'; '.join(targets)}")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        wide = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width)
                    .slice(0, 3)
                    .map(e => [e.tagName.toLowerCase(), e.getAttribute('class')]
                        .filter(Boolean).join('.'));
            }"""
        )
        found.append(f"scrolls sideways by {overflow} px at 375 px wide ({', '.join(wide)})")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("role", [None, *LOGIN_EMAILS])
def test_every_page_of_every_role_is_accessible_and_fits_a_phone(role, demo_app, served, browser):
    client = demo_app.test_client()
    if role is None:
        page = narrow_page(browser)
    else:
        sign_in(client, LOGIN_EMAILS[role], PASSWORD)
        page = signed_in_page(browser, served, LOGIN_EMAILS[role])
    pages = pages_of(demo_app, client)
    assert len(pages) > (3 if role is None else 8), sorted(pages)
    report = {}
    for path in sorted(pages.values()):
        page.goto(served + path)
        found = problems_on(page)
        if found:
            report[path] = found
    page.context.close()
    assert not report, "\n".join(f"{path}: {' | '.join(found)}" for path, found in report.items())


@pytest.mark.browser
def test_the_survey_pages_of_an_emailed_link_are_accessible_and_fit_a_phone(
    demo_app, served, browser
):
    # The walk leaves out routes that take a token: the survey's pages are walked here.
    with demo_app.app_context():
        intervention = (
            Intervention.select()
            .where(Intervention.status == Status.COMPLETED, Intervention.ambassador.is_null(False))
            .first()
        )
        token = surveys.invite(intervention, intervention.ambassador.account)
    page = narrow_page(browser)
    report = {}
    page.goto(f"{served}/enquete/{token}")
    report["form"] = problems_on(page)
    page.locator("form [type=submit]").click()  # no mark: the form again, with its error
    page.wait_for_load_state()
    assert page.locator("#erreurs").count() == 1
    report["errors"] = problems_on(page)
    page.select_option("select[name=rating]", "4")
    page.locator("form [type=submit]").click()
    page.wait_for_load_state()
    report["thanks"] = problems_on(page)
    page.goto(f"{served}/enquete/{token}")  # used: the page saying so
    report["used"] = problems_on(page)
    page.context.close()
    assert not any(report.values()), report
