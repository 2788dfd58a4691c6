"""What making an app leaves for later gives the same answers: URL builders compiled on
first use (``tremplin.web.routing``), the OpenAPI document written on first read
(``tremplin.web.openapi``); libraries that few requests need imported when one does."""

from __future__ import annotations

import os
import subprocess
import sys

import flask_smorest
from flask import Flask, url_for
from werkzeug.routing import AnyConverter, Map, PathConverter, Rule
from werkzeug.routing.converters import NumberConverter

PLUGINS = ["charter", "mecenat", "stages", "worldskills", "rgpd"]


def arguments(rule: Rule) -> dict[str, object]:
    """Sample values of ``rule``'s arguments, by converter."""
    values: dict[str, object] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, NumberConverter):
            values[name] = 7
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif isinstance(converter, PathConverter):
            values[name] = "a/b c"
        else:
            values[name] = "élan vital"
    return values


def test_every_url_is_built_as_werkzeug_s_own_rules_build_it(make_app):
    app = make_app(plugins=PLUGINS)
    rules = list(app.url_map.iter_rules())
    plain = Map(
        [Rule(rule.rule, endpoint=rule.endpoint, methods=rule.methods) for rule in rules],
        converters=app.url_map.converters,
    )
    ours, theirs = app.url_map.bind("tremplin.test"), plain.bind("tremplin.test")
    for rule in rules:
        for extra in ({}, {"page": 2, "q": "soudeuse"}):  # known, then unknown arguments
            values = {**arguments(rule), **extra}
            assert ours.build(rule.endpoint, values) == theirs.build(rule.endpoint, values)
    assert len(rules) > 150


def test_making_an_app_compiles_no_url_builder_until_one_is_used(make_app, monkeypatch):
    compiled = []
    original = Rule._compile_builder

    def counting(rule, append_unknown=True):
        compiled.append(rule.rule)
        return original(rule, append_unknown)

    monkeypatch.setattr(Rule, "_compile_builder", counting)
    app = make_app()
    assert compiled == []
    with app.test_request_context():
        assert url_for("auth.login") == "/connexion"
        assert url_for("auth.login", suivant="/") == "/connexion?suivant=/"
        assert url_for("auth.login") == "/connexion"
    assert compiled == ["/connexion"]  # the builder url_for uses, once


class EagerApi(flask_smorest.Api):
    """flask-smorest's own: each blueprint described as it is registered."""

    def describe(self, write):
        write(self.spec)


def test_the_document_is_the_one_flask_smorest_writes_as_blueprints_are_registered(
    make_app, monkeypatch
):
    lazy = make_app(plugins=PLUGINS).test_client().get("/api/v1/openapi.json").json
    monkeypatch.setattr("tremplin.app.Api", EagerApi)
    eager = make_app(plugins=PLUGINS).test_client().get("/api/v1/openapi.json").json
    assert lazy == eager
    assert [tag["name"] for tag in lazy["tags"]] == [tag["name"] for tag in eager["tags"]]
    assert list(lazy["paths"]) == list(eager["paths"])
    assert "accessToken" in lazy["components"]["securitySchemes"]


def test_what_is_registered_after_a_read_is_described_at_the_next():
    from tremplin.web.openapi import Api

    app = Flask("late")
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = Api(app)
    first, second = (
        flask_smorest.Blueprint("first", __name__),
        flask_smorest.Blueprint("second", __name__),
    )
    first.route("/a")(lambda: "a")
    second.route("/b")(lambda: "b")
    api.register_blueprint(first)
    assert list(api.spec.to_dict()["paths"]) == ["/a"]
    api.register_blueprint(second)
    api.describe(
        lambda spec: spec.components.security_scheme(
            "key", {"type": "apiKey", "in": "header", "name": "X-Key"}
        )
    )
    document = api.spec.to_dict()
    assert list(document["paths"]) == ["/a", "/b"]
    assert [tag["name"] for tag in document["tags"]] == ["first", "second"]
    assert "key" in document["components"]["securitySchemes"]


def test_a_web_worker_imports_what_few_requests_need_only_when_one_needs_it(
    reference_region, tremplin_database_url
):
    # Each is megabytes in every worker (docs/performance.md, W6): PDFs, the extracts of
    # the criminal record (cryptography's compiled bindings, 6 MB; redis imports the bare
    # package, which is small), calendars.
    code = (
        "import sys\n"
        "from tremplin.wsgi import app\n"
        "client = app.test_client()\n"
        "assert client.get('/healthz?ignore=worker').status_code == 200\n"
        "assert client.get('/connexion').status_code == 200\n"
        "print(sorted(set(sys.modules) & {'cryptography.hazmat', 'icalendar', 'weasyprint'}))\n"
    )
    env = {
        **os.environ,
        "TREMPLIN_REGION": str(reference_region),
        "TREMPLIN_DATABASE_URL": tremplin_database_url,
        "TREMPLIN_PLUGINS": ",".join(PLUGINS),
    }
    completed = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"
