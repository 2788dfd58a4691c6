"""The import contracts cover the whole core."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_core_module_is_forbidden_to_import_the_plugins():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["name"].startswith("The core never")
    )
    modules = {
        f"tremplin.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "core").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert modules == set(contract["source_modules"])
