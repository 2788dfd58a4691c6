"""docs/configuration.md is checked against the settings schemas, so it cannot drift.

Every key of ``tremplin.toml`` (the core's tables, the core areas' and each installed
plugin's ``[plugins.NAME]`` block) has a row giving its type and default exactly as the
schema says, and no row names a key that does not exist; every ``TREMPLIN_*`` variable the
core reads has a row too. ``python tests/test_configuration_reference.py`` prints the rows
the schemas expect (key, type, default), to start a new table from.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from marshmallow import Schema, fields, validate
from marshmallow.utils import missing

from tremplin import region
from tremplin.pluginmanager import Hooks, installed_plugins, make_plugin_manager

pytestmark = pytest.mark.one_database  # nothing here depends on the database

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "configuration.md"
CORE = ROOT / "core"
TABLE_HEADING = re.compile(r"^### `\[(?P<table>[\w.]+)\]`\s*$", re.MULTILINE)
ROW = re.compile(r"^\| `(?P<key>[\w]+)` \| (?P<type>[^|]*) \| (?P<default>[^|]*) \|", re.MULTILINE)
VARIABLE_ROW = re.compile(r"^\| `(?P<name>TREMPLIN_[A-Z_]+)` \|", re.MULTILINE)
VARIABLE_IN_CODE = re.compile(r"\bTREMPLIN_[A-Z][A-Z_]*[A-Z]\b")
# Names of that shape that are Flask configuration keys, not environment variables.
NOT_VARIABLES = {"TREMPLIN_LOCALES"}


def code(value: Any) -> str:
    """``value`` as it is written in TOML, between backticks."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str | Decimal):
        return f'`"{value}"`'
    if isinstance(value, list):
        return "`[" + ", ".join(f'"{item}"' for item in value) + "]`"
    if isinstance(value, dict):
        return (
            "`{}`" if not value else "`{" + ", ".join(f"{k} = {v}" for k, v in value.items()) + "}`"
        )
    return f"`{value}`"


def constraint(field: fields.Field) -> str:
    """What the field's validators allow, in words: ``1 to 60``, ``one of `a`, `b```."""
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return "one of " + ", ".join(f"`{choice}`" for choice in validator.choices)
        if isinstance(validator, validate.Range):
            low, high = validator.min, validator.max
            if low is not None and high is not None:
                return f"{low} to {high}"
            return f"at least {low}" if low is not None else f"at most {high}"
    return ""


def type_of(field: fields.Field) -> str:
    """The type column: ``integer, 1 to 60``, ``string, one of `smtp`, `console```..."""
    if isinstance(field, fields.List):
        inner = constraint(field.inner)
        return f"list of {inner.removeprefix('one of ')}" if inner else "list of strings"
    names = [
        (fields.Url, "URL"),
        (fields.Email, "email address"),
        (fields.String, "string"),
        (fields.Integer, "integer"),
        (fields.Decimal, "decimal"),
        (fields.Float, "number"),
        (fields.Boolean, "boolean"),
        (fields.Dict, "table"),
    ]
    name = next(label for kind, label in names if isinstance(field, kind))
    limits = constraint(field)
    return f"{name}, {limits}" if limits else name


def default_of(field: fields.Field) -> str:
    if field.required:
        return "required"
    default = field.load_default
    if default is missing:
        return "none"
    return code(default() if callable(default) else default)


def schema_rows(schema: type[Schema] | Schema) -> dict[str, tuple[str, str]]:
    """``{key: (type, default)}`` of a schema's fields, as the reference writes them."""
    instance = schema() if isinstance(schema, type) else schema
    return {
        name: (type_of(field), default_of(field))
        for name, field in instance.fields.items()
        if not isinstance(field, fields.Nested)
    }


def expected_tables() -> Iterator[tuple[str, dict[str, tuple[str, str]]]]:
    """Every table of tremplin.toml with its rows: the core's, then each settings block."""
    for name, field in region.RegionFileSchema().fields.items():
        rows = schema_rows(field.nested)
        # A table left out gets the table's default: [database] url is then the SQLite file.
        table_default = field.load_default() if callable(field.load_default) else {}
        for key, value in table_default.items():
            rows[key] = (rows[key][0], code(value))
        yield name, rows
    manager = make_plugin_manager(sorted(installed_plugins()))
    for plugin, schema in Hooks(manager).answers("register_settings_schema"):
        yield f"plugins.{plugin.removeprefix('tremplin.')}", schema_rows(schema)


def documented_tables() -> dict[str, dict[str, tuple[str, str]]]:
    text = REFERENCE.read_text(encoding="utf-8").split("## Environment variables")[0]
    sections = TABLE_HEADING.split(text)[1:]
    return {
        table: {
            row["key"]: (row["type"].strip(), row["default"].strip()) for row in ROW.finditer(body)
        }
        for table, body in zip(sections[::2], sections[1::2], strict=True)
    }


def variables_in_code() -> set[str]:
    found = set()
    for path in CORE.rglob("*.py"):
        found |= set(VARIABLE_IN_CODE.findall(path.read_text(encoding="utf-8")))
    return found - NOT_VARIABLES


def test_every_key_of_tremplin_toml_is_documented_with_its_type_and_default():
    documented = documented_tables()
    expected = dict(expected_tables())
    assert sorted(documented) == sorted(expected)
    for table, rows in expected.items():
        assert documented[table] == rows, f"[{table}] in {REFERENCE.name}"


def test_every_environment_variable_is_documented():
    text = REFERENCE.read_text(encoding="utf-8")
    documented = set(VARIABLE_ROW.findall(text.split("## Environment variables")[1]))
    read = {*region.ENVIRONMENT_OVERRIDES, *region.FILE_ENVIRONMENT, *variables_in_code()}
    assert documented == read


def test_every_variable_replacing_a_key_names_a_key_of_the_reference():
    tables = dict(expected_tables())
    for table, key in region.FILE_ENVIRONMENT.values():
        assert key in tables[table]


if __name__ == "__main__":
    for table, rows in expected_tables():
        sys.stdout.write(f"\n### `[{table}]`\n\n| key | type | default | example | meaning |\n")
        sys.stdout.write("|---|---|---|---|---|\n")
        for key, (kind, default) in rows.items():
            sys.stdout.write(f"| `{key}` | {kind} | {default} | | |\n")
