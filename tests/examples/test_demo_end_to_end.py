"""``tremplin demo`` on the reference region, used as people would: each demo login signs
in and finds its pages filled; an intervention goes from the teacher's request to the
report and the ambassador's feedback through the HTML forms only (each page fetched, its
form read and sent back with its CSRF token, as a browser does); a second run keeps the
network as it is."""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from tremplin.clock import now, travel
from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD, SHOWCASE_OCCUPATION
from tremplin.testing import has_planner_statistics, sign_in

# Small enough to run in a few seconds; the default size is the same code with bigger loops.
SIZE = ("--ambassadors", "300", "--interventions", "200")
# Every status a network reaches today ("Acceptée, date à fixer" is only found in data of
# earlier versions: accepting now fixes the date).
STATUSES_IN_FRENCH = (
    "Demandée",
    "Planifiée",
    "Réalisée",
    "Déclinée",
    "Annulée",
    "Expirée sans réponse",
)


# Reading pages and sending their forms as a browser does


def text_of(response) -> str:
    """The readable text of a page's main content, entities decoded, spaces collapsed."""
    page = response.get_data(as_text=True)
    main = re.search(r"<main.*?</main>", page, re.S)
    page = main.group(0) if main else page
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@dataclass
class Form:
    """A form of a page: where it goes, how, and the fields a browser would send."""

    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def submit(self, client, **changes):
        """Send the form with ``changes`` (a list value fills several fields of that name)."""
        data = MultiDict([(name, value) for name, value in self.fields if name not in changes])
        for name, value in changes.items():
            for item in value if isinstance(value, list) else [value]:
                data.add(name, str(item))
        if self.method == "post":
            return client.post(self.action, data=data)
        return client.get(self.action, query_string=data)


