"""French first, English complete: the catalog keeps up with the code, and pages, API
errors, the command line and plugins' own domains speak the reader's language."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from flask import Blueprint, render_template
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import RAISE, Schema, fields

from tremplin import hookimpl, i18n
from tremplin.region import ConfigError, load_region
from tremplin.testing import (
    broken_placeholders,
    extract_messages,
    message_ids,
    read_catalog,
    untranslated,
    unused,
)

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"
FRENCH_CATALOG = CORE / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
KINDS = "region, academy, department, area, basin, commune"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What ``pybabel extract -F babel.cfg -o messages.pot core`` finds in the code."""
    return extract_messages(CORE, ROOT / "babel.cfg", tmp_path_factory.mktemp("extracted"))


@pytest.fixture(scope="module")
def french():
    return read_catalog(FRENCH_CATALOG, locale="fr")


# The catalog


def test_babel_cfg_finds_python_template_and_marshmallow_messages(extracted):
    ids = message_ids(extracted)
    assert "The database is up to date." in ids  # core/cli.py
    assert "Skip to main content" in ids  # core/web/templates/web/base.html
    assert "fully compliant" in ids  # lazy_gettext in core/web/shell.py
    assert "Must be one of: {choices}." in ids  # marshmallow's, marked in core/validation.py
    assert ("%(num)d pending migration.", "%(num)d pending migrations.") in ids


def test_every_message_of_the_code_has_a_french_translation(extracted, french):
    assert untranslated(extracted, french) == [], (
        "run pybabel update and translate (see docs/translations.md)"
    )


def test_the_french_catalog_has_no_fuzzy_and_no_stale_entry(extracted, french):
    assert [message.id for message in french if message.id and message.fuzzy] == []
    assert list(french.obsolete) == []
    assert unused(extracted, french) == [], "messages the code no longer uses"


def test_the_french_catalog_declares_french_plurals():
    header = FRENCH_CATALOG.read_text(encoding="utf-8")
    assert '"Language: fr\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header
    assert "charset=utf-8" in header


def test_translations_keep_every_placeholder(french):
    assert broken_placeholders(french) == []


# Pages


def test_the_home_page_is_french_by_default(client):
    page = client.get("/").text
    assert '<html lang="fr">' in page
    assert "Aller au contenu principal" in page
    assert "Accessibilité : partiellement conforme" in page


def test_lang_en_shows_english_and_the_choice_is_remembered(client):
    page = client.get("/?lang=en").text
    assert '<html lang="en">' in page
    assert "Accessibility: partially compliant" in page

    next_page = client.get("/").text
    assert '<html lang="en">' in next_page
    assert "Skip to main content" in next_page


def test_lang_fr_takes_back_a_remembered_english(client):
    client.get("/?lang=en")
    client.get("/?lang=fr")
    assert '<html lang="fr">' in client.get("/").text


def test_the_browser_language_is_followed(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en">' in page
    assert "Skip to main content" in page
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "de"}).text


def test_a_missing_page_is_explained_in_the_reader_s_language(client):
    french = client.get("/nulle-part")
    assert french.status_code == 404
    assert "Page introuvable" in french.text
    assert "Retour à la page d’accueil" in french.text

    english = client.get("/nulle-part", headers={"Accept-Language": "en"})
    assert english.status_code == 404
    assert "Page not found" in english.text
    assert "Back to the home page" in english.text


# API errors (marshmallow's messages)


def test_an_api_422_is_french_by_default_and_english_on_request(client):
    french = client.get("/api/v1/territories/?kind=bad")
    assert french.status_code == 422
    assert french.json["errors"]["query"]["kind"] == [
        f"La valeur doit être l’une des suivantes : {KINDS}."
    ]

    english = client.get("/api/v1/territories/?kind=bad", headers={"Accept-Language": "en"})
    assert english.json["errors"]["query"]["kind"] == [f"Must be one of: {KINDS}."]


def test_flask_smorest_pagination_errors_are_translated_too(client):
    response = client.get("/api/v1/territories/?page=0")
    assert response.status_code == 422
    assert response.json["errors"]["query"]["page"] == [
        "La valeur doit être supérieure ou égale à 1."
    ]


