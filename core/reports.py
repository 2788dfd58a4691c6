"""What an import says it did: created, updated, unchanged, and rejected rows with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import _


@dataclass(frozen=True)
class Rejection:
    """A row that was not imported: its line in the file and why."""

    line: int
    reason: str


@dataclass
class ImportReport:
    """The outcome of importing one kind of record; safe imports can be run again."""

    subject: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        """Record that the row at ``line`` was refused for ``reason``."""
        self.rejected.append(Rejection(line, reason))

    def summary(self) -> str:
        """One translated line: ``Territories: 3 created, 0 updated, 12 unchanged, 1 rejected``."""
        return _(
            "%(subject)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(rejected)d rejected",
            subject=self.subject,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            rejected=len(self.rejected),
        )
