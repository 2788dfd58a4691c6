"""The Flask app factory: a region folder in, a configured instance out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import click
import pluggy
from flask import Flask, appcontext_popped, appcontext_pushed
from flask_smorest import Blueprint as ApiBlueprint
from werkzeug.middleware.proxy_fix import ProxyFix

from . import __version__, db, i18n
from . import queue as task_queue
from .i18n import _
from .pluginmanager import Hooks, installed_plugins, make_plugin_manager
from .region import ConfigError, Region, load_region, validate_settings
from .runtime import Runtime, activate, deactivate
from .web import shell
from .web.api import decimal_bounds_as_numbers
from .web.openapi import Api
from .web.routing import LazyBuilderRule


@dataclass(frozen=True)
class Instance:
    """What the app keeps in ``app.extensions["tremplin"]``."""

    runtime: Runtime
    api: Api
    translation_domains: tuple[i18n.Domain, ...]
    commands: click.Group


def create_app(
    region: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    plugins: Iterable[object] = (),
    config: Mapping[str, Any] | None = None,
    pooled: bool = False,
) -> Flask:
    """Build the app of the region folder ``region`` (default: ``TREMPLIN_REGION``, then ``.``).

    ``overrides`` change the region's configuration (see ``tremplin.region.load_region``);
    ``plugins`` are plugin objects registered after the region's own (tests use this);
    ``config`` updates Flask's config (``QUEUE_IMMEDIATE=True`` runs background tasks as
    soon as they are queued, as tests do); ``pooled`` keeps database connections open
    from one request to the next (``tremplin.db.connect``; the WSGI entry point does).
    Raise ``ConfigError`` or ``PluginError`` naming the file, key or plugin at fault.
    """
    loaded = load_region(region, overrides)
    manager = make_plugin_manager(loaded.plugins, extra=plugins)
    hooks = Hooks(manager)
    runtime = Runtime(
        region=loaded,
        plugins=manager,
        database=_database(loaded, pooled),
        settings=_plugin_settings(loaded, manager),
        queue=task_queue.make_queue(loaded, immediate=bool((config or {}).get("QUEUE_IMMEDIATE"))),
    )
    app = Flask("tremplin", static_folder=None)
    app.url_rule_class = LazyBuilderRule
    app.config.update(_flask_config(loaded), **(config or {}))
    if loaded.proxies:
        hops = loaded.proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    api = Api(app)
    decimal_bounds_as_numbers(api)
    commands = click.Group("tremplin")
    hooks.register_commands(cli=commands)
    runtime.queue.bind(app.app_context)
    hooks.register_tasks(queue=runtime.queue)
    app.extensions["tremplin"] = Instance(
        runtime=runtime,
        api=api,
        translation_domains=tuple(hooks.register_translations()),
        commands=commands,
    )
    _bind_runtime(app, runtime)
    shell.init_app(app, runtime)
    for blueprint in hooks.register_blueprints(app=app):
        if isinstance(blueprint, ApiBlueprint):
            api.register_blueprint(blueprint)
        else:
            app.register_blueprint(blueprint)
    with app.app_context():
        hooks.startup(app=app)
    if pooled:  # nothing opened here may be shared by processes forked from this one
        runtime.database.close_all()
    return app


def runtime_of(app: Flask) -> Runtime:
    """The runtime (region, plugins, database, settings) of ``app``."""
    return app.extensions["tremplin"].runtime


def _database(region: Region, pooled: bool):
    try:
        return db.connect(region.database_url, base_dir=region.path, pooled=pooled)
    except ValueError as error:
        raise ConfigError(*region.origin("database_url"), str(error)) from error


def _plugin_settings(region: Region, manager: pluggy.PluginManager) -> dict[str, Any]:
    settings = {}
    for plugin, schema in Hooks(manager).answers("register_settings_schema"):
        # A core area answers to its short name: [plugins.messaging], settings_of("messaging").
        name = plugin.removeprefix("tremplin.")
        settings[name] = validate_settings(region, name, schema)
    unclaimed = [name for name in region.plugin_settings if name not in settings]
    # Read only for settings nothing took, and once: every installed package's entry points.
    installed = set(installed_plugins()) if unclaimed else set()
    for name in unclaimed:
        if name in region.plugins:
            raise ConfigError(
                region.config_file, f"plugins.{name}", _("this plugin takes no settings")
            )
        if name not in installed:
            raise ConfigError(
                region.config_file,
                f"plugins.{name}",
                _("no plugin %(name)r is installed", name=name),
            )
    return settings


def _flask_config(region: Region) -> dict[str, Any]:
    return {
        "SECRET_KEY": region.secret_key,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "API_TITLE": f"Tremplin — {region.name}",
        "API_VERSION": __version__,
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        **_address_config(region.base_url),
        "MAIL_BACKEND": region.mail["backend"],
        "MAIL_SERVER": region.mail["host"],
        "MAIL_PORT": region.mail["port"],
        "MAIL_USERNAME": region.mail["username"],
        "MAIL_PASSWORD": region.mail["password"],
        "MAIL_USE_TLS": region.mail["use_tls"],
        "MAIL_USE_SSL": region.mail["use_ssl"],
        "MAIL_TIMEOUT": region.mail["timeout"],
        "MAIL_DEFAULT_SENDER": region.mail["sender"],
    }


def build_links_on(app: Flask, base_url: str) -> None:
    """Build every absolute link of ``app`` (pages, emails, redirections) on ``base_url``.

    ``tremplin serve`` calls it with the address it serves when the region gives no public
    address, and ``tremplin demo`` always: the worker of the same process then writes
    emails whose links lead to the pages served.
    """
    app.config.update(_address_config(base_url))


def _address_config(base_url: str) -> dict[str, str]:
    # Links in emails are built outside any request, from this address; pages use it too.
    parts = urlsplit(base_url)
    return {
        "SERVER_NAME": parts.netloc,
        "PREFERRED_URL_SCHEME": parts.scheme,
        "APPLICATION_ROOT": parts.path or "/",
    }


def _bind_runtime(app: Flask, runtime: Runtime) -> None:
    """Make ``runtime`` current whenever one of ``app``'s contexts is pushed."""

    def pushed(_sender: Flask, **_: Any) -> None:
        activate(runtime)

    def popped(_sender: Flask, **_: Any) -> None:
        deactivate()

    appcontext_pushed.connect(pushed, app, weak=False)
    appcontext_popped.connect(popped, app, weak=False)