class _Echo:
    """A plugin with a JSON endpoint whose schema refuses unknown fields."""

    name = "echo"

    class Note(Schema):
        class Meta:
            unknown = RAISE

        text = fields.String(required=True)
        email = fields.Email()

    @hookimpl
    def register_blueprints(self, app):
        api = ApiBlueprint("echo_api", __name__, url_prefix="/api/v1/echo")

        @api.post("/")
        @api.arguments(self.Note)
        def echo(note):
            return note

        return [api]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            {
                "email": ["Adresse électronique non valide."],
                "text": ["Ce champ est obligatoire."],
                "colour": ["Champ inconnu."],
            },
        ),
        (
            "en",
            {
                "email": ["Not a valid email address."],
                "text": ["Missing data for required field."],
                "colour": ["Unknown field."],
            },
        ),
    ],
)
def test_field_and_schema_messages_of_a_json_body_follow_the_language(make_app, language, expected):
    client = make_app(extra_plugins=[_Echo()]).test_client()
    response = client.post(
        "/api/v1/echo/",
        json={"email": "not-an-address", "colour": "blue"},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"] == expected


# Command line and configuration


def test_the_command_line_speaks_the_region_s_language(app, run_cli):
    result = run_cli(app, "db", "upgrade")
    assert result.exit_code == 0
    assert result.output.strip() == "La base de données est à jour."


def test_a_caller_s_chosen_language_wins_over_the_region_s(app, run_cli):
    with i18n.using_locale("en"):
        result = run_cli(app, "db", "upgrade")
    assert result.output.strip() == "The database is up to date."


def test_counts_follow_french_plural_rules(app, run_cli):
    # French says "0 migration", English "0 migrations".
    assert "\n0 migration en attente.\n" in run_cli(app, "db", "status").output


def test_a_rejected_row_is_explained_in_french_with_marshmallow_s_message(
    tmp_path, make_app, run_cli
):
    region = tmp_path / "region"
    (region / "data").mkdir(parents=True)
    (region / "tremplin.toml").write_text(
        '[region]\ncode = "essai"\nname = "Essai"\n', encoding="utf-8"
    )
    (region / "data" / "territories.csv").write_text(
        "code,name,kind,parent,latitude,longitude\nr,Région,royaume,,,\n", encoding="utf-8"
    )
    result = run_cli(make_app(region=region), "region", "load")
    assert result.exit_code == 1
    assert f"ligne 2 : kind : la valeur doit être l’une des suivantes : {KINDS}" in result.output
    assert "Territoires : 0 créé(s), 0 mis à jour, 0 inchangé(s), 1 rejeté(s)" in result.output


def test_a_configuration_error_is_french_and_english_on_request(write_region):
    folder = write_region('[region]\ncode = "essai"\nname = "Essai"\ncolour = "blue"\n')
    with pytest.raises(ConfigError) as french:
        load_region(folder)
    assert (french.value.key, french.value.reason) == ("region.colour", "champ inconnu")

    with i18n.using_locale("en"), pytest.raises(ConfigError) as english:
        load_region(folder)
    assert english.value.reason == "unknown field"


def test_a_missing_region_says_how_to_give_one(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_region(tmp_path, env={})
    assert raised.value.reason == (
        "aucune région ici (indiquez --region DOSSIER ou définissez TREMPLIN_REGION)"
    )


# A plugin's own domain

PLUGIN_CATALOG = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Welcome aboard, %(name)s!"
msgstr "Bienvenue à bord, %(name)s !"
"""

PLUGIN_TEMPLATE = """\
{% extends "web/base.html" %}
{% block content %}<p class="greeting">{{ _("Welcome aboard, %(name)s!", name=name) }}</p>
{% endblock %}
"""


class _Greeter:
    """A plugin shipping its templates and its ``greeter`` domain in ``folder``."""

    name = "greeter"

    def __init__(self, folder: Path):
        self.folder = folder

    @hookimpl
    def register_translations(self):
        return [i18n.Domain("greeter", self.folder / "translations")]

    @hookimpl
    def register_blueprints(self, app):
        blueprint = Blueprint("greeter", __name__, template_folder=str(self.folder / "templates"))

        @blueprint.get("/bienvenue")
        def welcome():
            return render_template("greeter/welcome.html", name="Lou")

        return [blueprint]


def test_hook_register_translations_translates_the_plugin_s_templates(tmp_path, make_app):
    catalog = tmp_path / "translations" / "fr" / "LC_MESSAGES" / "greeter.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(PLUGIN_CATALOG, encoding="utf-8")
    template = tmp_path / "templates" / "greeter" / "welcome.html"
    template.parent.mkdir(parents=True)
    template.write_text(textwrap.dedent(PLUGIN_TEMPLATE), encoding="utf-8")
    client = make_app(extra_plugins=[_Greeter(tmp_path)]).test_client()

    french = client.get("/bienvenue").text
    assert '<p class="greeting">Bienvenue à bord, Lou !</p>' in french
    assert "Aller au contenu principal" in french  # the core's catalog still answers

    english = client.get("/bienvenue?lang=en").text
    assert '<p class="greeting">Welcome aboard, Lou!</p>' in english
