"""French first, English complete: the plugin's own catalog keeps up with its code, as
tests/plugins/charter/test_translations.py checks the charter's."""

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
PLUGIN = ROOT / "plugins" / "worldskills"
FRENCH_CATALOG = PLUGIN / "translations" / "fr" / "LC_MESSAGES" / "worldskills.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What ``pybabel extract -F babel.cfg -o worldskills.pot plugins/worldskills`` finds."""
    return extract_messages(PLUGIN, ROOT / "babel.cfg", tmp_path_factory.mktemp("extracted"))


@pytest.fixture(scope="module")
def french():
    return read_catalog(FRENCH_CATALOG, locale="fr")


def test_the_extraction_finds_the_refusal_and_the_awards(extracted):
    ids = message_ids(extracted)
    assert "Medallion for Excellence" in ids  # lazy_gettext in scoring.py
    assert any(message.startswith("Over the age limit") for message in ids)  # eligibility.py


def test_every_message_of_the_plugin_has_a_french_translation(extracted, french):
    assert untranslated(extracted, french) == [], "update translations/fr/.../worldskills.po"


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
