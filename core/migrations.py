"""Migrations of every component (core areas and plugins), recorded in one history table.

Each component ships numbered files ``0001_name.py`` defining ``up(migrator, db)``, the
format of peewee's ``playhouse.migrations``; this module loads them with peewee's own
loader and keeps one history table keyed by (component, name).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import peewee
import pluggy
from playhouse.migrate import SchemaMigrator
from playhouse.migrations import Migration

from . import clock
from .pluginmanager import Hooks

HISTORY_TABLE = "tremplin_migration"


class MigrationError(Exception):
    """A migration file is broken or failed; says which one."""


class AppliedMigration(peewee.Model):
    """One applied migration. Bound to the database being migrated at use."""

    component = peewee.CharField(max_length=100)
    name = peewee.CharField(max_length=200)
    applied_at = peewee.DateTimeField()

    class Meta:
        table_name = HISTORY_TABLE
        indexes = ((("component", "name"), True),)


@dataclass(frozen=True)
class MigrationState:
    """A migration of a component, applied (with when) or pending."""

    component: str
    name: str
    applied_at: datetime.datetime | None

    @property
    def pending(self) -> bool:
        """Whether this migration still has to run."""
        return self.applied_at is None


def status(db: peewee.Database, components: Iterable[tuple[str, Path]]) -> list[MigrationState]:
    """Every migration of ``components`` in order, with when it was applied, if it was."""
    with db.bind_ctx([AppliedMigration]):
        applied = _applied(db)
        return [
            MigrationState(component, migration.name, applied.get((component, migration.name)))
            for component, directory in components
            for migration in Migration.load_directory(str(directory))
        ]


def upgrade(db: peewee.Database, components: Iterable[tuple[str, Path]]) -> list[MigrationState]:
    """Apply the pending migrations of ``components`` in order; return those applied.

    Each migration runs in its own transaction with its history row, so a failure leaves
    the database at the last migration that succeeded. Running it again changes nothing.
    """
    components = list(components)
    done = []
    with db.bind_ctx([AppliedMigration]):
        db.create_tables([AppliedMigration], safe=True)
        migrator = SchemaMigrator.from_database(db)
        directories = dict(components)
        for state in status(db, components):
            if state.pending:
                _apply(db, migrator, state, directories[state.component])
                done.append(state)
    return done


def _applied(db: peewee.Database) -> dict[tuple[str, str], datetime.datetime]:
    if not AppliedMigration.table_exists():
        return {}
    return {(row.component, row.name): row.applied_at for row in AppliedMigration.select()}


def _apply(
    db: peewee.Database, migrator: SchemaMigrator, state: MigrationState, directory: Path
) -> None:
    path = Path(directory) / f"{state.name}.py"
    migration = Migration(0, state.name, str(path), None)
    try:
        module = migration.load()
        with migrator.migration_context(getattr(module, "atomic", True)):
            module.up(migrator, db)
            AppliedMigration.create(
                component=state.component,
                name=state.name,
                applied_at=clock.now(),
            )
    except Exception as error:
        raise MigrationError(f"{state.component}/{state.name}: {error}") from error


def components_of(manager: pluggy.PluginManager) -> list[tuple[str, Path]]:
    """``(component, directory)`` of every registered area and plugin, in registration order."""
    return [(name, Path(directory)) for name, directory in Hooks(manager).register_migrations()]
