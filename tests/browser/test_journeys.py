"""The main journeys of the network, end to end through the pages, in Chromium.

Each journey runs on a small demo of the reference region, served over HTTP, its emails
sent to a real SMTP server on this machine; each person signs in through the sign-in form
in a browser context of their own. Nothing is done behind the pages' back, except reading
an account's phone number to check that it does not leak. Expected dates are written
the way a French reader reads them, by the test's own formatting.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import threading
import tomllib
from collections.abc import Callable, Iterator

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from tremplin.auth.models import Account
from tremplin.clock import now
from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD
from tremplin.testing import pinned_at_test_now, wait_for

from .journeys import (
    Mailbox,
    Newcomer,
    Request,
    accept_on,
    complete_the_file,
    decline,
    fact,
    fill_request,
    first_link,
    flash,
    free_port,
    intervention_id,
    links_in,
    registration_occupation_step,
    registration_offers_step,
    registration_person_step,
    registration_profile_step,
    registration_zone_step,
    request_from_profile,
    school_day,
    shown,
    sign_in,
    text_of,
    the_charter_is_accepted,
)

pytestmark = pytest.mark.browser

TEACHER = LOGIN_EMAILS["educator"]
AMBASSADOR = LOGIN_EMAILS["ambassador"]
REFERENT = LOGIN_EMAILS["referent"]
ADMIN = LOGIN_EMAILS["admin"]
SHOWCASE_NAME = "Samia L."  # the demo ambassador's public name
SHOWCASE_SEARCH = "maintenance industrielle"  # her occupation, Technicienne de maintenance...


# A small demo, served at an address known before it starts (its emails link to it), and
# sending its emails to a real SMTP server: one for the module, its journeys sharing it.
# Each journey makes its own requests, at an hour of its own (no other journey's request
# is shown at the same moment, whatever the day of the week), registers its own newcomer,
# and reads only what it made or what no other journey changes.


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on this machine; what it received."""
    received = Mailbox(port=free_port())
    controller = Controller(received, hostname="127.0.0.1", port=received.port)
    controller.start()
    try:
        yield received
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def base_url() -> str:
    """Where the demo will be served: a free port of this machine."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="module")
def demo_app(request, make_module_app, module_reference_region, run_cli, mailbox, base_url):
    """The reference region with its plugins, a small demo, emails to ``mailbox``."""
    region = module_reference_region
    config = tomllib.loads((region / "tremplin.toml").read_text(encoding="utf-8"))
    with pytest.MonkeyPatch.context() as patch, pinned_at_test_now(request.config):
        patch.setenv("TREMPLIN_BASE_URL", base_url)
        patch.setenv("TREMPLIN_MAIL_BACKEND", "smtp")
        patch.setenv("TREMPLIN_SMTP_HOST", "127.0.0.1")
        patch.setenv("TREMPLIN_SMTP_PORT", str(mailbox.port))
        app = make_module_app(region=region, plugins=config["plugins"]["enabled"], migrate=False)
        result = run_cli(app, "demo", "--no-serve", "--ambassadors", "12", "--interventions", "20")
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture(scope="module")
def served(demo_app, base_url) -> Iterator[str]:
    """The demo app served at ``base_url``."""
    port = int(base_url.rsplit(":", 1)[1])
    server = make_server("127.0.0.1", port, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def browse_as(browser, served) -> Iterator[Callable[..., Page]]:
    """``browse_as(email)``: a page of a browser context of its own, signed in as ``email``
    through the sign-in form (``browse_as()``: a visitor's); closed after the test."""
    contexts = []

    def open_page(email: str | None = None, password: str = PASSWORD) -> Page:
        context = browser.new_context(locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        return sign_in(page, served, email, password) if email else page

    yield open_page
    for context in contexts:
        context.close()


def showcase_id(page: Page, base_url: str) -> int:
    """The demo ambassador's id, found the teacher's way: searching the directory."""
    page.goto(f"{base_url}/ambassadeurs")
    main = page.get_by_role("main")
    main.get_by_label("Métier, secteur ou code ROME").fill(SHOWCASE_SEARCH)
    main.get_by_role("button", name="Rechercher").click()
    link = main.get_by_role("link", name=SHOWCASE_NAME, exact=True)
    return int(link.get_attribute("href").rsplit("/", 1)[1])


def teacher_requests(browse_as, base_url: str, request: Request) -> tuple[Page, int]:
    """The demo teacher requests ``request`` from the demo ambassador: their page and the
    intervention's id."""
    page = browse_as(TEACHER)
    url = request_from_profile(page, base_url, showcase_id(page, base_url), request)
    return page, intervention_id(url)


# 1. The teacher's request


def test_a_teacher_finds_an_ambassador_and_requests_an_intervention(served, browse_as):
    page = browse_as(TEACHER)
    page.goto(f"{served}/ambassadeurs")
    main = page.get_by_role("main")
    main.get_by_label("Métier, secteur ou code ROME").fill(SHOWCASE_SEARCH)
    main.get_by_role("button", name="Rechercher").click()
    main.get_by_role("link", name=SHOWCASE_NAME, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SHOWCASE_NAME)
    page.get_by_role("link", name="Demander une intervention à cette personne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Demander une intervention à {SHOWCASE_NAME}"
    )
    dates = (school_day(14), school_day(21, hour=14))
    fill_request(page, Request(dates=dates, group_size=27))

    flash(page, f"Votre demande a été envoyée à {SHOWCASE_NAME}")
    expect(page.get_by_text("Statut : Demandée")).to_be_visible()
    expect(fact(page, "Ambassadeur")).to_contain_text(SHOWCASE_NAME)
    expect(fact(page, "Nombre de jeunes")).to_have_text("27")
    for moment in dates:
        expect(page.get_by_role("listitem").filter(has_text=shown(moment))).to_be_visible()
    requested = intervention_id(page.url)

    page.goto(f"{served}/interventions")
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=shown(dates[0]), exact=True)
    )
    expect(row).to_contain_text(SHOWCASE_NAME)
    expect(row).to_contain_text("Demandée")
    row.get_by_role("link").click()
    assert intervention_id(page.url) == requested


