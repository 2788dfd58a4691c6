"""The plugin's translation domain: msgids in English, French in translations/fr."""

from . import plugin

domain = plugin.domain
_ = domain.gettext
ngettext = domain.ngettext
lazy_gettext = domain.lazy_gettext
