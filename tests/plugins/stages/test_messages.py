"""What each code means, in French first and in English (explain), and the plugin's
catalog keeping up with its code, as tests/core/test_translations.py checks the core's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tremplin.i18n import using_locale
from tremplin.plugins.stages.rules import PERIOD_CODES, WEEK_CODES, explain
from tremplin.testing import (
    broken_placeholders,
    extract_messages,
    message_ids,
    read_catalog,
    untranslated,
    unused,
)

pytestmark = pytest.mark.one_database  # nothing here depends on the database

ROOT = Path(__file__).resolve().parents[3]
PLUGIN = ROOT / "plugins" / "stages"
FRENCH_CATALOG = PLUGIN / "translations" / "fr" / "LC_MESSAGES" / "stages.po"
LEVELS = [None, "4e", "3e", "2de", "holidays"]


@pytest.mark.parametrize("code", WEEK_CODES + PERIOD_CODES)
def test_every_code_is_explained_in_french_first_and_in_english(code):
    french = explain(code)
    with using_locale("en"):
        english = explain(code)
    assert french != english
    assert english.endswith(".")
    assert french.endswith(".")


def test_an_explanation_names_its_rule_and_its_source():
    assert explain("daily_rest") == (
        "Repos quotidien trop court : sur 24 heures, un élève se repose au moins 14 heures "
        "consécutives avant 16 ans, 12 à partir de 16 ans ; une journée s’étend donc sur 10 "
        "ou 12 heures au plus (Code du travail, L3164-1)."
    )
    with using_locale("en"):
        assert explain("break") == (
            "More than 4 h 30 of work in a row: after 4 h 30 of work at most, a pupil has a "
            "break of at least 30 consecutive minutes (Code du travail, L3162-3)."
        )


def test_the_codes_of_the_dates_are_explained_for_the_level():
    assert "juin" in explain("season", "2de")
    assert "vacances scolaires" in explain("season", "3e")
    assert explain("season", "4e") == explain("season", "3e")
    assert "temps scolaire" in explain("season", "holidays")
    with using_locale("en"):
        assert "five days" in explain("duration", "3e")
        assert "two weeks" in explain("duration", "2de")
        assert "one to five days" in explain("duration", "holidays")
        assert explain("overlap", "2de") == explain("overlap")


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("code", WEEK_CODES + PERIOD_CODES)
def test_every_code_has_a_translated_explanation_at_every_level(code, level):
    french = explain(code, level)
    with using_locale("en"):
        assert explain(code, level) != french


@pytest.mark.parametrize("code", ["sleep", "", None, ["break"]])
def test_an_unknown_code_is_refused(code):
    with pytest.raises(ValueError, match="unknown code"):
        explain(code)


# The catalog


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What ``pybabel extract -F babel.cfg -o stages.pot plugins/stages`` finds."""
    return extract_messages(PLUGIN, ROOT / "babel.cfg", tmp_path_factory.mktemp("extracted"))


@pytest.fixture(scope="module")
def french():
    return read_catalog(FRENCH_CATALOG, locale="fr")


def test_the_extraction_finds_the_explanations(extracted):
    assert any(
        str(message).startswith("Daily rest too short") for message in message_ids(extracted)
    )


def test_every_message_of_the_plugin_has_a_french_translation(extracted, french):
    assert untranslated(extracted, french) == [], "update translations/fr/LC_MESSAGES/stages.po"


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
