"""An ambassador's email and phone reach nobody, except the school side of the one
intervention they were shared for; meeting links reach the participants and nobody else.

The reference region with every plugin it enables and a small demo network; the demo's
ambassador gets an email and a phone found nowhere else and shares them for one intervention
with its school; that intervention is held remotely and the teacher gives its meeting link,
as for a webinar of the school. Then every role (and a visitor) walks every GET route of the
URL map (the pages and the JSON API alike) with real ids, once for both secrets. Routes are
read from the app, so a new page or endpoint, a plugin's too, is walked without touching
this test.
"""

from __future__ import annotations

import datetime
import io
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pypdf import PdfReader
from werkzeug.routing import IntegerConverter

from tremplin.auth.models import Account, Role, RoleGrant
from tremplin.clock import now
from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD
from tremplin.interventions import events, meeting
from tremplin.interventions.models import Event, Intervention, Status
from tremplin.people.models import Ambassador, Mode
from tremplin.testing import api_client, pinned_at_test_now

SECRET_EMAIL = "camille.secret-7f3a9@example.org"
SECRET_PHONE = "06 98 76 54 32"
# The phone as it could be written on a page or in JSON.
PHONE_FORMS = (
    "06 98 76 54 32",
    "0698765432",
    "06.98.76.54.32",
    "+33698765432",
    "+33 6 98 76 54 32",
)
LINK = "https://visio.example.org/salle-secrete-b81c"
WEBINAR_LINK = "https://visio.example.org/webinaire-secret-4d2e"
# Arguments that are not ids: what to put in them, or nothing (the route is left out).
TEXT_ARGUMENTS = {"code": ["hdf", "59", "80"]}
# Small ids: a few rows of every table, others' rows among them.
SMALL_IDS = range(1, 5)


@dataclass
class Walk:
    """The app and the rows of the secrets: the intervention whose contacts and meeting
    link were given, the webinar whose link was given, and two outsiders' accounts."""

    app: object
    ambassador: Ambassador
    shared: Intervention
    webinar: Event
    other_teacher: Account
    other_ambassador: Account


def schools_of(account: Account) -> set[int]:
    """The schools where ``account`` teaches."""
    return {
        grant.organisation_id
        for grant in RoleGrant.select().where(
            RoleGrant.account == account.id, RoleGrant.role == Role.EDUCATOR
        )
    }


@pytest.fixture(scope="module")
def walk(request, make_module_app, module_reference_region, run_cli) -> Walk:
    """The demo, with the ambassador's contacts shared and the meeting links given: one for
    the module's tests (each walks as one role, and only reads)."""
    with pinned_at_test_now(request.config):
        return _secrets_given(make_module_app, module_reference_region, run_cli)


def _secrets_given(make_app, region, run_cli) -> Walk:
    """The demo of ``region`` on an app of ``make_app``, the secrets given."""
    enabled = tomllib.loads((region / "tremplin.toml").read_text(encoding="utf-8"))
    app = make_app(region=region, plugins=enabled["plugins"]["enabled"], migrate=False)
    result = run_cli(app, "demo", "--no-serve", "--ambassadors", "30", "--interventions", "60")
    assert result.exit_code == 0, result.output
    with app.app_context():
        account = Account.get(Account.email == LOGIN_EMAILS["ambassador"])
        Account.update(email=SECRET_EMAIL, phone=SECRET_PHONE).where(
            Account.id == account.id
        ).execute()
        ambassador = Ambassador.get(Ambassador.account == account.id)
        teacher = Account.get(Account.email == LOGIN_EMAILS["educator"])
        shared = (
            Intervention.select()
            .where(
                Intervention.ambassador == ambassador.id,
                Intervention.organisation.in_(list(schools_of(teacher))),
                Intervention.status.in_([Status.ACCEPTED, Status.SCHEDULED]),
            )
            .order_by(Intervention.id)
            .first()
        )
        assert shared is not None, "the demo gives its teacher and ambassador a current one"
        Intervention.update(mode=Mode.REMOTE).where(Intervention.id == shared.id).execute()
        other_teacher = next(
            account
            for account in Account.select()
            .join(RoleGrant, on=RoleGrant.account == Account.id)
            .where(RoleGrant.role == Role.EDUCATOR, Account.status == "active")
            .order_by(Account.id)
            if not schools_of(account) & {shared.organisation_id}
        )
        other_ambassador = (
            Account.select()
            .join(Ambassador, on=Ambassador.account == Account.id)
            .where(Account.id != ambassador.account_id, Account.status == "active")
            .first()
        )
        webinar = _webinar(teacher, shared.organisation_id)
        meeting.set_event_link(teacher, webinar.id, {"url": WEBINAR_LINK})
    answer = signed_in(app, SECRET_EMAIL).post(
        f"/api/v1/interventions/{shared.id}/contacts", json={"email": True, "phone": True}
    )
    assert answer.status_code in {200, 201}, answer.text
    answer = signed_in(app, LOGIN_EMAILS["educator"]).post(
        f"/api/v1/interventions/{shared.id}/meeting-link", json={"url": LINK}
    )
    assert answer.status_code == 200, answer.text
    return Walk(app, ambassador, shared, webinar, other_teacher, other_ambassador)


