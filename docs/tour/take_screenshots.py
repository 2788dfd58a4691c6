"""Take the screenshots of docs/tour.md from a running demo, in a real headless browser.

    pip install -e ".[docs]"
    python docs/tour/take_screenshots.py [--port 5077] [--output docs/tour]

Starts ``tremplin --region examples/hauts-de-france demo`` in a subprocess, on a database
and a queue in a temporary folder (nothing is written into examples/), waits for
``/healthz?ignore=worker`` (the worker the demo runs in its process may not have recorded
its first heartbeat yet), signs in with each demo login through the sign-in form in
Chromium (the Debian package's ``/usr/bin/chromium``, or ``TREMPLIN_CHROMIUM``:
Playwright's own browsers are never downloaded), saves one PNG per step of the tour, then
stops the server.
The demo network is invented and dated from today, so the pictures change a little from
one run to the next; names and figures are the same for the same seed on the same day.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
REGION = ROOT / "examples" / "hauts-de-france"
PASSWORD = "tremplin-demo"
LOGINS = {
    "admin": "admin@demo.example.org",
    "referent": "referente@demo.example.org",
    "teacher": "enseignant@demo.example.org",
    "ambassador": "ambassadrice@demo.example.org",
    "partner": "partenaire@demo.example.org",
}
SHOWCASE_OCCUPATION = "Technicienne de maintenance industrielle"
CHROMIUM = os.environ.get("TREMPLIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
MAX_HEIGHT = 1600  # a full-page picture is cut there: the tour shows the top of long pages
STARTUP_SECONDS = 300


def tremplin_command() -> list[str]:
    """The ``tremplin`` script of this Python environment."""
    script = Path(sys.executable).with_name("tremplin")
    if script.exists():
        return [str(script)]
    found = shutil.which("tremplin")
    if found is None:
        sys.exit("tremplin is not installed in this environment: pip install -e '.[docs]'")
    return [found]


@contextmanager
def demo_server(port: int) -> Iterator[str]:
    """Run the demo on ``port`` with a throw-away database; yield its base URL."""
    with tempfile.TemporaryDirectory(prefix="tremplin-tour-") as folder:
        environment = {
            **os.environ,
            "TREMPLIN_DATABASE_URL": f"sqlite:///{folder}/tremplin.db",
            "TREMPLIN_QUEUE_URL": f"sqlite:///{folder}/queue.db",
            "TREMPLIN_SECRET_KEY": secrets.token_hex(32),
        }
        for variable in ("TREMPLIN_REGION", "TREMPLIN_PLUGINS"):
            environment.pop(variable, None)
        log = Path(folder) / "server.log"
        with log.open("w") as output:
            server = subprocess.Popen(
                [*tremplin_command(), "--region", str(REGION), "demo", "--port", str(port)],
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                wait_for_health(base, server, log)
                yield base
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def wait_for_health(base: str, server: subprocess.Popen, log: Path) -> None:
    """Return once ``/healthz`` answers 200, the worker left out (its first heartbeat may be
    a minute away); stop with the server's output if it died."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the demo stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz?ignore=worker", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    sys.exit(f"the demo did not answer on {base}/healthz within {STARTUP_SECONDS} s")


