"""Wires the web shell into an app: per-request database, locale, templates, page globals."""

from __future__ import annotations

from flask import Flask, current_app, g
from jinja2 import FileSystemLoader

from .. import db, pluginmanager
from ..i18n import lazy_gettext
from ..runtime import Runtime
from . import locale

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
ACCESSIBILITY_STATUS = {
    "full": lazy_gettext("fully compliant"),
    "partial": lazy_gettext("partially compliant"),
    "none": lazy_gettext("not compliant"),
}


def init_app(app: Flask, runtime: Runtime) -> None:
    """Everything pages need, whatever plugins are enabled."""
    region = runtime.region
    overrides = region.path / "templates"
    if overrides.is_dir():
        # The app's loader is searched before every blueprint's: the region's templates win.
        app.jinja_loader = FileSystemLoader(str(overrides))
    locale.init_app(app, region.locales, region.default_locale)
    app.before_request(_open_connection)
    app.teardown_request(_close_connection)
    app.context_processor(_page_globals)


def _open_connection() -> None:
    db.database.connect(reuse_if_open=True)
    g.tremplin_connected = True


def _close_connection(_error: BaseException | None) -> None:
    if g.pop("tremplin_connected", False) and not db.database.is_closed():
        db.database.close()


def _page_globals() -> dict:
    runtime = current_app.extensions["tremplin"].runtime
    region = runtime.region

    def menu_links():
        return pluginmanager.collect(runtime.plugins.hook.menu_links, user=g.get("user"))

    def languages():
        return [(code, LANGUAGE_NAMES[code]) for code in region.locales]

    def accessibility_status():
        return str(ACCESSIBILITY_STATUS[region.accessibility])

    return {
        "region": region,
        "menu_links": menu_links,
        "languages": languages,
        "accessibility_status": accessibility_status,
    }
