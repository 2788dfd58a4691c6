"""The plugin's translation domain: msgids in English, French in translations/fr.

Built here rather than from ``plugin.domain`` so that the pure rules (``messages``) explain
themselves without importing the plugin's identity; it is the same domain, ``stages``, read
from the same folder, and the one ``register_translations`` gives.
"""

from pathlib import Path

from tremplin.i18n import Domain

domain = Domain("stages", Path(__file__).parent / "translations")
_ = domain.gettext
lazy_gettext = domain.lazy_gettext