class FormReader(HTMLParser):
    """Every form of a page with its current values: typed fields, checked boxes and radio
    buttons, selected options (the first one when none is), text areas."""

    IGNORED = frozenset({"submit", "button", "reset", "image", "file"})

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            method = (attributes.get("method") or "get").lower()
            self._form = Form(attributes.get("action") or self.page_url, method)
        elif self._form is None:
            return
        elif tag == "input":
            kind = (attributes.get("type") or "text").lower()
            name = attributes.get("name")
            if not name or kind in self.IGNORED:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._form.fields.append((name, attributes.get("value") or "on"))
                return
            self._form.fields.append((name, attributes.get("value") or ""))
        elif tag == "select":
            self._select = (attributes.get("name") or "", "multiple" in attributes)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value") or "", "selected" in attributes))
        elif tag == "textarea":
            self._textarea = [attributes.get("name") or "", ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "form":
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None


def form_on(client, url: str, action: str) -> Form:
    """The form of page ``url`` whose action contains ``action``."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    reader = FormReader(url)
    reader.feed(response.get_data(as_text=True))
    matching = [form for form in reader.forms if action in form.action]
    assert matching, f"no form to {action} on {url}"
    return matching[0]


def redirected(response) -> str:
    """The path a form's answer sends the browser to (after a successful POST)."""
    assert response.status_code == 302, (response.status_code, text_of(response)[:500])
    return response.headers["Location"]


def status_line(client, url: str) -> str:
    """What the intervention's page says of its status (its text: the badge's markup left out)."""
    page = client.get(url).get_data(as_text=True)
    line = re.search(r'<p class="status">(.*?)</p>', page, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", line))


def notifications_of(client) -> str:
    response = client.get("/notifications")
    assert response.status_code == 200
    return text_of(response)


# The demo


@pytest.fixture
def demo(reference_region, make_app, run_cli):
    """The reference region with the charter, its demo network generated (small size)."""
    app = make_app(region=reference_region, plugins=["charter"])
    result = run_cli(app, "demo", "--no-serve", *SIZE)
    assert result.exit_code == 0, result.output
    return app, result.output


def signed_in(app, role: str):
    client = app.test_client()
    sign_in(client, LOGIN_EMAILS[role], PASSWORD)
    return client


# Page, then what it shows from the demo network.
PAGES = {
    "admin": {
        "/tableau-de-bord": ["Bonjour Équipe", "Chiffres clés : Hauts-de-France"],
        "/statistiques": ["Statistiques — Hauts-de-France", "Bénéficiaires touchés"],
        "/ambassadeurs": ["ambassadeurs trouvés"],
        "/organisations": ["Collège"],
        "/interventions": ["Demandes en cours", "Collège"],
        "/alertes": ["Alertes de mes territoires"],
        "/charte/verifications": ["Vérifications à faire", "en attente"],
        "/charte/journal": ["Journal des décisions"],
        "/ambassadeurs/masques": ["Ambassadeurs masqués dans l’annuaire"],
    },
    "referent": {
        "/tableau-de-bord": ["Bonjour Claire", "Chiffres clés", "Voir les alertes"],
        "/statistiques": ["Statistiques", "Interventions réalisées"],
        "/interventions": ["Demandes en cours", "Samia L.", "Collège"],
        "/ambassadeurs": ["ambassadeurs trouvés"],
        "/alertes": ["Alertes de mes territoires"],
        "/charte/verifications": ["Vérifications à faire", "en attente"],
    },
    "educator": {
        "/tableau-de-bord": ["Bonjour Julien"],
        "/interventions": ["Demandes de mes établissements", "Samia L."],
        "/ambassadeurs": ["ambassadeurs trouvés — pour Collège"],
        "/interventions/demander": ["Demander une intervention"],
        "/mon-compte": ["Équipe éducative — Collège"],
    },
    "ambassador": {
        "/tableau-de-bord": ["Bonjour Samia", "Tout est en ordre"],
        "/interventions": ["Demandes à traiter", "À venir", "Interventions passées", "Collège"],
        "/charte/mon-dossier": ["Ma charte et mes vérifications"],
        "/agenda/calendrier": ["Mon calendrier"],
    },
    "partner": {
        "/tableau-de-bord": ["Bonjour Marc"],
        "/mon-compte": ["Responsable de partenaire"],
    },
}
SIGNED_IN = {
    "/notifications": ["Notifications"],
    "/evenements": ["Événements"],
    "/mon-compte": ["Mon compte"],
}
PUBLIC = {
    "/": ["Proch'Orientation", "Hauts-de-France"],
    "/chiffres-cles": ["Chiffres clés — Hauts-de-France", "Ambassadeurs inscrits"],
    "/accessibilite": ["Déclaration d’accessibilité"],
    "/charte": ["Charte des ambassadeurs et ambassadrices des métiers"],
    "/donnees-personnelles": ["Données personnelles"],
}
FORBIDDEN = {
    "educator": ["/statistiques", "/alertes", "/charte/verifications", "/ambassadeurs/masques"],
    "ambassador": ["/ambassadeurs", "/statistiques", "/organisations", "/charte/verifications"],
    "partner": ["/ambassadeurs", "/statistiques", "/organisations", "/interventions/demander"],
    "referent": ["/interventions/demander"],
}
SIGNED_IN_ONLY = ["/tableau-de-bord", "/interventions", "/ambassadeurs", "/statistiques"]


def test_each_demo_login_signs_in_and_finds_its_pages_filled(demo):
    app, output = demo
    assert PASSWORD in output
    for email in LOGIN_EMAILS.values():
        assert re.search(rf"^\s+.+\s{re.escape(email)}$", output, re.M), email
    for role, pages in PAGES.items():
        client = signed_in(app, role)
        for url, expected in {**SIGNED_IN, **pages}.items():
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            shown = text_of(response)
            for words in expected:
                assert words in shown, (role, url, words)
        for url in FORBIDDEN.get(role, []):
            assert client.get(url).status_code == 403, (role, url)
    # Distances are written the French way, as in the referents' suggestions.
    directory = text_of(signed_in(app, "educator").get("/ambassadeurs"))
    assert re.search(r"À environ \d+(,\d+)? km", directory)
    assert not re.search(r"\d\.\d+ km", directory)
    visitor = app.test_client()
    for url, expected in PUBLIC.items():
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert all(words in text_of(response) for words in expected), url
    for url in SIGNED_IN_ONLY:
        assert visitor.get(url).headers.get("Location", "").startswith("/connexion"), url


def test_the_demo_teacher_and_ambassador_share_interventions_in_every_status(demo):
    app, _output = demo
    teacher, ambassador = signed_in(app, "educator"), signed_in(app, "ambassador")
    agendas = {
        side: client.get("/interventions").get_data(as_text=True)
        for side, client in (("teacher", teacher), ("ambassador", ambassador))
    }
    cells = {  # the text of each cell (a status is written inside its badge)
        side: {
            html.unescape(re.sub(r"<[^>]+>", "", cell))
            for cell in re.findall(r"<td>(.*?)</td>", agenda, re.S)
        }
        for side, agenda in agendas.items()
    }
    assert set(STATUSES_IN_FRENCH) <= cells["teacher"]
    # The ambassador's agenda lists what is to answer, to come and done: not the declined.
    assert {"Demandée", "Planifiée", "Réalisée"} <= cells["ambassador"]
    shared = dict.fromkeys(re.findall(r'href="/interventions/(\d+)"', agendas["ambassador"]))
    counts = [
        int(re.search(r'id="thread-title">(\d+)', thread)[1])
        for thread in (
            ambassador.get(f"/interventions/{number}/messages").get_data(as_text=True)
            for number in shared
        )
    ]
    assert any(counts), "no message in the threads of the demo ambassador"


def test_an_intervention_goes_from_request_to_report_through_the_forms(demo):
    app, _output = demo
    teacher = signed_in(app, "educator")
    ambassador = signed_in(app, "ambassador")

    # The teacher finds the demo ambassador in the directory, for their school.
    directory = form_on(teacher, "/ambassadeurs", "/ambassadeurs")
    results = directory.submit(teacher, q=SHOWCASE_OCCUPATION).get_data(as_text=True)
    found = re.search(r'<a href="/ambassadeurs/(\d+)">Samia L\.</a>', results)
    assert found, "the demo ambassador is not in the directory"
    profile = teacher.get(f"/ambassadeurs/{found.group(1)}").get_data(as_text=True)
    request_url = html.unescape(re.search(r'href="(/interventions/demander[^"]+)"', profile)[1])

    # ...and asks them for a talk, on two dates months ahead (the demo fills two months).
    day = (now() + datetime.timedelta(days=120)).date()
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    dates = [f"{day.isoformat()}T10:00", f"{day.isoformat()}T14:00"]
    location = redirected(
        form_on(teacher, request_url, "/interventions/demander").submit(
            teacher,
            intervention_type="class_talk",
            mode="on_site",
            duration_minutes="45",
            topic="La maintenance industrielle",
            audience_level="college_3",
            group_size="26",
            slots=dates,
            message="Classe de 3e qui prépare son stage d'observation.",
        )
    )
    intervention = re.fullmatch(r"/interventions/(\d+)", location)
    assert intervention, location
    page = text_of(teacher.get(location))
    assert "Votre demande a été envoyée à Samia L., qui vous répondra ici." in page
    assert status_line(teacher, location) == "Statut : Demandée"
    assert "Une demande attend votre réponse" in notifications_of(ambassador)
    notification = re.search(
        r'href="(/notifications/\d+)"', ambassador.get("/notifications").get_data(as_text=True)
    )[1]
    assert ambassador.get(notification).headers["Location"] == location
    assert f"/interventions/{intervention[1]}" in ambassador.get("/interventions").get_data(
        as_text=True
    )

    # The ambassador accepts the second date proposed (the form checks the first).
    accept = form_on(ambassador, location, "/accepter")
    proposed = re.findall(r'name="slot" value="(\d+)"', ambassador.get(location).text)
    assert [value for name, value in accept.fields if name == "slot"] == proposed[:1]
    second = proposed[1]
    assert redirected(accept.submit(ambassador, slot=second)) == location
    # Accepting on that date fixes it: nothing is left to agree on but the details.
    assert status_line(ambassador, location) == "Statut : Planifiée"
    assert "Samia L. a accepté la demande : la date est fixée" in notifications_of(teacher)

    # The teacher may still move it; the form proposes the date the ambassador chose.
    schedule = form_on(teacher, location, "/planifier")
    assert dict(schedule.fields)["starts_at"] == dates[1]
    assert redirected(schedule.submit(teacher, starts_at=dates[0])) == location
    assert status_line(teacher, location) == "Statut : Planifiée"
    assert "La date a changé" in notifications_of(ambassador)

    # They write to each other through the thread, without email addresses.
    thread = f"{location}/messages"
    write = form_on(teacher, thread, "/messages")
    written = redirected(write.submit(teacher, body="La salle 12 est au premier étage."))
    assert written.startswith(thread)
    assert "Nouveau message de Julien D." in notifications_of(ambassador)
    assert "La salle 12 est au premier étage." in text_of(ambassador.get(thread))

    # Time passes: the talk took place; the teacher reports it, the ambassador gives feedback.
    # Months later both sign in again: a session unused for 30 days has ended.
    with travel(datetime.timedelta(days=130)):
        teacher, ambassador = signed_in(app, "educator"), signed_in(app, "ambassador")
        report = form_on(teacher, location, "/compte-rendu")
        answer = report.submit(
            teacher, reach_college_3="24", rating="5", comment="Des questions jusqu'à la fin."
        )
        assert redirected(answer) == location
        page = text_of(teacher.get(location))
        assert status_line(teacher, location) == "Statut : Réalisée"
        assert "24 jeunes touchés" in page
        assert "Merci ! Donnez votre avis" in notifications_of(ambassador)

        feedback = form_on(ambassador, location, "/avis")
        answer = feedback.submit(ambassador, rating="4", comment="Une classe très curieuse.")
        assert redirected(answer) == location
        for side in (ambassador, teacher):
            page = text_of(side.get(location))
            assert "Statut : Réalisée" in page
            assert "Une classe très curieuse." in page
            assert "Des questions jusqu'à la fin." in page


def test_the_demo_leaves_the_planner_s_statistics_gathered(demo):
    app, _output = demo
    for table in ("ambassador", "account", "intervention"):
        assert has_planner_statistics(app, table), table


def test_a_second_run_keeps_the_network_as_it_is(demo, run_cli):
    app, _output = demo
    before = text_of(app.test_client().get("/chiffres-cles"))
    again = run_cli(app, "demo", "--no-serve", *SIZE)
    assert again.exit_code == 0, again.output
    assert "Le réseau de démonstration est déjà dans cette base" in again.output
    assert LOGIN_EMAILS["ambassador"] in again.output
    assert text_of(app.test_client().get("/chiffres-cles")) == before


def test_the_demo_refuses_a_database_holding_other_data(reference_region, make_app, run_cli):
    app = make_app(region=reference_region, plugins=["charter"])
    created = run_cli(
        app,
        "accounts",
        "create",
        "someone@example.org",
        "--first-name",
        "Léa",
        "--last-name",
        "Martin",
        "--role",
        "admin",
        "--password-stdin",
        input="a long enough password\n",
    )
    assert created.exit_code == 0, created.output
    refused = run_cli(app, "demo", "--no-serve", *SIZE)
    assert refused.exit_code == 2, refused.output
    error = refused.output.strip().splitlines()[-1]
    assert error.startswith("Erreur : ")
    assert "TREMPLIN_DATABASE_URL" in error
    assert LOGIN_EMAILS["admin"] not in refused.output
