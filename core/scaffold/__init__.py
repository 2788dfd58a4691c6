"""``tremplin plugin new``: a plugin package to start from, written as the docs teach.

The skeleton (``skeleton/``) is a whole plugin: its ``pyproject.toml`` and entry point, its
``hooks.py``, a model and its first migration, a settings schema, a page in French and
English, its translation domain, tests written with ``tremplin.testing`` and a docs page.
Files end in ``.tmpl`` and name ``$name``, ``$package``, ``$distribution``, ``$title`` and
``$tremplin_version`` (``string.Template``); ``__name__`` and ``__package__`` in their paths
become the plugin's name and package.
"""

from __future__ import annotations

import keyword
import re
import string
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..i18n import _

SKELETON = Path(__file__).parent / "skeleton"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,29}$")


class ScaffoldError(ValueError):
    """The plugin cannot be written: a bad name, or a folder already in use."""


@dataclass(frozen=True)
class NewPlugin:
    """What the skeleton is filled with, from the plugin's name."""

    name: str

    @property
    def package(self) -> str:
        """The import package: ``tremplin_opendays``."""
        return f"tremplin_{self.name}"

    @property
    def distribution(self) -> str:
        """The distribution on PyPI: ``tremplin-opendays``."""
        return f"tremplin-{self.name.replace('_', '-')}"

    @property
    def title(self) -> str:
        """A title to start from: ``Opendays``."""
        return self.name.replace("_", " ").capitalize()

    def values(self) -> dict[str, str]:
        """The placeholders of the skeleton's files."""
        return {
            "name": self.name,
            "package": self.package,
            "distribution": self.distribution,
            "title": self.title,
            "tremplin_version": __version__,
        }


def check_name(name: str) -> NewPlugin:
    """The plugin named ``name``; ``ScaffoldError`` saying why the name cannot be one."""
    if not NAME.match(name) or keyword.iskeyword(name):
        raise ScaffoldError(
            _(
                "%(name)r cannot name a plugin: use 2 to 30 lowercase letters, digits or _, "
                "starting with a letter (it prefixes the plugin's tables)",
                name=name,
            )
        )
    return NewPlugin(name)


def write_plugin(name: str, directory: Path) -> list[Path]:
    """Write the plugin ``name`` into ``directory`` (created, or empty); return its files."""
    plugin = check_name(name)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ScaffoldError(
            _(
                "%(folder)s already exists and is not empty: choose another --directory",
                folder=directory,
            )
        )
    written = []
    for source in sorted(SKELETON.rglob("*.tmpl")):
        relative = source.relative_to(SKELETON).with_suffix("")
        target = directory / str(relative).replace("__package__", plugin.package).replace(
            "__name__", plugin.name
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        text = string.Template(source.read_text(encoding="utf-8")).substitute(plugin.values())
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