def _webinar(organiser: Account, school_id: int) -> Event:
    """A webinar of ``school_id`` to come, created by its teacher ``organiser``."""
    starts = now() + datetime.timedelta(days=30)
    return events.create_event(
        organiser,
        {
            "title": "Webinaire des métiers de la santé",
            "intervention_type": "webinar",
            "mode": "remote",
            "organisation": school_id,
            "audience_level": "lycee_general",
            "slots": [
                {
                    "starts_at": starts.replace(tzinfo=datetime.UTC).isoformat(),
                    "ends_at": (starts + datetime.timedelta(hours=1))
                    .replace(tzinfo=datetime.UTC)
                    .isoformat(),
                }
            ],
        },
    )


def signed_in(app, email: str):
    """A client signed in as ``email`` (a demo account: they share the demo's password)."""
    return api_client(app, email, PASSWORD)


def ids_to_try(walk: Walk) -> list[int]:
    """Small ids and those of the secrets' rows and of the ambassador's own rows."""
    with walk.app.app_context():
        theirs = [
            row.id
            for row in Intervention.select(Intervention.id)
            .where(Intervention.ambassador == walk.ambassador.id)
            .limit(4)
        ]
    return sorted(
        {
            *SMALL_IDS,
            walk.ambassador.id,
            walk.ambassador.account_id,
            walk.shared.id,
            walk.webinar.id,
            *theirs,
        }
    )


def paths(app, ids: list[int]) -> Iterator[str]:
    """Every GET route with its arguments filled: ids for integers, known texts otherwise."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.endswith("static"):
            continue
        choices: list[dict[str, str]] = [{}]
        integers = 0
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                # Every id in the first place; small ids in the others (their products grow
                # fast, and a person's rows are found by the first).
                values = [str(number) for number in (ids if not integers else SMALL_IDS)]
                integers += 1
            elif name in TEXT_ARGUMENTS:
                values = TEXT_ARGUMENTS[name]
            else:
                break  # a token, a file name: nothing a person could be found by
            choices = [{**choice, name: value} for choice in choices for value in values]
        else:
            for choice in choices:
                yield re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, c=choice: c[m.group(1)], rule.rule)


def text_of(response) -> str:
    """What a person reads in ``response``: a PDF's text, a page's or JSON's characters."""
    if response.mimetype == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    return response.get_data().decode("utf-8", errors="replace")


def leaks(text: str) -> list[str]:
    """The secret contact details found in ``text``."""
    found = [SECRET_EMAIL] if SECRET_EMAIL in text else []
    return found + [form for form in PHONE_FORMS if form in text]


@pytest.fixture(scope="module")
def walked(walk: Walk) -> list[str]:
    """Every path walked, in order."""
    return sorted(set(paths(walk.app, ids_to_try(walk))))


# Who walks: a visitor, and each role signed in.
ROLES = (
    "visitor",
    "admin",
    "referent",
    "partner",
    "another ambassador",
    "another school's teacher",
    "the school's teacher",
)
OUTSIDERS = {"visitor", "partner", "another ambassador", "another school's teacher"}


def client_of(walk: Walk, role: str):
    """A client of ``role`` on the walk's app."""
    emails = {
        "another ambassador": walk.other_ambassador.email,
        "another school's teacher": walk.other_teacher.email,
        "the school's teacher": LOGIN_EMAILS["educator"],
    }
    if role == "visitor":
        return walk.app.test_client()
    return signed_in(walk.app, emails.get(role) or LOGIN_EMAILS[role])


def test_the_walk_goes_through_pages_and_api_and_the_secrets_own_pages(walk, walked):
    assert any(path.startswith("/api/v1/") for path in walked)
    assert f"/interventions/{walk.shared.id}" in walked
    assert f"/evenements/{walk.webinar.id}" in walked


@pytest.mark.parametrize("role", ROLES)
def test_contacts_reach_only_the_school_they_were_shared_with_and_links_only_participants(
    walk, walked, role
):
    client = client_of(walk, role)
    school_side = re.compile(rf"^(/api/v1)?/interventions/{walk.shared.id}(/|$)")
    seen_by_the_school = []
    for path in walked:
        response = client.get(path)
        text = text_of(response)
        found = leaks(text)
        if role == "the school's teacher" and school_side.match(path):
            seen_by_the_school += found
        else:
            assert not found, f"{role} reads {found} on {path} ({response.status_code})"
        if role in OUTSIDERS:
            assert LINK not in text, f"{role} reads the meeting link on {path}"
            assert WEBINAR_LINK not in text, f"{role} reads the webinar's link on {path}"
    if role == "the school's teacher":
        # The exception is real: the school sees what it was given, where it was given.
        assert SECRET_EMAIL in seen_by_the_school
        assert SECRET_PHONE in seen_by_the_school


def test_the_participants_read_the_meeting_links(walk):
    app, shared = walk.app, walk.shared
    for role in ("educator", "ambassador", "referent"):
        email = SECRET_EMAIL if role == "ambassador" else LOGIN_EMAILS[role]
        page = signed_in(app, email).get(f"/interventions/{shared.id}")
        assert LINK in page.text, f"the {role} does not read the meeting link"
    organiser = signed_in(app, LOGIN_EMAILS["educator"])
    assert WEBINAR_LINK in organiser.get(f"/evenements/{walk.webinar.id}").text
