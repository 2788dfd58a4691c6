"""The plugin's translation domain: msgids in English, French in translations/fr."""

from pathlib import Path

from tremplin.i18n import Domain

domain = Domain("worldskills", Path(__file__).parent / "translations")
_ = domain.gettext
ngettext = domain.ngettext
lazy_gettext = domain.lazy_gettext
