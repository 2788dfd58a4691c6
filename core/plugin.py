"""A plugin's identity: its name, and everything the name decides.

A plugin is named once, by its entry point in the ``tremplin.plugins`` group of its
``pyproject.toml``; regions enable it by that name. Its code learns the name from there,
so nothing else types it by hand::

    # tremplin_opendays/__init__.py
    from tremplin.plugin import Plugin

    plugin = Plugin.of(__name__)        # named "opendays" by its entry point

    # anywhere in the plugin
    plugin.name                         # "opendays": the source of its holds...
    plugin.table("open_day")            # "opendays_open_day": its tables' prefix
    plugin.settings()                   # its validated [plugins.opendays] block
    plugin.domain                       # its translation domain, translations/ beside it
    plugin.migrations()                 # ("opendays", its migrations/ folder)

A plugin object registered by a test (``make_app(extra_plugins=[...])``) that is an
installed plugin's code gets the same name as through its entry point.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import migrations, runtime
from .i18n import Domain
from .pluginmanager import PluginError, plugin_named_for


@dataclass(frozen=True)
class Plugin:
    """The identity of the plugin named ``name`` whose code is the package ``package``."""

    name: str
    package: str

    @classmethod
    def of(cls, package: str) -> Plugin:
        """The plugin whose code is ``package`` (give it ``__name__``), named by its entry
        point; ``PluginError`` if no installed plugin's code is there."""
        name = plugin_named_for(package)
        if name is None:
            raise PluginError(
                f"no installed plugin has its code in {package!r}: declare an entry point in "
                "the tremplin.plugins group of its pyproject.toml and install it"
            )
        return cls(name, package)

    @functools.cached_property
    def folder(self) -> Path:
        """The folder of the plugin's package (templates, translations, migrations)."""
        spec = importlib.util.find_spec(self.package)
        if spec is None or spec.origin is None:
            raise PluginError(f"the package {self.package!r} of plugin {self.name!r} is not found")
        return Path(spec.origin).parent

    @property
    def prefix(self) -> str:
        """What the names of the plugin's tables start with: ``opendays_``."""
        return f"{self.name}_"

    def table(self, name: str) -> str:
        """The name of the plugin's table ``name``: ``opendays_open_day``."""
        return f"{self.prefix}{name}"

    def settings(self) -> Mapping[str, Any]:
        """The plugin's validated ``[plugins.NAME]`` settings in the current instance."""
        return runtime.settings_of(self.name)

    @functools.cached_property
    def domain(self) -> Domain:
        """The plugin's translation domain, read from ``translations/`` beside its code."""
        return Domain(self.name, self.folder / "translations")

    def migrations(self) -> tuple[str, Path]:
        """``(component, folder)`` of the plugin's migrations, for ``register_migrations``."""
        return self.name, self.folder / "migrations"

    def migrated(self) -> bool:
        """Whether every migration of the plugin is applied to the current database."""
        database = runtime.current().database
        with database.connection_context():
            states = migrations.status(database, [self.migrations()])
        return not any(state.pending for state in states)
