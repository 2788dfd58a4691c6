"""Which language a page is shown in, and the Jinja and JSON sides of translations.

Templates write dates, moments and numbers with the filters ``day``, ``moment`` and
``number`` (Babel, in the page's language; stored UTC moments in the region's time zone),
never with a hand-written format such as ``strftime("%d/%m/%Y")``.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_date_format, get_datetime_format, get_time_format
from babel.numbers import format_decimal
from babel.support import LazyProxy
from flask import Flask, current_app, g, request, session
from flask.json.provider import DefaultJSONProvider
from flask_babel import Babel, get_locale

from .. import i18n
from ..text import elide

SESSION_KEY = "locale"


def init_app(app: Flask, locales: tuple[str, ...], default: str) -> None:
    """Choose each request's locale and give templates ``_``/``gettext``/``ngettext``."""
    app.config["BABEL_DEFAULT_LOCALE"] = default
    app.config["TREMPLIN_LOCALES"] = locales
    Babel(app, locale_selector=select_locale)
    app.before_request(_set_locale)
    app.teardown_request(_reset_locale)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext, ngettext=_template_ngettext, newstyle=True
    )
    app.jinja_env.globals["current_locale"] = lambda: i18n.get_locale()
    # "L’équipe de {{ name }}" -> "d’Horizons Métiers": elision once a region's name is in.
    app.jinja_env.filters["elide"] = lambda text: elide(str(text), i18n.get_locale())
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["number"] = number
    app.json = TranslatedJSONProvider(app)


def _local(value: datetime.datetime) -> datetime.datetime:
    """A stored moment (naive: UTC) in the region's time zone."""
    zone = ZoneInfo(current_app.extensions["tremplin"].runtime.region.timezone)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(zone)


def day(value: datetime.date | datetime.datetime | str | None) -> str:
    """A date, or the region's day of a stored moment, written out in the page's language:
    "7 décembre 2026", "December 7, 2026".

    Also takes an ISO date as text ("2026-12-07"), as emails receive their dates.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return i18n.format_day(value)


def moment(value: datetime.datetime | None) -> str:
    """A stored moment in the region's time, as the page's language writes a day and an
    hour: "7 décembre 2026, 10:30", "December 7, 2026, 10:30 AM"."""
    if value is None:
        return ""
    locale = i18n.get_locale()
    pattern = (
        get_datetime_format("long", locale=locale)
        .replace("{1}", get_date_format("long", locale=locale).pattern)
        .replace("{0}", get_time_format("short", locale=locale).pattern)
    )
    return format_datetime(_local(value), pattern, locale=locale)


def number(value: float | int | None) -> str:
    """A number as the page's language writes it: "1 234,5" (narrow no-break space),
    "1,234.5"."""
    if value is None:
        return ""
    return format_decimal(value, locale=i18n.get_locale())


class TranslatedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with lazy translations written as their text in the request's language.

    marshmallow's schema-level messages ("Unknown field.") are ``i18n.lazy_gettext``
    proxies (see ``tremplin.validation``); they reach JSON in the API's 422 answers.
    """

    @staticmethod
    def default(o: Any) -> Any:
        """``str()`` of a lazy translation; Flask's conversions for anything else."""
        if isinstance(o, LazyProxy):
            return str(o)
        return DefaultJSONProvider.default(o)


def select_locale() -> str:
    """``?lang=`` (remembered in the session), else the session, else the browser, else default."""
    offered = current_app.config["TREMPLIN_LOCALES"]
    asked = request.args.get("lang")
    if asked in offered:
        session[SESSION_KEY] = asked
        return asked
    if session.get(SESSION_KEY) in offered:
        return session[SESSION_KEY]
    return (
        request.accept_languages.best_match(offered) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _set_locale() -> None:
    g.tremplin_locale_token = i18n.set_locale(str(get_locale()))


def _reset_locale(_error: BaseException | None) -> None:
    token = g.pop("tremplin_locale_token", None)
    if token is not None:
        i18n.reset_locale(token)


def _domains() -> list[i18n.Domain]:
    return [i18n.core, *current_app.extensions["tremplin"].translation_domains]


def _template_gettext(message: str) -> str:
    # Jinja's new-style gettext escapes the result and fills the variables itself.
    return i18n.lookup(_domains(), message)


def _template_ngettext(singular: str, plural: str, num: int) -> str:
    return i18n.lookup_plural(_domains(), singular, plural, num)
