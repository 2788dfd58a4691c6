"""French first, English complete: the plugin's own catalog keeps up with its code, as
tests/core/test_translations.py checks the core's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tremplin.auth.models import Account
from tremplin.mail import delivery
from tremplin.mail.models import OutboxMessage
from tremplin.testing import (
    broken_placeholders,
    client_of,
    extract_messages,
    message_ids,
    read_catalog,
    untranslated,
    unused,
)

ROOT = Path(__file__).resolve().parents[3]
PLUGIN = ROOT / "plugins" / "charter"
FRENCH_CATALOG = PLUGIN / "translations" / "fr" / "LC_MESSAGES" / "charter.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What ``pybabel extract -F babel.cfg -o charter.pot plugins/charter`` finds."""
    return extract_messages(PLUGIN, ROOT / "babel.cfg", tmp_path_factory.mktemp("extracted"))


@pytest.fixture(scope="module")
def french():
    return read_catalog(FRENCH_CATALOG, locale="fr")


def test_the_extraction_finds_python_template_and_email_messages(extracted):
    ids = message_ids(extracted)
    assert "The charter (version %(version)s) is not accepted yet." in ids  # requirements.py
    assert "Accept the charter" in ids  # templates/charter/charter.html
    assert "Your extract of the criminal record must be renewed" in ids  # an email subject
    assert "Charter published" in ids  # lazy_gettext in views.py


def test_every_message_of_the_plugin_has_a_french_translation(extracted, french):
    assert untranslated(extracted, french) == [], "update translations/fr/LC_MESSAGES/charter.po"


def test_the_plugin_s_catalog_has_no_fuzzy_and_no_stale_entry(extracted, french):
    assert [message.id for message in french if message.id and message.fuzzy] == []
    assert list(french.obsolete) == []
    assert unused(extracted, french) == []


def test_the_plugin_s_catalog_declares_french_plurals():
    header = FRENCH_CATALOG.read_text(encoding="utf-8")
    assert '"Language: fr\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header


def test_the_plugin_s_translations_keep_every_placeholder(french):
    assert broken_placeholders(french) == []


def test_hook_register_translations_shows_the_plugin_s_pages_in_french_and_english(app, net):
    ambassador = net.registered("Soudeuse")
    client = client_of(app, net.account_of(ambassador))
    french = client.get("/charte/mon-dossier").text
    assert "<h1>Ma charte et mes vérifications</h1>" in french
    assert "La charte (version 2025-1) n’est pas encore acceptée." in french
    english = client.get("/charte/mon-dossier?lang=en").text
    assert "<h1>My charter and checks</h1>" in english
    assert "The charter (version 2025-1) is not accepted yet." in english
    assert "Aucun extrait" not in english


def test_emails_are_written_in_the_ambassador_s_language(app, net):
    ambassador = net.registered("Soudeuse", zones=["59"])
    with app.app_context():
        Account.update(locale="en").where(Account.id == ambassador.account_id).execute()
    net.decide(ambassador, net.referent("59"), outcome="refused")
    other = net.registered("Soudeur", zones=["59"])
    net.decide(other, net.referent("59"))
    with app.app_context():
        english, french = (
            delivery.render(message)
            for message in OutboxMessage.select()
            .where(OutboxMessage.template.startswith("charter/"))
            .order_by(OutboxMessage.id)
        )
    assert english.subject == "Your extract of the criminal record could not be verified"
    assert "No copy of it is kept." in english.body
    assert french.subject == "Votre extrait de casier judiciaire est vérifié"
    assert "Aucune copie n’en est conservée." in french.body
    assert "/charte/mon-dossier" in french.body
