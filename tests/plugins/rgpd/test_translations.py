"""French first, English complete: the plugin's own catalog keeps up with its code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tremplin.testing import (
    broken_placeholders,
    extract_messages,
    message_ids,
    read_catalog,
    untranslated,
    unused,
)

ROOT = Path(__file__).resolve().parents[3]
PLUGIN = ROOT / "plugins" / "rgpd"
FRENCH_CATALOG = PLUGIN / "translations" / "fr" / "LC_MESSAGES" / "rgpd.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What ``pybabel extract -F babel.cfg plugins/rgpd`` finds."""
    return extract_messages(PLUGIN, ROOT / "babel.cfg", tmp_path_factory.mktemp("extracted"))


@pytest.fixture(scope="module")
def french():
    return read_catalog(FRENCH_CATALOG, locale="fr")


def test_the_extraction_finds_python_template_and_document_messages(extracted):
    ids = message_ids(extracted)
    assert "Only the data protection officers may do this." in ids  # officers.py
    assert "Open requests, by due date" in ids  # templates/rgpd/dashboard.html
    assert "Categories of people" in ids  # lazy_gettext in register.py
    assert "Download your data through this link; it works once:" in ids  # email/answered.txt


def test_every_message_of_the_plugin_has_a_french_translation(extracted, french):
    assert untranslated(extracted, french) == [], "update translations/fr/LC_MESSAGES/rgpd.po"


def test_the_catalog_has_no_fuzzy_no_stale_entry_and_no_broken_placeholder(extracted, french):
    assert [message.id for message in french if message.id and message.fuzzy] == []
    assert unused(extracted, french) == []
    assert broken_placeholders(french) == []