# 2. The ambassador's answers: refusal, new date, acceptance


def test_an_ambassador_declines_proposes_a_new_date_and_accepts_it(served, browse_as):
    first = school_day(10, hour=11)
    teacher, refused = teacher_requests(browse_as, served, Request(dates=(first,)))
    second = school_day(17, hour=11)
    request_from_profile(teacher, served, showcase_id(teacher, served), Request(dates=(second,)))
    other = intervention_id(teacher.url)
    ambassador = browse_as(AMBASSADOR)

    # Declining asks for a confirmation first: without it, nothing is declined, and the
    # form comes back with what was written.
    why, word = "C’est trop loin pour moi", "Désolée, c’est hors de ma zone."
    ambassador.goto(f"{served}/interventions/{refused}")
    section = ambassador.get_by_role("region", name="Décliner la demande")
    section.get_by_label("Pourquoi").select_option(label=why)
    section.get_by_label("Un mot pour l’équipe éducative (facultatif)").fill(word)
    section.get_by_role("button", name="Décliner").click()
    expect(ambassador.get_by_role("alert")).to_contain_text("Cochez la case pour confirmer")
    expect(ambassador.get_by_text("Statut : Demandée")).to_be_visible()
    section = ambassador.get_by_role("region", name="Décliner la demande")
    expect(section.get_by_label("Pourquoi").locator("option:checked")).to_have_text(why)
    expect(section.get_by_label("Un mot pour l’équipe éducative (facultatif)")).to_have_value(word)
    decline(ambassador, why, message=word)
    flash(ambassador, "Vous avez décliné la demande.")
    expect(ambassador.get_by_text("Statut : Déclinée")).to_be_visible()

    # The other request: declined with another date the ambassador can do.
    new_date = school_day(24, hour=15)
    ambassador.goto(f"{served}/interventions/{other}")
    decline(ambassador, "Je ne suis pas disponible à ces dates", other_dates=(new_date,))
    flash(ambassador, "Vous avez décliné la demande.")

    # The teacher sees why the first was declined; on the other, asks again on the date
    # the ambassador proposed.
    teacher.goto(f"{served}/interventions/{refused}")
    expect(teacher.get_by_text("Statut : Déclinée")).to_be_visible()
    expect(teacher.get_by_text(why)).to_be_visible()
    expect(teacher.get_by_text(word)).to_be_visible()
    expect(teacher.get_by_role("region", name="Redemander à une autre date")).to_have_count(0)
    teacher.goto(f"{served}/interventions/{other}")
    section = teacher.get_by_role("region", name="Redemander à une autre date")
    section.get_by_label(shown(new_date)).check()
    section.get_by_role("button", name="Redemander").click()
    flash(teacher, "Une nouvelle demande a été envoyée à l’ambassadeur ou à l’ambassadrice")
    expect(teacher.get_by_text("Statut : Demandée")).to_be_visible()
    expect(fact(teacher, "Date")).to_have_text(shown(new_date))

    # The ambassador accepts it on that date.
    ambassador.goto(f"{served}/interventions/{other}")
    accept_on(ambassador, new_date)
    expect(ambassador.get_by_text("Statut : Planifiée")).to_be_visible()
    expect(ambassador.get_by_role("region", name="Fixer la date")).to_have_count(0)
    expect(fact(ambassador, "Date")).to_have_text(shown(new_date))

    teacher.goto(f"{served}/interventions/{other}")
    expect(teacher.get_by_text("Statut : Planifiée")).to_be_visible()
    expect(fact(teacher, "Date")).to_have_text(shown(new_date))


