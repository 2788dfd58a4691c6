"""The test kit's apps share the templates they compiled (``tremplin.testing.templates``)."""

from __future__ import annotations

import jinja2
import pytest
from flask import Flask, render_template_string

from tremplin.testing.templates import share_compiled_templates

pytestmark = pytest.mark.one_database  # plain Flask apps: no database


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from their source, in order."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def counting(environment, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_source(environment, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def app_reading(folder, *extensions: str) -> Flask:
    """A Flask app whose templates are in ``folder``, sharing compiled templates."""
    app = Flask(__name__, template_folder=str(folder))
    for extension in extensions:
        app.jinja_env.add_extension(extension)
    share_compiled_templates(app)
    return app


def render(app: Flask, name: str) -> str:
    with app.app_context():
        return app.jinja_env.get_template(name).render(who="Lina")


def test_a_template_is_compiled_once_for_every_app_that_reads_it(tmp_path, compiled):
    (tmp_path / "hello.html").write_text("Bonjour {{ who }} !", encoding="utf-8")
    first, second = app_reading(tmp_path), app_reading(tmp_path)

    assert render(first, "hello.html") == "Bonjour Lina !"
    assert render(second, "hello.html") == "Bonjour Lina !"
    assert compiled == ["hello.html"]


def test_a_template_edited_is_compiled_again(tmp_path, compiled):
    template = tmp_path / "hello.html"
    template.write_text("Bonjour {{ who }} !", encoding="utf-8")
    assert render(app_reading(tmp_path), "hello.html") == "Bonjour Lina !"

    template.write_text("Au revoir {{ who }}.", encoding="utf-8")

    assert render(app_reading(tmp_path), "hello.html") == "Au revoir Lina."
    assert compiled == ["hello.html", "hello.html"]


def test_an_app_that_compiles_otherwise_does_not_reuse_the_code(tmp_path, compiled):
    (tmp_path / "loop.html").write_text(
        "{% for n in [1, 2, 3] %}{{ n }}{% endfor %}", encoding="utf-8"
    )
    render(app_reading(tmp_path), "loop.html")

    with_extension = app_reading(tmp_path, "jinja2.ext.loopcontrols")

    assert render(with_extension, "loop.html") == "123"
    assert compiled == ["loop.html", "loop.html"]


def test_a_template_from_a_string_still_renders(tmp_path):
    app = app_reading(tmp_path)
    with app.app_context():
        assert render_template_string("{{ 2 * 21 }}") == "42"
