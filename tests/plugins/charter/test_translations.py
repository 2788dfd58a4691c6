"""French first, English complete: the plugin's own catalog keeps up with its code, as
tests/core/test_translations.py checks the core's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tremplin.auth.models import Account
from tremplin.mail import delivery
from tremplin.mail.models import OutboxMessage
from tremplin.testing import check_catalog, client_of

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "charter"
FRENCH_CATALOG = PLUGIN / "translations" / "fr" / "LC_MESSAGES" / "charter.po"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """The plugin's French catalog checked against what its code holds."""
    return check_catalog(PLUGIN, FRENCH_CATALOG, tmp_path_factory.mktemp("extracted"))


def test_the_french_catalog_is_complete_and_clean(catalog):
    assert catalog.problems() == {}, "update translations/fr/LC_MESSAGES/charter.po"


def test_the_extraction_finds_python_template_and_email_messages(catalog):
    ids = catalog.ids
    assert "The charter (version %(version)s) is not accepted yet." in ids  # requirements.py
    assert "Accept the charter" in ids  # templates/charter/charter.html
    assert "Your extract of the criminal record must be renewed" in ids  # an email subject
    assert "Charter published" in ids  # lazy_gettext in views.py


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
