"""French first, English complete: the plugin's own catalog keeps up with its code
(``tremplin.testing.check_catalog``: nothing untranslated, fuzzy, obsolete or unused, every
placeholder kept, French plurals declared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tremplin.testing import check_catalog

pytestmark = pytest.mark.one_database  # nothing here depends on the database

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "mecenat"
FRENCH_CATALOG = PLUGIN / "translations" / "fr" / "LC_MESSAGES" / "mecenat.po"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """The plugin's French catalog checked against what its code holds."""
    return check_catalog(PLUGIN, FRENCH_CATALOG, tmp_path_factory.mktemp("extracted"))


def test_the_french_catalog_is_complete_and_clean(catalog):
    assert catalog.problems() == {}, "update translations/fr/LC_MESSAGES/mecenat.po"


def test_the_extraction_finds_python_template_and_document_messages(catalog):
    assert "Only the region's administrators may do this." in catalog.ids  # service.py
    assert "Employees who count" in catalog.ids  # templates/mecenat/partner.html
    assert "Employees lent" in catalog.ids  # templates/mecenat/documents/receipt.html
    assert "Class talk" in catalog.ids  # lazy_gettext in conventions.py
