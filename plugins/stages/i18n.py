"""The plugin's translation domain: msgids in English, French in translations/fr."""

from pathlib import Path

from tremplin.i18n import Domain

domain = Domain("stages", Path(__file__).parent / "translations")
_ = domain.gettext
lazy_gettext = domain.lazy_gettext
