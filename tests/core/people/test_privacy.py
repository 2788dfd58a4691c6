"""An ambassador's email, phone and last name never reach another user (issue item 5)."""

from __future__ import annotations

import json

import pytest

from tremplin import hookimpl
from tremplin.people import holds
from tremplin.people.holds import Hold
from tremplin.testing import client_of

EMAIL = "zorglub.secret@example.org"
PHONE = "+33 6 99 88 77 66"
LAST_NAME = "Zorglubowski"
SECRETS = (EMAIL, "zorglub.secret", PHONE, "99 88 77 66", "0699887766", LAST_NAME, "orglubowski")

# Blueprints of the people area: every GET page or endpoint of these must be walked.
BLUEPRINTS = ("people.", "registration.", "ambassadors_api.")


class Charter:
    """A plugin with something to say about the ambassador, for the referents' pages."""

    name = "charter"

    @hookimpl
    def ambassador_holds(self, ambassadors):
        return {ambassador.id: [Hold("unsigned", "Charte à signer")] for ambassador in ambassadors}


def urls_of_every_people_page(app, ambassador_id: int, school_id: int) -> dict[str, list[str]]:
    """Each GET endpoint of the people area with the URLs to request, query strings included."""
    values = {
        "ambassador_id": ambassador_id,
        "organisation_id": school_id,
        "filename": "people.css",
    }
    extra = {
        "people.directory_page": [
            "/ambassadeurs",
            "/ambassadeurs?q=soudeuse",
            f"/ambassadeurs?q=soud&organisation={school_id}&available=false",
            "/ambassadeurs?q=soud&lang=en",
        ],
        "ambassadors_api.list_ambassadors": [
            "/api/v1/ambassadors/?q=soudeuse",
            f"/api/v1/ambassadors/?organisation={school_id}&available=false",
        ],
        "registration.register_step": [f"/inscription/ambassadeur/etape-{n}" for n in range(1, 6)],
        "registration.educator_school": ["/inscription/equipe-educative?q=lycee"],
    }
    urls: dict[str, list[str]] = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith(BLUEPRINTS) or "GET" not in rule.methods:
                continue
            if rule.endpoint in extra:
                urls[rule.endpoint] = extra[rule.endpoint]
                continue
            arguments = {name: values[name] for name in rule.arguments}
            urls[rule.endpoint] = [app.url_for(rule.endpoint, **arguments, _external=False)]
    return urls


@pytest.fixture
def walk(make_app, make_people):
    app = make_app(extra_plugins=[Charter()])
    people = make_people(app)
    school = people.school(latitude=50.62, longitude=3.14)
    ambassador = people.ambassador(
        "Soudeuse",
        email=EMAIL,
        phone=PHONE,
        first_name="Zoé",
        last_name=LAST_NAME,
        presentation="Je présente la soudure aux collégiens.",
        zones=["59"],
    )

    def visit(account) -> dict[str, str]:
        client = client_of(app, account)
        bodies = {}
        for urls in urls_of_every_people_page(app, ambassador.id, school.id).values():
            for url in urls:
                response = client.get(url, follow_redirects=True)
                assert response.status_code < 500, url
                body = response.get_data(as_text=True)
                if response.is_json:  # as written, and with accents decoded
                    body += json.dumps(response.json, ensure_ascii=False)
                bodies[url] = body
        return bodies

    return app, people, ambassador, visit


def assert_no_secret(bodies: dict[str, str]) -> None:
    leaks = [(url, secret) for url, body in bodies.items() for secret in SECRETS if secret in body]
    assert leaks == []


def test_an_educator_never_sees_email_phone_or_last_name(walk):
    _app, people, ambassador, visit = walk
    bodies = visit(people.educator())

    # The walk reached the ambassador, under the first name and initial only.
    assert "Zoé Z." in bodies["/ambassadeurs?q=soudeuse"]
    assert "Zoé Z." in bodies[f"/ambassadeurs/{ambassador.id}"]
    assert "Zoé Z." in bodies["/api/v1/ambassadors/?q=soudeuse"]
    assert "Zoé Z." in bodies[f"/api/v1/ambassadors/{ambassador.id}"]
    assert_no_secret(bodies)


def test_referents_and_admins_do_not_see_them_either(walk):
    app, people, ambassador, visit = walk
    with app.app_context():
        holds.set_hold(ambassador, "charter", "unsigned", "Charte à signer")
    for account in (people.referent("59"), people.admin()):
        bodies = visit(account)
        assert "Charte à signer" in bodies[f"/ambassadeurs/{ambassador.id}/retenues"]
        assert "Zoé Z." in bodies["/ambassadeurs/masques"]
        assert "Zoé Z." in bodies[f"/api/v1/ambassadors/{ambassador.id}"]
        assert_no_secret(bodies)


def test_the_walk_covers_every_page_of_the_people_area(walk):
    app, _people, _ambassador, _visit = walk
    walked = set(urls_of_every_people_page(app, 1, 1))
    assert {
        "people.directory_page",
        "people.show",
        "people.edit",
        "people.hidden_reasons",
        "people.hidden",
        "people.my_profile",
        "ambassadors_api.list_ambassadors",
        "ambassadors_api.get_ambassador",
    } <= walked