# 3. Messages, and the ambassador's contact details shared only by choice


def test_teacher_and_ambassador_write_and_contact_details_show_only_once_shared(
    served, browse_as, demo_app
):
    with demo_app.app_context():
        phone = Account.get(Account.email == AMBASSADOR).phone
    assert phone
    secrets = (AMBASSADOR, phone, re.sub(r"\D", "", phone))

    teacher = browse_as(TEACHER)
    teacher.goto(f"{served}/interventions")
    teacher.get_by_label("Afficher les demandes").select_option(label="Planifiée")
    teacher.get_by_role("button", name="Filtrer").click()
    scheduled = teacher.get_by_role("row").filter(has_text=SHOWCASE_NAME)
    expect(scheduled.first).to_contain_text("Planifiée")
    scheduled.first.get_by_role("link").first.click()
    intervention = intervention_id(teacher.url)
    teacher.get_by_role("link", name="Messages de cette intervention").click()
    teacher.get_by_label("Votre message").fill("Bonjour, la classe a préparé des questions.")
    teacher.get_by_role("button", name="Envoyer").click()
    expect(teacher.get_by_text("Bonjour, la classe a préparé des questions.")).to_be_visible()

    ambassador = browse_as(AMBASSADOR)
    ambassador.goto(f"{served}/interventions/{intervention}")
    ambassador.get_by_role("link", name="Messages de cette intervention").click()
    expect(ambassador.get_by_text("Bonjour, la classe a préparé des questions.")).to_be_visible()
    ambassador.get_by_label("Votre message").fill("Avec plaisir, à bientôt !")
    ambassador.get_by_role("button", name="Envoyer").click()
    expect(ambassador.get_by_text("Avec plaisir, à bientôt !")).to_be_visible()

    teacher.goto(f"{served}/interventions/{intervention}")
    profile = fact(teacher, "Ambassadeur").get_by_role("link").get_attribute("href")
    for path in (
        f"/interventions/{intervention}/messages",
        f"/interventions/{intervention}",
        profile,
    ):
        teacher.goto(served + path)
        assert not leaked(teacher, secrets), f"{path} shows the contact details before sharing"
    teacher.goto(f"{served}/interventions/{intervention}/messages")
    expect(teacher.get_by_text("Avec plaisir, à bientôt !")).to_be_visible()

    ambassador.get_by_label(f"Mon adresse électronique, {AMBASSADOR}").check()
    ambassador.get_by_label(f"Mon numéro de téléphone, {phone}").check()
    ambassador.get_by_role("button", name="Partager").click()
    expect(ambassador.get_by_text(f"votre adresse électronique, {AMBASSADOR}")).to_be_visible()

    teacher.reload()
    shared = teacher.get_by_role(
        "region", name="Coordonnées partagées par l’ambassadeur ou l’ambassadrice"
    )
    expect(shared.get_by_role("link", name=AMBASSADOR)).to_be_visible()
    expect(shared).to_contain_text(phone)

    # Shared with the educational team only: the referent reading the thread sees neither.
    referent = browse_as(REFERENT)
    referent.goto(f"{served}/interventions/{intervention}/messages")
    expect(referent.get_by_text("Avec plaisir, à bientôt !")).to_be_visible()
    assert not leaked(referent, secrets)


