"""The register of processing activities (GDPR art. 30) and retention purges."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from .. import clock, runtime

logger = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class PurgeReport:
    """What a purge deleted or anonymised: ``{area or plugin: {what: how many}}``, as of
    ``moment``, for those whose ``purge_expired`` answered counts."""

    moment: datetime.datetime
    purged: dict[str, dict[str, int]]


def purge(now: datetime.datetime | None = None) -> PurgeReport:
    """Ask every area and plugin to apply its retention periods as of ``now``; the report."""
    now = now or clock.now().replace(tzinfo=datetime.UTC)
    purged = {}
    for name, answer in runtime.hooks().answers("purge_expired", now=now):
        if isinstance(answer, Mapping) and answer:
            purged[name] = {str(what): int(count) for what, count in answer.items()}
    return PurgeReport(now, purged)


def nightly_purge() -> None:
    """The nightly task: ``purge()``, its report written to the log."""
    report = purge()
    for name, counts in report.purged.items():
        logger.info("purge %s: %s", name, counts)
