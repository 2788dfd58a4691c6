"""The plugin's translation domain: msgids in English, French in translations/fr."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tremplin.i18n import Domain

domain = Domain("worldskills", Path(__file__).parent / "translations")
_ = domain.gettext
ngettext = domain.ngettext
lazy_gettext = domain.lazy_gettext


class N_(str):  # noqa: N801 (named like the marker babel extracts)
    """A message of a schema, defined at import: translated in this domain whenever
    marshmallow formats or prints it (as ``tremplin.validation.N_`` does for the core)."""

    __slots__ = ()

    def __str__(self) -> str:
        return domain.gettext(str.__str__(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def format(self, /, *args: Any, **kwargs: Any) -> str:
        """The translation of this message with its ``{placeholders}`` filled."""
        return str(self).format(*args, **kwargs)
