"""A region's texts: ``texts/<name>.<locale>.md``, in the asked language, else the default."""

import pytest

from tremplin.region import load_region
from tremplin.testing import minimal_region

pytestmark = pytest.mark.one_database  # nothing here depends on the database


@pytest.fixture
def region(tmp_path):
    folder = minimal_region(tmp_path / "region")
    texts = folder / "texts"
    texts.mkdir()
    (texts / "home.fr.md").write_text("Bienvenue", encoding="utf-8")
    (texts / "home.en.md").write_text("\ufeffWelcome", encoding="utf-8")
    (texts / "accessibility.fr.md").write_text("Déclaration", encoding="utf-8")
    return load_region(folder, env={})


def test_a_text_is_read_in_the_asked_language(region):
    assert region.text("home", "fr") == "Bienvenue"
    assert region.text("home", "en") == "Welcome"  # the byte-order mark is dropped


def test_without_a_file_in_that_language_the_default_languages_is_read(region):
    assert region.text("accessibility", "en") == "Déclaration"
    assert region.text("home", "de") == "Bienvenue"
    assert region.text("home") == "Bienvenue"


def test_a_regional_variant_finds_its_language(region):
    assert region.text("home", "en_GB") == "Welcome"
    assert region.text("home", "en-GB") == "Welcome"


def test_a_text_the_region_did_not_write_is_none(region):
    assert region.text("legal", "fr") is None


def test_a_region_without_texts_has_none(tmp_path):
    region = load_region(minimal_region(tmp_path / "bare"), env={})
    assert region.text("home", "fr") is None


@pytest.mark.parametrize("name", ["../tremplin", "home.fr", "", "HOME", "texts/home"])
def test_a_name_that_is_not_a_plain_name_reads_nothing(region, name):
    assert region.text(name, "fr") is None


def test_a_locale_that_is_not_a_plain_name_falls_back_to_the_default(region):
    assert region.text("home", "../../etc") == "Bienvenue"
