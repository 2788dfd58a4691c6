"""The register of processing activities (GDPR art. 30) and retention purges."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .. import clock, runtime


@dataclass(frozen=True)
class ProcessingActivity:
    """One row of the register: why data is processed, on which basis, what, how long."""

    name: str
    purpose: str
    legal_basis: str
    data: str
    retention: str


def register() -> list[ProcessingActivity]:
    """Every processing activity declared by the core areas and the enabled plugins."""
    return runtime.hooks().processing_activities()


def purge(now: datetime.datetime | None = None) -> datetime.datetime:
    """Ask every area and plugin to apply its retention periods as of ``now``; return ``now``."""
    now = now or clock.now().replace(tzinfo=datetime.UTC)
    runtime.hooks().purge_expired(now=now)
    return now
