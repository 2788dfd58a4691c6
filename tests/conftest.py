"""Fixtures of the project's own tests (the public test kit is ``tremplin.testing``)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

# No deadline per example: how fast is measured by benchmarks/, and a machine shared by
# parallel workers makes a property test's timing say nothing about the code.
settings.register_profile("tremplin", deadline=None)
settings.load_profile("tremplin")

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_REGION = ROOT / "examples" / "hauts-de-france"

# tests/test_testkit.py runs small suites of its own, as a plugin author's.
pytest_plugins = ["pytester"]


@pytest.fixture
def install_plugin(tmp_path, monkeypatch):
    """Install a plugin module as a real distribution with a ``tremplin.plugins`` entry point.

    ``install_plugin("demo", source, version="1.2.3")`` writes the module and its
    ``.dist-info`` to a folder put on ``sys.path``, so discovery goes through
    ``importlib.metadata`` exactly as for a plugin installed with pip.
    """
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def install(name: str, source: str, version: str = "1.0.0") -> str:
        module = f"tremplin_test_{name}"
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        dist_info = site / f"{module}-{version}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {module}\nVersion: {version}\n", encoding="utf-8"
        )
        (dist_info / "entry_points.txt").write_text(
            f"[tremplin.plugins]\n{name} = {module}\n", encoding="utf-8"
        )
        return module

    return install


def copy_reference_region(parent: Path) -> Path:
    """A copy of the Hauts-de-France region folder in ``parent``, safe to modify."""
    folder = parent / "hauts-de-france"
    shutil.copytree(REFERENCE_REGION, folder, ignore=shutil.ignore_patterns("instance"))
    return folder


@pytest.fixture
def reference_region(tmp_path) -> Path:
    """A copy of the Hauts-de-France region folder, safe to modify."""
    return copy_reference_region(tmp_path)


@pytest.fixture(scope="module")
def module_reference_region(tmp_path_factory) -> Path:
    """A copy of the Hauts-de-France region folder for a module's tests to share."""
    return copy_reference_region(tmp_path_factory.mktemp("region"))


@pytest.fixture
def write_region(tmp_path):
    """Write a region folder whose ``tremplin.toml`` is ``text``; return the folder."""

    def write(text: str, name: str = "region") -> Path:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        (folder / "tremplin.toml").write_text(textwrap.dedent(text), encoding="utf-8")
        return folder

    return write