def leaked(page: Page, secrets: tuple[str, ...]) -> list[str]:
    """Which of ``secrets`` the page shows, a phone number even written with spaces."""
    text = page.content()
    return [secret for secret in secrets if secret in text or secret in squeezed(text)]


def squeezed(text: str) -> str:
    """``text`` without its blanks, where a phone number written with spaces is whole."""
    return re.sub(r"\s", "", text)


# 4. The referent's matching


def test_a_referent_gives_a_request_waiting_for_a_match_to_an_ambassador(served, browse_as):
    teacher = browse_as(TEACHER)
    teacher.goto(f"{served}/interventions/demander")
    date = school_day(15, hour=9)
    fill_request(teacher, Request(dates=(date,), message="Qui pourrait venir ?"))
    flash(teacher, "Votre demande a été envoyée à votre référent territorial")
    expect(fact(teacher, "Ambassadeur")).to_contain_text("En attente d’une mise en relation")
    waiting = intervention_id(teacher.url)

    referent = browse_as(REFERENT)
    referent.goto(f"{served}/interventions")
    referent.get_by_role("link", name=shown(date), exact=True).first.click()
    assert intervention_id(referent.url) == waiting
    section = referent.get_by_role("region", name="Trouver un ambassadeur")
    expect(section.get_by_role("heading", name="Pourquoi ce profil").first).to_be_visible()
    section.get_by_role("button", name=f"Confier la demande à {SHOWCASE_NAME}").click()
    flash(referent, "La demande a été confiée à l’ambassadeur ou à l’ambassadrice")
    expect(fact(referent, "Ambassadeur")).to_contain_text(SHOWCASE_NAME)
    expect(referent.get_by_role("region", name="Trouver un ambassadeur")).to_have_count(0)

    ambassador = browse_as(AMBASSADOR)
    ambassador.goto(f"{served}/interventions")
    ambassador.get_by_role("link", name=shown(date), exact=True).click()
    assert intervention_id(ambassador.url) == waiting
    expect(ambassador.get_by_role("region", name="Accepter la demande")).to_be_visible()
    teacher.reload()
    expect(fact(teacher, "Ambassadeur")).to_contain_text(SHOWCASE_NAME)


# 5. Regional figures, and their CSV


def test_the_region_reads_its_figures_for_a_territory_and_period_and_downloads_them(
    served, browse_as
):
    admin = browse_as(ADMIN)
    admin.goto(f"{served}/statistiques")
    start = datetime.date(now().year - 1, 9, 1)
    end = now().date()
    main = admin.get_by_role("main")
    main.get_by_label("Territoire").select_option(label="Nord")
    main.get_by_label("Du", exact=True).fill(start.isoformat())
    main.get_by_label("Au (inclus)").fill(end.isoformat())
    main.get_by_role("button", name="Afficher").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Nord")

    shown_figures = figures_on(admin)
    assert shown_figures["Interventions demandées"] != "0", shown_figures
    with admin.expect_download() as download:
        main.get_by_role("link", name="Télécharger ces chiffres (CSV)").click()
    rows = list(
        csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig")), delimiter=";")
    )
    header, *rows = rows
    assert header == ["Territoire", "Début", "Fin", "Code", "Chiffre", "Valeur", "Unité"]
    assert {(row[0], row[1], row[2]) for row in rows} == {
        ("59", start.isoformat(), end.isoformat())
    }
    in_csv = {row[4]: row[5] for row in rows}
    assert set(in_csv) == set(shown_figures)
    for label, value in shown_figures.items():
        assert same_figure(value, in_csv[label]), (label, value, in_csv[label])


def figures_on(page: Page) -> dict[str, str]:
    """Every figure of the tables of figures (not the charts' own): {figure: value shown}."""
    found = {}
    tables = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Chiffre"))
    for row in tables.get_by_role("row").all():
        header, cells = row.get_by_role("rowheader"), row.get_by_role("cell")
        if header.count() == 1 and cells.count() == 1:
            found[header.inner_text().strip()] = cells.inner_text().strip()
    return found


