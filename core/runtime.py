"""The running instance, for code that must not import Flask (services, jobs, CLI).

An app activates its runtime whenever its app context is pushed; the CLI and background
jobs run inside an app context too. Services then reach the hooks and the settings of
the current instance without knowing about Flask.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import peewee
import pluggy

from .db import database as database_proxy
from .pluginmanager import Hooks
from .region import Region


@dataclass(frozen=True)
class Runtime:
    """One instance: its region, plugin manager, database, validated plugin settings and
    task queue (``tremplin.queue``)."""

    region: Region
    plugins: pluggy.PluginManager
    database: peewee.Database
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    queue: Any = None  # a tremplin.queue.InstanceQueue (not imported: it imports this module)


_active: ContextVar[tuple[Runtime, ...]] = ContextVar("tremplin_runtime", default=())


def activate(runtime: Runtime) -> None:
    """Make ``runtime`` the current one (until the matching ``deactivate``)."""
    _active.set((*_active.get(), runtime))
    database_proxy.initialize(runtime.database)


def deactivate() -> None:
    """Return to the runtime that was current before the last ``activate``."""
    stack = _active.get()[:-1]
    _active.set(stack)
    if stack:
        database_proxy.initialize(stack[-1].database)


@contextmanager
def activated(runtime: Runtime) -> Iterator[Runtime]:
    """Run a block with ``runtime`` current."""
    activate(runtime)
    try:
        yield runtime
    finally:
        deactivate()


def current() -> Runtime:
    """The current runtime; raise ``RuntimeError`` outside an instance."""
    stack = _active.get()
    if not stack:
        raise RuntimeError("no Tremplin instance is active (push an app context first)")
    return stack[-1]


def hooks() -> Hooks:
    """The hooks of the current instance, called as their kind says:
    ``hooks().intervention_changed(...)``, ``hooks().key_figures(...)`` (a list)."""
    return Hooks(current().plugins)


def settings_of(plugin: str) -> Mapping[str, Any]:
    """The validated ``[plugins.NAME]`` settings of ``plugin`` in the current instance."""
    return current().settings.get(plugin, {})
