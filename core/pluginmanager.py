"""Builds the plugin manager of one app (the core's areas, then the region's plugins) and
calls its hooks as their specifications say (``tremplin.hookspecs``)."""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .hookkinds import ADAPTERS_ATTRIBUTE, PROJECT_NAME, HookKind, kind_of
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
    "tremplin.operations.hooks",
)

# The attribute of an exception raised by a hook implementation that names its plugin.
PLUGIN_ATTRIBUTE = "tremplin_plugin"


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


class Hooks:
    """The hooks of one plugin manager, each called as its specification's kind says.

    ``hooks.menu_links(user=account)`` returns the gathered answers of a *collect* hook,
    ``hooks.intervention_changed(...)`` runs a *call* hook for its effect, and a *first*
    hook returns its first answer. ``hooks.answers(name, ...)`` gives each plugin's answer
    with the plugin's name.
    """

    def __init__(self, manager: pluggy.PluginManager):
        self._manager = manager

    def __getattr__(self, name: str) -> Callable[..., Any]:
        caller = self.caller(name)
        return functools.partial(_BY_KIND[kind_of(caller.spec.function)], caller)

    def caller(self, name: str) -> pluggy.HookCaller:
        """pluggy's caller of the hook ``name``; ``AttributeError`` if no such hook exists."""
        caller = getattr(self._manager.hook, name, None)
        if caller is None or caller.spec is None:
            raise AttributeError(f"Tremplin has no hook named {name!r}")
        return caller

    def answers(self, name: str, /, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        """``(plugin name, answer)`` of each implementation of ``name`` (see ``answers``)."""
        return answers(self.caller(name), **kwargs)


def installed_plugins() -> dict[str, importlib.metadata.EntryPoint]:
    """Plugins installed on this machine, by entry-point name."""
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def plugin_named_for(module_name: str) -> str | None:
    """The entry-point name of the installed plugin whose code holds ``module_name``.

    A plugin's package is the package of its entry point's module (``tremplin_opendays``
    for ``tremplin_opendays.hooks``); a plugin that is a single module is that module.
    """
    found = {
        name
        for name, entry_point in installed_plugins().items()
        if _within(module_name, _package_of(entry_point.module))
    }
    if len(found) > 1:
        raise PluginError(
            _(
                "the module %(module)s belongs to several plugins: %(names)s",
                module=module_name,
                names=", ".join(sorted(found)),
            )
        )
    return found.pop() if found else None


def make_plugin_manager(
    enabled: Sequence[str], extra: Iterable[object] = ()
) -> pluggy.PluginManager:
    """A new plugin manager with the core areas, the ``enabled`` plugins, then ``extra``.

    ``enabled`` names entry points of the ``tremplin.plugins`` group, in the region's order;
    ``extra`` holds plugin objects registered directly (a module or an instance, as tests
    do), named as their entry point names them when they are an installed plugin's code.
    Raise ``PluginError`` naming the plugin that is unknown or fails to load.
    """
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    for module_name in CORE_PLUGINS:
        manager.register(importlib.import_module(module_name), name=area_name(module_name))
    available = installed_plugins()
    for name in enabled:
        _register(manager, _load(name, available), name)
    for plugin in extra:
        _register(manager, plugin, _extra_name(plugin))
    _check_hooks_exist(manager)
    _check_calling_order(manager)
    return manager


def answers(caller: pluggy.HookCaller, /, **kwargs: Any) -> Iterator[tuple[str, Any]]:
    """``(plugin name, answer)`` of each implementation of a hook, in registration order.

    Core areas come first, in dependency order, then the region's plugins in the order of
    ``tremplin.toml``, then plugin objects given directly. An implementation receives only
    the arguments it names. An exception it raises goes on with a note naming the plugin
    (``plugin_of(error)``).
    """
    adapters = getattr(caller.spec.function, ADAPTERS_ATTRIBUTE, {})
    for implementation in caller.get_hookimpls():
        try:
            answer = _answer_of(implementation, kwargs, adapters)
        except Exception as error:
            setattr(error, PLUGIN_ATTRIBUTE, implementation.plugin_name)
            error.add_note(
                f"in the {caller.name} hook of the plugin {implementation.plugin_name!r}"
            )
            raise
        yield implementation.plugin_name, answer


def plugin_of(error: BaseException) -> str | None:
    """The name of the plugin whose hook implementation raised ``error``, if one did."""
    return getattr(error, PLUGIN_ATTRIBUTE, None)


def collect(caller: pluggy.HookCaller, /, **kwargs: Any) -> list[Any]:
    """Call a *collect* hook: every answer, ``None`` dropped and lists flattened."""
    gathered: list[Any] = []
    for _plugin, answer in answers(caller, **kwargs):
        if isinstance(answer, list | tuple):
            gathered.extend(answer)
        elif answer is not None:
            gathered.append(answer)
    return gathered


def call(caller: pluggy.HookCaller, /, **kwargs: Any) -> None:
    """Call a *call* hook: every implementation, for its effect."""
    for _answer in answers(caller, **kwargs):
        pass


def first(caller: pluggy.HookCaller, /, **kwargs: Any) -> Any:
    """Call a *first* hook: the first answer that is not ``None`` (``None`` if none)."""
    for _plugin, answer in answers(caller, **kwargs):
        if answer is not None:
            return answer
    return None


_BY_KIND: dict[HookKind, Callable[..., Any]] = {
    HookKind.COLLECT: collect,
    HookKind.CALL: call,
    HookKind.FIRST: first,
}


def describe(manager: pluggy.PluginManager) -> list[PluginInfo]:
    """Every registered plugin with its version and the hooks it implements."""
    versions = {name: _dist_version(ep) for name, ep in installed_plugins().items()}
    core_names = {area_name(module) for module in CORE_PLUGINS}
    infos = []
    for name, plugin in manager.list_name_plugin():
        hooks = tuple(sorted(caller.name for caller in manager.get_hookcallers(plugin) or []))
        core = name in core_names
        version = (
            _core_version() if core else versions.get(name, getattr(plugin, "__version__", None))
        )
        infos.append(PluginInfo(name=name, version=version, hooks=hooks, core=core))
    return infos


def area_name(module_name: str) -> str:
    """The name a core area is registered under: ``tremplin.people`` for its hooks module."""
    return module_name.removesuffix(".hooks")


def is_core_area(name: str) -> bool:
    """Whether ``name`` is one of the core's own areas rather than a plugin."""
    return name in {area_name(module) for module in CORE_PLUGINS}


def _answer_of(implementation: Any, kwargs: dict[str, Any], adapters: dict[str, Any]) -> Any:
    """``implementation``'s answer to a call with ``kwargs``, given the arguments it names.

    An implementation of a deprecated form of the hook (it names an argument the
    specification adapts, see ``hookspecs.adapted``) is called through its adapter.
    """
    names = implementation.argnames
    for argument, adapter in adapters.items():
        if argument in names and not set(names) & set(kwargs).difference(adapters):
            return adapter(implementation.function, **kwargs)
    return implementation.function(*(kwargs[name] for name in names))


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


def _check_calling_order(manager: pluggy.PluginManager) -> None:
    """Refuse what would change the registration order: wrappers, ``tryfirst``, ``trylast``.

    Tremplin calls every implementation in registration order (``answers``); the order of
    ``enabled`` in ``tremplin.toml`` is the one way to choose it.
    """
    for hook_name, caller in vars(manager.hook).items():
        for implementation in caller.get_hookimpls():
            if (
                implementation.wrapper
                or implementation.hookwrapper
                or implementation.tryfirst
                or implementation.trylast
            ):
                raise PluginError(
                    _(
                        "plugin %(name)r marks its %(hook)r implementation as a wrapper or "
                        "tryfirst/trylast: Tremplin calls plugins in the order of "
                        "[plugins] enabled",
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


def _extra_name(plugin: object) -> str:
    """The name of a plugin object given directly: its entry point's, when it has one."""
    if isinstance(plugin, ModuleType):
        return plugin_named_for(plugin.__name__) or plugin.__name__
    return (
        getattr(plugin, "name", None)
        or plugin_named_for(type(plugin).__module__)
        or type(plugin).__name__
    )


def _package_of(module_name: str) -> str:
    """The package holding a plugin's entry-point module, or the module if it stands alone."""
    package, _dot, _module = module_name.rpartition(".")
    return package or module_name


def _within(module_name: str, package: str) -> bool:
    return module_name == package or module_name.startswith(f"{package}.")


def _core_version() -> str:
    return importlib.metadata.version("tremplin")


def _dist_version(entry_point: importlib.metadata.EntryPoint) -> str | None:
    return entry_point.dist.version if entry_point.dist else None
