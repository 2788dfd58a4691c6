"""The import contracts cover the whole core."""

import ast
import re
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.one_database  # nothing here depends on the database

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


PLUGIN_GUIDE = ROOT / "docs" / "writing-a-plugin.md"
PUBLIC_ROW = re.compile(r"^\| ((?:`tremplin[\w.]*`(?:, )?)+) \|", re.MULTILINE)


def core_modules() -> set[str]:
    """Every module of the core, by its dotted name (migrations are files, not modules)."""
    modules = set()
    for path in (ROOT / "core").rglob("*.py"):
        parts = path.relative_to(ROOT / "core").with_suffix("").parts
        if "migrations" in parts[:-1] or "templates" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules.add(".".join(("tremplin", *parts)))
    return modules


def public_modules() -> set[str]:
    """The modules the plugin guide's "Public modules" table lists."""
    section = PLUGIN_GUIDE.read_text(encoding="utf-8").split("## Public modules", 1)[1]
    return {
        name.strip("`")
        for match in PUBLIC_ROW.finditer(section)
        for name in match.group(1).split(", ")
    }


def test_the_public_modules_exist():
    assert public_modules() - core_modules() == set()
    assert "tremplin.plugin" in public_modules()  # the table was read


def test_plugins_are_forbidden_every_core_module_but_the_public_ones():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["name"].startswith("Plugins import only the public modules")
    )
    private = sorted(core_modules() - public_modules())
    assert sorted(contract["forbidden_modules"]) == private, (
        "forbidden_modules of the contract should be, with the guide's public modules:\n"
        + "\n".join(f'    "{name}",' for name in private)
    )


def is_web_face(module: str) -> bool:
    """Whether ``module`` is an area's pages or API (``views``, ``api``, ``*_views``)."""
    name = module.rsplit(".", 1)[-1]
    return name in {"views", "api"} or name.endswith("_views")


def imported_by(path: Path, module: str) -> set[str]:
    """The modules ``path`` (the module ``module``) imports, relative imports resolved."""
    package = module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_an_area_s_pages_never_import_another_area_s_pages_or_api():
    # The web shell's helpers (``tremplin.web.api``, ``forms``...) are every area's to use.
    areas = {
        path.name
        for path in (ROOT / "core").iterdir()
        if (path / "hooks.py").is_file() and path.name != "web"
    }
    crossings = []
    for area in sorted(areas):
        for path in sorted((ROOT / "core" / area).glob("*.py")):
            module = f"tremplin.{area}.{path.stem}"
            if not is_web_face(module):
                continue
            for target in imported_by(path, module):
                parts = target.split(".")
                if len(parts) == 3 and parts[1] in areas - {area} and is_web_face(target):
                    crossings.append(f"{module} -> {target}")
    assert "interventions" in areas  # the areas were found
    assert crossings == []