class Tour:
    """Signs in as each demo login and saves the pictures of the tour."""

    def __init__(self, browser: Browser, base: str, output: Path):
        self.browser = browser
        self.base = base
        self.output = output
        self.saved: list[Path] = []

    def as_role(self, role: str | None, steps: Callable[[Page], None]) -> None:
        """Run ``steps`` in a fresh browser signed in as ``role`` (a visitor for None)."""
        context = self.browser.new_context(viewport=VIEWPORT, locale="fr-FR")
        page = context.new_page()
        try:
            if role is not None:
                self.sign_in(page, LOGINS[role])
            steps(page)
        finally:
            context.close()

    def sign_in(self, page: Page, email: str) -> None:
        """Sign in through the form, as a person does."""
        self.open(page, "/connexion")
        page.fill("main input[name=email]", email)
        page.fill("main input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if "/connexion" in page.url:
            sys.exit(f"signing in as {email} failed")

    def open(self, page: Page, path: str) -> None:
        """Go to ``path``; stop if the page is an error."""
        response = page.goto(self.base + path)
        if response is None or response.status >= 400:
            status = response.status if response else "no answer"
            sys.exit(f"{path} answered {status}")

    def shoot(self, page: Page, name: str, full_page: bool = False, at: str | None = None) -> None:
        """Save the page as ``name``.png: the screen (scrolled to the element ``at``, a CSS
        selector), or the whole page up to MAX_HEIGHT."""
        path = self.output / f"{name}.png"
        if at is not None:
            page.locator(at).first.evaluate(
                "element => window.scrollTo(0, element.getBoundingClientRect().top"
                " + window.scrollY - 24)"
            )
        clip = None
        if full_page:
            height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
            clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
        page.screenshot(path=str(path), full_page=full_page, clip=clip)
        self.saved.append(path)
        print(f"{path}  {path.stat().st_size // 1024} KB")

    def expect(self, page: Page, selector: str) -> None:
        """Stop unless the page holds ``selector``: the demo did not give what the tour shows."""
        if not page.locator(selector).count():
            sys.exit(f"{page.url} has no {selector}")


def visitor(tour: Tour, page: Page) -> None:
    tour.open(page, "/")
    tour.shoot(page, "01-home", full_page=True)
    tour.open(page, "/chiffres-cles")
    tour.shoot(page, "02-key-figures")


def teacher(tour: Tour, page: Page) -> None:
    tour.open(page, "/interventions")
    tour.shoot(page, "03-teacher-interventions")
    tour.open(page, "/ambassadeurs")
    page.fill("main input[name=q]", SHOWCASE_OCCUPATION)
    with page.expect_navigation():
        page.locator("main form").first.locator("button[type=submit]").click()
    tour.shoot(page, "04-teacher-directory", at="#resultats")
    with page.expect_navigation():
        page.get_by_role("link", name="Samia L.").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Demander une intervention à cette personne").click()
    tour.shoot(page, "05-teacher-request", full_page=True)
    # The intervention that took place and waits for its report: scheduled, in the past.
    tour.open(page, "/interventions?statut=scheduled")
    links = page.locator("main table a[href^='/interventions/']")
    tour.open(page, links.last.get_attribute("href"))
    tour.expect(page, "#complete-title")
    tour.shoot(page, "06-teacher-report", at="main h3")


def ambassador(tour: Tour, page: Page) -> None:
    tour.open(page, "/tableau-de-bord")
    tour.shoot(page, "07-ambassador-dashboard")
    tour.open(page, "/interventions")
    tour.shoot(page, "08-ambassador-interventions")
    links = page.locator("main table").first.locator("a[href^='/interventions/']")
    tour.open(page, links.first.get_attribute("href"))
    tour.expect(page, "#accept-title")
    tour.shoot(page, "09-ambassador-answer", at="main h3")
    tour.open(page, "/interventions")
    for href in page.locator("main table a[href^='/interventions/']").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    ):
        tour.open(page, f"{href}/messages")
        if page.locator("ol.messages li").count():
            tour.shoot(page, "10-ambassador-messages", full_page=True)
            break


def referent(tour: Tour, page: Page) -> None:
    tour.open(page, "/tableau-de-bord")
    tour.shoot(page, "11-referent-dashboard", full_page=True)
    # The same page on a phone, its menu opened with the keyboard on "Pilotage".
    page.set_viewport_size(PHONE)
    page.focus(".nav-toggle")
    page.keyboard.press("Enter")
    page.focus(".nav-group-button[aria-controls='menu-steering']")
    page.keyboard.press("Enter")
    tour.shoot(page, "18-referent-phone-menu")
    page.set_viewport_size(VIEWPORT)
    tour.open(page, "/interventions")
    tour.shoot(page, "12-referent-interventions")
    # The requests waiting for a match, or else those left unanswered: both can be given.
    assignable = "section[aria-labelledby='page_attente-title'] table, " + (
        "section[aria-labelledby='page_sans_reponse-title'] table"
    )
    waiting = page.locator(assignable).first.locator("a[href^='/interventions/']")
    if waiting.count():
        tour.open(page, waiting.first.get_attribute("href"))
        tour.expect(page, "#assign-title")
        tour.shoot(page, "13-referent-matching", at="main h3")
    tour.open(page, "/charte/verifications")
    tour.shoot(page, "14-referent-charter-checks")


def admin(tour: Tour, page: Page) -> None:
    tour.open(page, "/statistiques")
    tour.shoot(page, "15-admin-statistics")
    tour.open(page, "/alertes")
    tour.shoot(page, "16-admin-alerts")


def partner(tour: Tour, page: Page) -> None:
    tour.open(page, "/mon-compte")
    tour.shoot(page, "17-partner-account", full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--output", type=Path, default=Path(__file__).resolve().parent)
    options = parser.parse_args()
    options.output = options.output.resolve()
    options.output.mkdir(parents=True, exist_ok=True)
    with demo_server(options.port) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tour = Tour(browser, base, options.output)
            for role, steps in (
                (None, visitor),
                ("teacher", teacher),
                ("ambassador", ambassador),
                ("referent", referent),
                ("admin", admin),
                ("partner", partner),
            ):
                tour.as_role(role, lambda page, steps=steps: steps(tour, page))
        finally:
            browser.close()
    total = sum(path.stat().st_size for path in tour.saved)
    print(f"{len(tour.saved)} screenshots, {total // 1024} KB in all")


if __name__ == "__main__":
    main()
