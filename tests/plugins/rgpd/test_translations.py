"""French first, English complete: the plugin's own catalog keeps up with its code
(``tremplin.testing.check_catalog``: nothing untranslated, fuzzy, obsolete or unused, every
placeholder kept, French plurals declared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tremplin.testing import check_catalog

pytestmark = pytest.mark.one_database  # nothing here depends on the database

PLUGIN = Path(__file__).resolve().parents[3] / "plugins" / "rgpd"
FRENCH_CATALOG = PLUGIN / "translations" / "fr" / "LC_MESSAGES" / "rgpd.po"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """The plugin's French catalog checked against what its code holds."""
    return check_catalog(PLUGIN, FRENCH_CATALOG, tmp_path_factory.mktemp("extracted"))


def test_the_french_catalog_is_complete_and_clean(catalog):
    assert catalog.problems() == {}, "update translations/fr/LC_MESSAGES/rgpd.po"


def test_the_extraction_finds_python_template_and_document_messages(catalog):
    assert "Only the data protection officers may do this." in catalog.ids  # officers.py
    assert "Open requests, by due date" in catalog.ids  # templates/rgpd/dashboard.html
    assert "Categories of people" in catalog.ids  # lazy_gettext in register.py
    assert "Download your data through this link; it works once:" in catalog.ids  # an email