def same_figure(on_page: str, in_csv: str) -> bool:
    """Whether the page's figure ("82,2 %", "1 234", "41 h", "4,1 sur 5") is the CSV's
    exact one ("82,2", "1234", "41,0", "4,1"), rounded as the page shows it."""
    number = re.match(r"\d[\d\s]*(?:,\d+)?", on_page)
    assert number, on_page
    digits = re.sub(r"\s", "", number.group())
    decimals = len(digits.partition(",")[2])
    return round(float(in_csv.replace(",", ".")), decimals) == float(digits.replace(",", "."))


# 6. A new ambassador, from registration to the first request


def test_a_new_ambassador_registers_is_checked_and_receives_a_first_request(
    served, browse_as, mailbox
):
    person = Newcomer(
        first_name="Nadia",
        last_name="Benali",
        email="nadia.benali@example.org",
        occupation="Chaudronnière en aéronautique",
        zone="Dunkerque Flandre",
    )
    page = browse_as()
    page.goto(f"{served}/inscription/ambassadeur")
    registration_profile_step(page)
    registration_person_step(page, person)
    registration_occupation_step(page, person)
    registration_offers_step(page)
    registration_zone_step(page, person)
    expect(page).to_have_url(re.compile(r"/inscription/merci$"))

    [activation] = wait_for(lambda: mailbox.to(person.email), what="the activation email")
    page.goto(first_link(activation))
    main = page.get_by_role("main")
    main.get_by_label("Nouveau mot de passe", exact=True).fill(person.password)
    main.get_by_label("Nouveau mot de passe, une seconde fois").fill(person.password)
    main.get_by_role("button", name="Enregistrer mon mot de passe").click()
    flash(page, "Votre compte est actif.")

    newcomer = browse_as(person.email, person.password)
    the_charter_is_accepted(newcomer, served)
    complete_the_file(newcomer, served)

    referent = browse_as(REFERENT)
    referent.goto(f"{served}/charte/verifications")
    full_name = f"{person.first_name} {person.last_name}"
    referent.get_by_role("link", name=f"Vérifier l’extrait de {full_name}").click()
    referent.get_by_label("Vérifié").check()
    issued = now().date() - datetime.timedelta(days=10)
    referent.get_by_label("Date de délivrance").fill(issued.isoformat())
    referent.get_by_role("button", name="Enregistrer ma décision").click()
    flash(referent, "La vérification est enregistrée")

    newcomer.goto(f"{served}/charte/mon-dossier")
    expect(newcomer.get_by_text("Tout est en ordre")).to_be_visible()

    teacher = browse_as(TEACHER)
    teacher.goto(f"{served}/ambassadeurs")
    teacher.get_by_label("Métier, secteur ou code ROME").fill("chaudronnière")
    teacher.get_by_role("button", name="Rechercher").click()
    public_name = f"{person.first_name} {person.last_name[0]}."
    teacher.get_by_role("link", name=public_name, exact=True).click()
    date = school_day(12, hour=16)
    teacher.get_by_role("link", name="Demander une intervention à cette personne").click()
    fill_request(teacher, Request(dates=(date,)))
    flash(teacher, f"Votre demande a été envoyée à {public_name}")
    requested = intervention_id(teacher.url)

    # Told by email, the new ambassador follows its link to the request.
    page_of_request = re.compile(rf"/interventions/{requested}$")
    [told] = wait_for(lambda: [m for m in mailbox.to(person.email) if links_to(m, page_of_request)])
    assert shown(date) in text_of(told)
    newcomer.goto(links_to(told, page_of_request))
    expect(newcomer.get_by_text("Statut : Demandée")).to_be_visible()
    expect(newcomer.get_by_role("region", name="Accepter la demande")).to_be_visible()
    newcomer.goto(f"{served}/interventions")
    newcomer.get_by_role("link", name=shown(date), exact=True).click()
    assert intervention_id(newcomer.url) == requested


def links_to(message, address: re.Pattern) -> str | None:
    """The link of an email that matches ``address``, if any."""
    return next((link for link in links_in(message) if address.search(link)), None)
