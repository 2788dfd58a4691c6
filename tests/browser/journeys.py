"""What the journeys of ``test_journeys.py`` do in the browser, one small step each.

Pages are reached by their address or by the accessible name of a link, button or field,
in French (the demo's language), never by the layout: a restyled page keeps its journeys.
Each registration step has its own helper, so that a change to one step changes one helper.
"""

from __future__ import annotations

import datetime
import re
import socket
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tremplin.clock import now
from tremplin.demo.generator import PASSWORD

PARIS = ZoneInfo("Europe/Paris")  # the reference region's time zone
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
LINK = re.compile(r"https?://\S+")


# Time, as a person types it and reads it


def school_day(days_ahead: int, hour: int = 10) -> datetime.datetime:
    """A moment ``days_ahead`` days from the (pinned) clock, at ``hour`` in the region,
    moved to the next Monday when it falls on a weekend."""
    day = now().replace(tzinfo=datetime.UTC).astimezone(PARIS).date()
    day += datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


def typed(moment: datetime.datetime) -> str:
    """``moment`` as typed in a date-and-time field."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def shown(moment: datetime.datetime) -> str:
    """``moment`` as the French pages write it: "mercredi 16 décembre 2026, 15:30"."""
    return (
        f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}, "
        f"{moment:%H:%M}"
    )


# Signing in


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> Page:
    """Sign in through the sign-in form."""
    page.goto(f"{base_url}/connexion")
    main = page.get_by_role("main")
    main.get_by_label("Adresse électronique").fill(email)
    main.get_by_label("Mot de passe").fill(password)
    main.get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(re.compile(r"/connexion"))
    return page


def flash(page: Page, text: str) -> None:
    """The page says ``text`` (a message after an action)."""
    expect(page.get_by_text(text)).to_be_visible()


def fact(page: Page, term: str):
    """The value shown for ``term`` in a list of facts (an intervention's "Date"...)."""
    return page.locator("dt", has_text=re.compile(f"^{re.escape(term)}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


# Requesting an intervention (the teacher)


@dataclass(frozen=True)
class Request:
    """What a teacher asks in the request form."""

    dates: tuple[datetime.datetime, ...]
    intervention_type: str = "Intervention en classe (45 minutes au plus)"
    mode: str = "Sur place"
    audience: str = "Collège, 3e"
    group_size: int = 24
    message: str = "Une classe de 3e qui prépare ses choix d’orientation."


def fill_request(page: Page, request: Request) -> None:
    """Fill the request form shown, and send it; the intervention's page follows."""
    main = page.get_by_role("main")
    main.get_by_label("Type d’intervention").select_option(label=request.intervention_type)
    main.get_by_label("Modalité").select_option(label=request.mode)
    main.get_by_label("Durée en minutes").fill("45")
    main.get_by_label("Public").select_option(label=request.audience)
    main.get_by_label("Nombre de jeunes").fill(str(request.group_size))
    for number, moment in enumerate(request.dates, start=1):
        main.get_by_label(f"Date et heure {number}").fill(typed(moment))
    main.get_by_label("Message pour l’ambassadeur ou l’ambassadrice (facultatif)").fill(
        request.message
    )
    main.get_by_role("button", name="Envoyer la demande").click()
    expect(page).to_have_url(re.compile(r"/interventions/\d+$"))


def request_from_profile(page: Page, base_url: str, ambassador_id: int, request: Request) -> str:
    """From an ambassador's profile, request an intervention; the new intervention's address."""
    page.goto(f"{base_url}/ambassadeurs/{ambassador_id}")
    page.get_by_role("link", name="Demander une intervention à cette personne").click()
    fill_request(page, request)
    return page.url


def intervention_id(url: str) -> int:
    """The id of the intervention whose page is at ``url``."""
    return int(re.search(r"/interventions/(\d+)", url).group(1))


# The ambassador's answers


def accept_on(page: Page, moment: datetime.datetime) -> None:
    """Accept the request shown, on the proposed date ``moment``."""
    section = page.get_by_role("region", name="Accepter la demande")
    section.get_by_label(shown(moment)).check()
    section.get_by_role("button", name="Accepter à cette date").click()
    expect(page.get_by_role("region", name="Accepter la demande")).to_have_count(0)


def decline(
    page: Page, reason: str, message: str = "", other_dates: tuple[datetime.datetime, ...] = ()
) -> None:
    """Decline the request shown, with ``reason``, a message and other dates, confirmed."""
    section = page.get_by_role("region", name="Décliner la demande")
    section.get_by_label("Pourquoi").select_option(label=reason)
    if message:
        section.get_by_label("Un mot pour l’équipe éducative (facultatif)").fill(message)
    for number, moment in enumerate(other_dates, start=1):
        section.get_by_label(f"Date et heure {number}").fill(typed(moment))
    section.get_by_label("Je confirme refuser cette demande.").check()
    section.get_by_role("button", name="Décliner").click()


# Registration of an ambassador, one helper per step


@dataclass(frozen=True)
class Newcomer:
    """A person who registers as an ambassador."""

    first_name: str
    last_name: str
    email: str
    occupation: str
    zone: str
    password: str = "un long mot de passe pour la démo"


def next_step(page: Page) -> None:
    """Go on to the next registration step (or create the account at the last one)."""
    main = page.get_by_role("main")
    main.get_by_role("button", name=re.compile("^(Étape suivante|Créer mon compte)$")).click()


def registration_profile_step(page: Page) -> None:
    """Step 1: which ambassador the person is."""
    page.get_by_role("main").get_by_label("Ambassadeur des métiers").check()
    next_step(page)


def registration_person_step(page: Page, person: Newcomer) -> None:
    """Step 2: the personal details."""
    main = page.get_by_role("main")
    main.get_by_label("Prénom").fill(person.first_name)
    main.get_by_label(re.compile(r"^Nom\b")).fill(person.last_name)
    main.get_by_label("Adresse électronique").fill(person.email)
    next_step(page)


def registration_occupation_step(page: Page, person: Newcomer) -> None:
    """Step 3: the occupation presented."""
    page.get_by_role("main").get_by_label("Métier ou formation que vous présentez").fill(
        person.occupation
    )
    next_step(page)


def registration_offers_step(page: Page) -> None:
    """Step 4: the interventions accepted, and how."""
    main = page.get_by_role("main")
    main.get_by_label("Intervention en classe (45 minutes au plus)").check()
    main.get_by_label("Sur place").check()
    next_step(page)


def registration_zone_step(page: Page, person: Newcomer) -> None:
    """Step 5: where the person intervenes, found by typing its name, and the charter in
    force read and accepted; this step creates the account."""
    main = page.get_by_role("main")
    main.get_by_label("Trouver un territoire par son nom").fill(person.zone)
    main.get_by_label(person.zone, exact=True).check()
    main.get_by_label("Interventions par mois, au plus").fill("3")
    main.get_by_label("J’ai pris connaissance des conditions ci-dessus et les accepte").check()
    next_step(page)


def the_charter_is_accepted(page: Page, base_url: str) -> None:
    """The charter accepted at registration: the person's file does not ask for it again."""
    page.goto(f"{base_url}/charte/mon-dossier")
    expect(page.get_by_role("link", name=re.compile("^Lire et accepter la charte"))).to_have_count(
        0
    )


def complete_the_file(page: Page, base_url: str) -> None:
    """The rest of the charter plugin's file: the extract shown to the referent, the
    declarations of employer's agreement and insurance."""
    page.goto(f"{base_url}/charte/mon-dossier")
    page.get_by_role(
        "button", name="J’ai envoyé ou je montrerai mon extrait à mon référent"
    ).click()
    flash(page, "un référent de votre territoire va vérifier votre extrait")
    main = page.get_by_role("main")
    main.get_by_label("Non", exact=True).check()
    insured = now().date() - datetime.timedelta(days=30)
    main.get_by_label("Date de votre attestation d’assurance de responsabilité civile").fill(
        insured.isoformat()
    )
    main.get_by_role("button", name="Enregistrer mes déclarations").click()
    flash(page, "Vos déclarations sont enregistrées.")


# Emails, through a real SMTP server


def free_port() -> int:
    """A TCP port nothing listens on, on this machine."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler keeping every message it receives, on ``port``."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def to(self, recipient: str) -> list[Message]:
        """The messages received for ``recipient``, oldest first."""
        return [message for recipients, message in self.messages if recipient in recipients]


def text_of(message: Message) -> str:
    """The plain-text body of an email."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the email has no text part")


def links_in(message: Message) -> list[str]:
    """The addresses written in an email, in order."""
    return LINK.findall(text_of(message))


def first_link(message: Message) -> str:
    """The first address written in an email."""
    return links_in(message)[0]
