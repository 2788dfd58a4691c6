"""Translations without Flask: services, jobs, emails and the CLI translate through here.

French is the first language of every screen; messages are written in English in the
code (the ``msgid``) and translated in ``translations/fr/LC_MESSAGES/<domain>.po``. The
catalogs are read from the ``.po`` files themselves, so nothing needs compiling.
The current locale lives in a context variable: the web layer sets it per request, an
email task sets it to its recipient's language.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

DEFAULT_LOCALE = "fr"

_locale: ContextVar[str] = ContextVar("tremplin_locale")


def format_day(day: datetime.date) -> str:
    """``day`` written out in the current language: "7 décembre 2026", "December 7, 2026".

    For a date inside a message (``_("… until %(date)s.", date=format_day(day))``); pages
    use the ``day`` filter, which also takes a stored moment.
    """
    return format_date(day, "long", locale=get_locale())


def get_locale() -> str:
    """The language messages are translated into right now."""
    return _locale.get(DEFAULT_LOCALE)


def chosen_locale() -> str | None:
    """The locale set by ``set_locale``/``using_locale`` around this code, ``None`` if none was."""
    return _locale.get(None)


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Translate into ``locale`` inside the block (an email to an English speaker...)."""
    token = _locale.set(locale)
    try:
        yield
    finally:
        _locale.reset(token)


def set_locale(locale: str) -> Any:
    """Set the current locale; return a token for ``reset_locale``."""
    return _locale.set(locale)


def reset_locale(token: Any) -> None:
    """Undo the ``set_locale`` that returned ``token``."""
    _locale.reset(token)


class Domain:
    """A translation domain: a name and the folder holding ``<locale>/LC_MESSAGES/<name>.po``."""

    def __init__(self, name: str, directory: Path | str):
        self.name = name
        self.directory = Path(directory)

    def __repr__(self) -> str:
        return f"Domain({self.name!r}, {str(self.directory)!r})"

    def translations(self, locale: str | None = None) -> NullTranslations:
        """The catalog of this domain for ``locale`` (the current one by default)."""
        return _catalog(self.directory, self.name, locale or get_locale())

    def gettext(self, message: str, /, **variables: Any) -> str:
        """``message`` translated into the current locale, ``%(name)s`` filled from variables."""
        text = self.translations().gettext(message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        """The singular or plural form for ``num``; ``%(num)d`` is filled in."""
        text = self.translations().ngettext(singular, plural, num)
        return text % {"num": num, **variables}

    def lazy_gettext(self, message: str, /, **variables: Any) -> LazyProxy:
        """A string translated when it is used, for messages defined at import time."""
        return LazyProxy(self.gettext, message, enable_cache=False, **variables)

    def has(self, message: str, locale: str | None = None) -> bool:
        """Whether this domain translates ``message`` into ``locale``."""
        return self.translations(locale).gettext(message) != message


core = Domain("messages", Path(__file__).parent / "translations")
gettext = core.gettext
ngettext = core.ngettext
lazy_gettext = core.lazy_gettext
_ = gettext


def lookup(domains: list[Domain], message: str, /, **variables: Any) -> str:
    """``message`` from the first of ``domains`` that translates it (templates use this)."""
    locale = get_locale()
    for domain in domains:
        if domain.has(message, locale):
            return domain.gettext(message, **variables)
    return message % variables if variables else message


def lookup_plural(domains: list[Domain], singular: str, plural: str, num: int) -> str:
    """The form of ``singular``/``plural`` for ``num`` from the first domain that has it."""
    locale = get_locale()
    for domain in domains:
        if domain.has(singular, locale):
            return domain.translations(locale).ngettext(singular, plural, num)
    return singular if num == 1 else plural


@functools.lru_cache(maxsize=256)
def _catalog(directory: Path, domain: str, locale: str) -> NullTranslations:
    po_file = directory / locale / "LC_MESSAGES" / f"{domain}.po"
    if not po_file.is_file():
        return NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=domain)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=domain)
