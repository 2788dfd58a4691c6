"""An ambassador's email and phone reach nobody, except the school side of the one
intervention they were shared for.

The reference region with every plugin it enables and a small demo network; the demo's
ambassador gets an email and a phone found nowhere else, shares them for one intervention
with its school, then every role (and a visitor) walks every GET route of the URL map (the
pages and the JSON API alike) with real ids. Routes are read from the app, so a new page or
endpoint, a plugin's too, is walked without touching this test.
"""

from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Iterator

import pypdf
import pytest
from werkzeug.routing import IntegerConverter

from tremplin.auth.models import Account, Role, RoleGrant
from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD
from tremplin.interventions.models import Intervention, Status
from tremplin.people.models import Ambassador
from tremplin.testing import csrf_token_from, sign_in

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
# Arguments that are not ids: what to put in them, or nothing (the route is left out).
TEXT_ARGUMENTS = {"code": ["hdf", "59", "80"]}


@pytest.fixture
def network(make_app, reference_region, run_cli):
    """The app, the secret ambassador's account and the intervention its contacts go to."""
    enabled = tomllib.loads((reference_region / "tremplin.toml").read_text(encoding="utf-8"))
    app = make_app(region=reference_region, plugins=enabled["plugins"]["enabled"], migrate=False)
    result = run_cli(app, "demo", "--no-serve", "--ambassadors", "30", "--interventions", "60")
    assert result.exit_code == 0, result.output
    with app.app_context():
        account = Account.get(Account.email == LOGIN_EMAILS["ambassador"])
        Account.update(email=SECRET_EMAIL, phone=SECRET_PHONE).where(
            Account.id == account.id
        ).execute()
        ambassador = Ambassador.get(Ambassador.account == account.id)
        teacher = Account.get(Account.email == LOGIN_EMAILS["educator"])
        schools = [
            grant.organisation_id
            for grant in RoleGrant.select().where(
                RoleGrant.account == teacher.id, RoleGrant.role == Role.EDUCATOR
            )
        ]
        shared = (
            Intervention.select()
            .where(
                Intervention.ambassador == ambassador.id,
                Intervention.organisation.in_(schools),
                Intervention.status.in_([Status.ACCEPTED, Status.SCHEDULED]),
            )
            .order_by(Intervention.id)
            .first()
        )
        assert shared is not None, "the demo gives its teacher and ambassador a current one"
    client = signed_in(app, SECRET_EMAIL)
    answer = client.post(
        f"/api/v1/interventions/{shared.id}/contacts", json={"email": True, "phone": True}
    )
    assert answer.status_code in {200, 201}, answer.text
    return app, ambassador, shared


def readable(response) -> str:
    """What a person reads in ``response``: its text, or a PDF's text read back by pypdf."""
    if response.mimetype == "application/pdf":
        pages = pypdf.PdfReader(io.BytesIO(response.get_data())).pages
        return "\n".join(page.extract_text() for page in pages)
    return response.get_data(as_text=True)


def signed_in(app, email: str):
    """A client signed in as ``email`` (a demo account: they share the demo's password)."""
    client = app.test_client()
    sign_in(client, email, PASSWORD)
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token_from(client, "/mon-compte")
    return client


def ids_to_try(app, ambassador, shared) -> list[int]:
    """Small ids (a few rows of every table) and those of the ambassador's own rows."""
    with app.app_context():
        theirs = [
            row.id
            for row in Intervention.select(Intervention.id)
            .where(Intervention.ambassador == ambassador.id)
            .limit(8)
        ]
    return sorted({*range(1, 9), ambassador.id, ambassador.account_id, shared.id, *theirs})


def paths(app, ids: list[int]) -> Iterator[str]:
    """Every GET route with its arguments filled: ids for integers, known texts otherwise."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.endswith("static"):
            continue
        choices: list[dict[str, str]] = [{}]
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                values = [str(number) for number in ids]
            elif name in TEXT_ARGUMENTS:
                values = TEXT_ARGUMENTS[name]
            else:
                break  # a token, a file name: nothing a person could be found by
            choices = [{**choice, name: value} for choice in choices for value in values]
        else:
            for choice in choices:
                yield re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, c=choice: c[m.group(1)], rule.rule)


def leaks(text: str) -> list[str]:
    """The secret contact details found in ``text``."""
    found = [SECRET_EMAIL] if SECRET_EMAIL in text else []
    return found + [form for form in PHONE_FORMS if form in text]


def test_an_ambassador_s_contacts_reach_only_the_school_they_shared_them_with(network):
    app, ambassador, shared = network
    ids = ids_to_try(app, ambassador, shared)
    walked = sorted(set(paths(app, ids)))
    assert any(path.startswith("/api/v1/") for path in walked)
    assert f"/interventions/{shared.id}" in walked
    with app.app_context():
        other_ambassador = (
            Account.select()
            .join(Ambassador, on=Ambassador.account == Account.id)
            .where(Account.id != ambassador.account_id, Account.status == "active")
            .first()
        )
    visitors = {
        "visitor": app.test_client(),
        "admin": signed_in(app, LOGIN_EMAILS["admin"]),
        "referent": signed_in(app, LOGIN_EMAILS["referent"]),
        "partner": signed_in(app, LOGIN_EMAILS["partner"]),
        "another ambassador": signed_in(app, other_ambassador.email),
        "the school's teacher": signed_in(app, LOGIN_EMAILS["educator"]),
    }
    school_side = re.compile(rf"^(/api/v1)?/interventions/{shared.id}(/|$)")
    seen_by_the_school = []
    for role, client in visitors.items():
        for path in walked:
            response = client.get(path)
            found = leaks(readable(response))
            if role == "the school's teacher" and school_side.match(path):
                seen_by_the_school += found
                continue
            assert not found, f"{role} reads {found} on {path} ({response.status_code})"
    # The exception is real: the school sees what it was given, where it was given.
    assert SECRET_EMAIL in seen_by_the_school
    assert SECRET_PHONE in seen_by_the_school
