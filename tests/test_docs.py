"""The documentation keeps up with the code (datasette's idea, docs/plugins/hooks.md).

Every hook has a section whose heading is its exact signature and whose reference part is
its specification's kind, typed signature and docstring word for word (pytest builds its
reference from its hookspecs the same way); no section describes a hook that does not
exist; every page is reachable from docs/index.md; the README gives the two quick-start
commands.

``python tests/test_docs.py --write`` rewrites the reference parts of hooks.md from
``core/hookspecs.py``; the examples around them are written by hand.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from tremplin import hookkinds, hookspecs

pytestmark = pytest.mark.one_database  # nothing here depends on the database

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOOKS_PAGE = DOCS / "plugins" / "hooks.md"
INDEX = DOCS / "index.md"
README = ROOT / "README.md"

QUICK_START = (
    "python3 -m venv .venv && .venv/bin/pip install -e . && "
    ".venv/bin/tremplin --region examples/hauts-de-france demo",
    "python3 -m venv .venv && .venv/bin/pip install tox && .venv/bin/tox",
)

HOOK_HEADING = re.compile(r"^## (\w+)\((.*)\)\s*$")
REFERENCE = re.compile(
    r"^## (?P<name>\w+)\(.*?\)\n\n(?P<part><!-- hookspec -->\n.*?<!-- /hookspec -->\n)",
    re.MULTILINE | re.DOTALL,
)
LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def hookspecs_by_name() -> dict[str, str]:
    """``{name: "name(arg1, arg2)"}`` for every function pluggy marked as a hookspec."""
    marker = f"{hookkinds.PROJECT_NAME}_spec"
    return {
        name: f"{name}({', '.join(inspect.signature(function).parameters)})"
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, marker)
    }


def prose(path: Path) -> str:
    """The Markdown of ``path`` without its fenced code blocks."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def documented_hooks() -> dict[str, str]:
    """``{name: heading}`` of every hook section of hooks.md."""
    headings = {}
    for line in prose(HOOKS_PAGE).splitlines():
        match = HOOK_HEADING.match(line)
        if match:
            headings[match.group(1)] = line.removeprefix("## ").strip()
    return headings


def local_links(page: Path) -> set[Path]:
    """Files of the repository that ``page`` links to (anchors dropped, URLs ignored)."""
    targets = set()
    for target in LINK.findall(prose(page)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        targets.add((page.parent / target.split("#", 1)[0]).resolve())
    return targets


def test_hookspecs_are_found():
    # Guards the tests below against passing on an empty list.
    assert "register_blueprints" in hookspecs_by_name()


@pytest.mark.parametrize("name", sorted(hookspecs_by_name()))
def test_every_hook_is_documented_with_its_signature(name):
    signature = hookspecs_by_name()[name]
    assert documented_hooks().get(name) == signature, (
        f"docs/plugins/hooks.md needs a section headed '## {signature}'"
    )


def reference_of(name: str) -> str:
    """The reference part of hook ``name`` in hooks.md: kind, typed signature, docstring."""
    specification = getattr(hookspecs, name)
    signature = inspect.signature(specification)
    arguments = ", ".join(
        f"{parameter.name}: {parameter.annotation}" for parameter in signature.parameters.values()
    )
    kind = hookkinds.kind_of(specification).capitalize()
    return (
        "<!-- hookspec -->\n"
        f"*{kind}* · `{name}({arguments}) -> {signature.return_annotation}`\n\n"
        f"{inspect.getdoc(specification)}\n"
        "<!-- /hookspec -->\n"
    )


def written_references(page: str) -> dict[str, str]:
    """``{name: reference part}`` of every hook section of ``page`` that has one."""
    return {match["name"]: match["part"] for match in REFERENCE.finditer(page)}


@pytest.mark.parametrize("name", sorted(hookspecs_by_name()))
def test_the_hook_reference_is_the_hookspec_word_for_word(name):
    written = written_references(HOOKS_PAGE.read_text(encoding="utf-8")).get(name)
    assert written == reference_of(name), (
        f"the reference of {name} in docs/plugins/hooks.md differs from core/hookspecs.py: "
        "run python tests/test_docs.py --write"
    )


def write_references() -> None:
    """Rewrite the reference part of every hook section of hooks.md from the hookspecs."""
    page = HOOKS_PAGE.read_text(encoding="utf-8")

    def replaced(match: re.Match) -> str:
        return match.group(0).replace(match["part"], reference_of(match["name"]))

    HOOKS_PAGE.write_text(REFERENCE.sub(replaced, page), encoding="utf-8")


def test_only_real_hooks_are_documented():
    stale = set(documented_hooks()) - set(hookspecs_by_name())
    assert not stale, f"docs/plugins/hooks.md documents hooks that do not exist: {sorted(stale)}"


def test_every_page_linked_from_the_index_exists():
    missing = [str(path.relative_to(ROOT)) for path in local_links(INDEX) if not path.is_file()]
    assert not missing, f"docs/index.md links to missing files: {sorted(missing)}"


def reachable_from(page: Path) -> set[Path]:
    """Files reached from ``page`` by following the links of Markdown pages, transitively."""
    seen: set[Path] = set()
    pending = [page.resolve()]
    while pending:
        current = pending.pop()
        for target in local_links(current) - seen:
            seen.add(target)
            if target.suffix == ".md" and target.is_file():
                pending.append(target)
    return seen


def test_every_file_under_docs_is_reachable_from_the_index():
    linked = reachable_from(INDEX)
    unlinked = [
        str(path.relative_to(ROOT))
        for path in DOCS.rglob("*")
        if path.is_file() and path.resolve() != INDEX.resolve() and path.resolve() not in linked
    ]
    assert not unlinked, f"no page reachable from docs/index.md links to: {sorted(unlinked)}"


@pytest.mark.parametrize("command", QUICK_START)
def test_the_readme_gives_each_quick_start_command_once(command):
    assert README.read_text(encoding="utf-8").count(command) == 1


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_docs.py --write")
    write_references()


def test_the_new_region_guide_names_every_data_file_a_region_loads():
    """A Normandy trial never learnt of data/organisations.csv from docs/new-region.md."""
    from tremplin.organisations import importing
    from tremplin.territories import service as territories

    guide = (DOCS / "new-region.md").read_text(encoding="utf-8")
    for data_file in (territories.DATA_FILE, importing.DATA_FILE):
        assert f"### {data_file.as_posix()}" in guide


def test_the_postgresql_example_creates_a_role_owning_its_database_on_one_port():
    """The trial's example used port 55432 in one place and left the role's rights unsaid."""
    section = (DOCS / "operating.md").read_text(encoding="utf-8").split("## PostgreSQL")[1]
    section = section.split("\n## ")[0]
    ports = set(re.findall(r"-p (\d+)|@127\.0\.0\.1:(\d+)/", section))
    assert {port for pair in ports for port in pair if port} == {"5432"}
    role = re.search(r"CREATE ROLE (\w+) LOGIN", section).group(1)
    assert f"OWNER {role}" in section
    assert "PostgreSQL 15" in section  # why owning the database matters
