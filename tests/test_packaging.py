"""Packaging: every package under core/ and plugins/ is shipped."""

import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.one_database  # nothing here depends on the database

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = set()
    for source, package in (("core", "tremplin"), ("plugins", "tremplin.plugins")):
        for init in (ROOT / source).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / source).parts
            found.add(".".join((package, *relative)))
    assert found == listed
