"""Builds the plugin manager of one app: the core's areas, then the region's plugins."""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .i18n import _

ENTRY_POINT_GROUP = "tremplin.plugins"

# The core's own areas are plugins too, registered first and in dependency order.
CORE_PLUGINS = (
    "tremplin.web.hooks",
    "tremplin.privacy.hooks",
    "tremplin.territories.hooks",
    "tremplin.organisations.hooks",
    "tremplin.auth.hooks",
    "tremplin.people.hooks",
    "tremplin.interventions.hooks",
    "tremplin.documents.hooks",
    "tremplin.messaging.hooks",
    "tremplin.calendars.hooks",
    "tremplin.stats.hooks",
    "tremplin.mail.hooks",
    "tremplin.demo.hooks",
)


class PluginError(Exception):
    """A plugin named by the region is unknown or cannot be loaded."""


@dataclass(frozen=True)
class PluginInfo:
    """What ``tremplin plugins`` and ``/-/plugins.json`` say about one plugin."""

    name: str
    version: str | None
    hooks: tuple[str, ...]
    core: bool

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of this description."""
        return {"name": self.name, "version": self.version, "hooks": list(self.hooks)}


def installed_plugins() -> dict[str, importlib.metadata.EntryPoint]:
    """Plugins installed on this machine, by entry-point name."""
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def make_plugin_manager(
    enabled: Sequence[str], extra: Iterable[object] = ()
) -> pluggy.PluginManager:
    """A new plugin manager with the core areas, the ``enabled`` plugins, then ``extra``.

    ``enabled`` names entry points of the ``tremplin.plugins`` group, in the region's order;
    ``extra`` holds plugin objects registered directly (a module or an instance, as tests
    do). Raise ``PluginError`` naming the plugin that is unknown or fails to load.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    for module_name in CORE_PLUGINS:
        manager.register(importlib.import_module(module_name), name=_area_name(module_name))
    available = installed_plugins()
    for name in enabled:
        _register(manager, _load(name, available), name)
    for plugin in extra:
        _register(manager, plugin, _extra_name(plugin))
    _check_hooks_exist(manager)
    return manager


def collect(caller: pluggy.HookCaller, **kwargs: Any) -> list[Any]:
    """Call a collect hook and flatten the answers, in plugin registration order.

    pluggy calls the last registered plugin first; answers are reversed so the core
    areas come first, then the plugins in the region's order. ``None`` answers are
    dropped and lists are flattened.
    """
    answers: list[Any] = []
    for answer in reversed(caller(**kwargs)):
        if isinstance(answer, list | tuple):
            answers.extend(answer)
        elif answer is not None:
            answers.append(answer)
    return answers


def call_in_order(caller: pluggy.HookCaller, **kwargs: Any) -> list[Any]:
    """Call each implementation one after the other in registration order; return answers.

    For hooks whose implementations depend on one another (organisations are loaded after
    the territories they belong to), where pluggy's own order (last registered first)
    would be wrong. ``None`` answers are dropped.
    """
    answers = []
    for implementation in caller.get_hookimpls():
        answer = implementation.function(*(kwargs[name] for name in implementation.argnames))
        if answer is not None:
            answers.append(answer)
    return answers


def describe(manager: pluggy.PluginManager) -> list[PluginInfo]:
    """Every registered plugin with its version and the hooks it implements."""
    versions = {name: _dist_version(ep) for name, ep in installed_plugins().items()}
    core_names = {_area_name(module) for module in CORE_PLUGINS}
    infos = []
    for name, plugin in manager.list_name_plugin():
        hooks = tuple(sorted(caller.name for caller in manager.get_hookcallers(plugin) or []))
        core = name in core_names
        version = (
            _core_version() if core else versions.get(name, getattr(plugin, "__version__", None))
        )
        infos.append(PluginInfo(name=name, version=version, hooks=hooks, core=core))
    return infos


def _register(manager: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        manager.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as error:
        reason = " ".join(str(error).split())  # pluggy's message spans several lines
        raise PluginError(
            _("plugin %(name)r cannot be registered: %(error)s", name=name, error=reason)
        ) from error


def _check_hooks_exist(manager: pluggy.PluginManager) -> None:
    """Like pluggy's ``check_pending``, but the error names the plugin, in one line."""
    for hook_name, caller in vars(manager.hook).items():
        if caller.spec is not None:
            continue
        for implementation in caller.get_hookimpls():
            if not implementation.optionalhook:
                raise PluginError(
                    _(
                        "plugin %(name)r implements %(hook)r, which is not a Tremplin hook",
                        name=implementation.plugin_name,
                        hook=hook_name,
                    )
                )


def _load(name: str, available: dict[str, importlib.metadata.EntryPoint]) -> object:
    if name not in available:
        known = ", ".join(sorted(available)) or _("none")
        raise PluginError(
            _("unknown plugin %(name)r (installed plugins: %(known)s)", name=name, known=known)
        )
    try:
        return available[name].load()
    except Exception as error:  # any failure of third-party code must name the plugin
        raise PluginError(
            _("plugin %(name)r failed to load: %(error)r", name=name, error=error)
        ) from error


def _area_name(module_name: str) -> str:
    return module_name.removesuffix(".hooks")


def _extra_name(plugin: object) -> str:
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    return getattr(plugin, "name", None) or type(plugin).__name__


def _core_version() -> str:
    return importlib.metadata.version("tremplin")


def _dist_version(entry_point: importlib.metadata.EntryPoint) -> str | None:
    return entry_point.dist.version if entry_point.dist else None
