"""The web shell: accessible layout, health check, error pages, API document, no secrets."""

import re

import pytest
from flask import Blueprint

from tremplin import hookimpl
from tremplin.app import runtime_of
from tremplin.web.navigation import Link


def test_the_home_page_has_an_accessible_layout(client):
    page = client.get("/").text
    assert re.search(r'<html lang="fr">', page)
    assert '<a class="skip-link" href="#contenu">' in page
    for landmark in ('role="banner"', 'role="navigation"', 'id="contenu"', 'role="contentinfo"'):
        assert landmark in page
    assert 'href="/accessibilite"' in page


def test_the_stylesheet_gives_focus_a_visible_outline(client):
    css = client.get("/static/web/tremplin.css").text
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*3px", css)


def test_the_accessibility_statement_gives_the_compliance_status(client):
    assert "RGAA" in client.get("/accessibilite").text


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    # Tests run tasks as soon as they are queued: no worker is needed.
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
        "worker": "not needed",
        "worker_heartbeat": None,
    }


def test_healthz_says_503_when_the_database_does_not_answer(write_region):
    from tremplin import create_app

    folder = write_region('[region]\ncode = "x"\nname = "X"\n')
    app = create_app(str(folder), overrides={"database_url": "postgresql://u:pw@127.0.0.1:1/d"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_an_unknown_page_gets_a_404_page_in_the_layout(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert 'id="contenu"' in response.text


def test_an_unexpected_error_gets_a_500_page_without_details(make_app):
    blueprint = Blueprint("failing", __name__)

    @blueprint.get("/fail")
    def fail():
        raise ZeroDivisionError("secret detail")

    class Failing:
        name = "failing"

        @hookimpl
        def register_blueprints(self, app):
            return [blueprint]

    app = make_app(extra_plugins=[Failing()])
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/fail")
    assert response.status_code == 500
    assert "secret detail" not in response.text
    assert "Traceback" not in response.text
    assert 'id="contenu"' in response.text


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.json["code"] == 404


def test_the_openapi_document_is_served(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    assert "/api/v1/territories/" in document["paths"]


def test_hook_menu_links_adds_links_to_the_navigation(make_app):
    seen_users = []

    class Menu:
        name = "menu"

        @hookimpl
        def menu_links(self, user):
            seen_users.append(user)
            return [Link(label="Forums des métiers", href="/forums")]

    page = make_app(extra_plugins=[Menu()]).test_client().get("/").text
    assert '<a href="/forums">Forums des métiers</a>' in page
    assert seen_users == [None]


def test_hook_startup_is_called_once_with_the_configured_app(make_app):
    calls = []

    class Startup:
        name = "startup"

        @hookimpl
        def startup(self, app):
            calls.append((app.name, sorted(app.blueprints)))

    make_app(extra_plugins=[Startup()])
    assert len(calls) == 1
    assert "web" in calls[0][1]


def test_hook_register_blueprints_puts_api_blueprints_in_the_openapi_document(make_app):
    from flask_smorest import Blueprint as ApiBlueprint

    api = ApiBlueprint("sample", __name__, url_prefix="/api/v1/sample")

    @api.get("/")
    def sample():
        """A sample endpoint."""
        return {"ok": True}

    class Api:
        name = "api"

        @hookimpl
        def register_blueprints(self, app):
            return [api]

    client = make_app(extra_plugins=[Api()]).test_client()
    assert client.get("/api/v1/sample/").json == {"ok": True}
    assert "/api/v1/sample/" in client.get("/api/v1/openapi.json").json["paths"]


@pytest.mark.parametrize("path", ["/-/plugins.json", "/healthz", "/", "/api/v1/openapi.json"])
def test_no_secret_reaches_a_page(app, path):
    region = runtime_of(app).region
    text = app.test_client().get(path).text
    assert region.secret_key not in text
    assert app.config["SECRET_KEY"] not in text


def test_the_region_can_override_a_template(reference_region, make_app):
    (reference_region / "templates" / "web").mkdir(parents=True)
    (reference_region / "templates" / "web" / "home.html").write_text(
        '{% extends "web/base.html" %}'
        "{% block content %}<h1>Bienvenue en région</h1>{% endblock %}",
        encoding="utf-8",
    )
    page = make_app(region=reference_region).test_client().get("/").text
    assert "<h1>Bienvenue en région</h1>" in page


def test_a_database_outage_gives_503_not_500(write_region):
    from tremplin import create_app

    folder = write_region('[region]\ncode = "x"\nname = "X"\n')
    app = create_app(str(folder), overrides={"database_url": "postgresql://u:pw@127.0.0.1:1/d"})
    response = app.test_client().get("/api/v1/territories/")
    assert response.status_code == 503


def test_the_wsgi_module_serves_the_region_named_by_the_environment(
    reference_region, tremplin_database_url
):
    import os
    import subprocess
    import sys

    code = (
        "from tremplin.wsgi import app; "
        "print(app.test_client().get('/healthz?ignore=worker').status_code)"
    )
    env = {
        **os.environ,
        "TREMPLIN_REGION": str(reference_region),
        "TREMPLIN_DATABASE_URL": tremplin_database_url,
    }
    completed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "200"


def test_a_region_template_can_extend_the_one_it_replaces(reference_region, make_app):
    (reference_region / "templates" / "web").mkdir(parents=True)
    (reference_region / "templates" / "web" / "accessibility.html").write_text(
        '{% extends "original/web/accessibility.html" %}'
        "{% block statement_details %}<p>Audit prévu en 2027.</p>{% endblock %}",
        encoding="utf-8",
    )
    page = make_app(region=reference_region).test_client().get("/accessibilite").text
    assert "<p>Audit prévu en 2027.</p>" in page
    assert "RGAA" in page


def test_behind_a_proxy_the_forwarded_address_is_the_visitors(write_region, make_app):
    from flask import Blueprint, request

    blueprint = Blueprint("whoami", __name__)
    blueprint.add_url_rule("/whoami", "whoami", lambda: request.remote_addr)

    class WhoAmI:
        name = "whoami"

        @hookimpl
        def register_blueprints(self, app):
            return [blueprint]

    folder = write_region('[region]\ncode = "x"\nname = "X"\n[web]\nproxies = 1\n')
    client = make_app(region=folder, extra_plugins=[WhoAmI()]).test_client()
    forwarded = client.get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"})
    assert forwarded.text == "203.0.113.7"


def test_decimal_bounds_are_numbers_in_the_openapi_document(make_app):
    from flask_smorest import Blueprint as ApiBlueprint
    from marshmallow import Schema, fields, validate

    class Mark(Schema):
        value = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=100))

    api = ApiBlueprint("marks", __name__, url_prefix="/api/v1/marks")

    @api.post("/")
    @api.arguments(Mark)
    def mark(data):
        """Enter a mark."""
        return {"ok": True}

    class Api:
        name = "api"

        @hookimpl
        def register_blueprints(self, app):
            return [api]

    client = make_app(extra_plugins=[Api()]).test_client()
    document = client.get("/api/v1/openapi.json").json
    [schema] = [s for name, s in document["components"]["schemas"].items() if "Mark" in name]
    value = schema["properties"]["value"]
    assert (value["minimum"], value["maximum"]) == (0, 100)
    assert not isinstance(value["maximum"], str)
