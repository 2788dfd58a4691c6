"""Wires the web shell into an app: per-request database, locale, templates, page globals."""

from __future__ import annotations

import os

from flask import Flask, Response, current_app, g, request, url_for
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    TemplateNotFound,
)
from markdown_it import MarkdownIt
from markupsafe import Markup
from werkzeug.security import safe_join

from .. import db, i18n, logs, pluginmanager
from ..i18n import lazy_gettext
from ..runtime import Runtime
from . import limits, locale, navigation, security

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
ACCESSIBILITY_STATUS = {
    "full": lazy_gettext("fully compliant"),
    "partial": lazy_gettext("partially compliant"),
    "none": lazy_gettext("not compliant"),
}
# The region's texts are CommonMark without raw HTML: what looks like HTML shows as text.
_markdown = MarkdownIt("commonmark", {"html": False})


def init_app(app: Flask, runtime: Runtime) -> None:
    """Everything pages need, whatever plugins are enabled."""
    region = runtime.region
    overrides = region.path / "templates"
    if overrides.is_dir():
        # The app's loader is searched before every blueprint's: the region's templates win.
        # ``original/<name>`` still reaches the shipped template, so an override can extend it.
        app.jinja_loader = ChoiceLoader(
            [FileSystemLoader(str(overrides)), PrefixLoader({"original": ShippedTemplates(app)})]
        )
    limits.init_app(app)
    security.init_app(app, region)
    locale.init_app(app, region.locales, region.default_locale)
    app.before_request(_take_request_id)
    app.after_request(_give_request_id)
    # peewee connects on the first query of a request; the connection is closed after it.
    app.teardown_request(_close_connection)
    app.teardown_request(_forget_request_id)
    app.context_processor(_page_globals)


class ShippedTemplates(BaseLoader):
    """The templates of the core areas and plugins, without the region's overrides."""

    def __init__(self, app: Flask):
        self.app = app

    def get_source(self, environment: Environment, template: str):
        for blueprint in self.app.iter_blueprints():
            if blueprint.jinja_loader is None:
                continue
            try:
                return blueprint.jinja_loader.get_source(environment, template)
            except TemplateNotFound:
                continue
        raise TemplateNotFound(template)


def _take_request_id() -> None:
    g.request_id_token = logs.bind(logs.new_request_id(request.headers.get(logs.HEADER)))


def _give_request_id(response: Response) -> Response:
    response.headers[logs.HEADER] = logs.request_id()
    return response


def _forget_request_id(_error: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        logs.unbind(token)


def _close_connection(_error: BaseException | None) -> None:
    if not db.database.is_closed():
        db.database.close()


def _page_globals() -> dict:
    runtime = current_app.extensions["tremplin"].runtime
    region = runtime.region

    def menu_links():
        """The links areas and plugins offer for the main navigation, in plugin order."""
        return pluginmanager.Hooks(runtime.plugins).menu_links(user=g.get("user"))

    def menu():
        """The main navigation as the layout shows it: those links in their groups."""
        return navigation.grouped(menu_links())

    def languages():
        return [(code, LANGUAGE_NAMES[code]) for code in region.locales]

    def accessibility_status():
        return str(ACCESSIBILITY_STATUS[region.accessibility])

    def region_text(name):
        """The region's ``texts/<name>.<locale>.md`` as HTML in the page's language, or None."""
        text = region.text(name, i18n.get_locale())
        return Markup(_markdown.render(text)) if text is not None else None

    def region_asset(filename):
        """The address of ``static/<filename>`` of the region folder, or None without it."""
        path = safe_join(str(region.static_folder), filename)
        if path is None or not os.path.isfile(path):
            return None
        return url_for("web.region_static", filename=filename)

    return {
        "region": region,
        "menu_links": menu_links,
        "menu": menu,
        "languages": languages,
        "accessibility_status": accessibility_status,
        "region_text": region_text,
        "region_asset": region_asset,
    }
