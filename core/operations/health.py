"""Is the instance alive? The database, the queue and the worker's heartbeat, each apart.

No Flask here: ``tremplin.operations.views`` turns this into ``/healthz``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import peewee

from .. import clock, db, runtime

# The worker beats every minute (``queue.heartbeat``): three minutes of silence means it
# stopped, or its periodic tasks did.
HEARTBEAT_LATE = datetime.timedelta(minutes=3)


@dataclass(frozen=True)
class Health:
    """Each part's state: ``ok``/``unavailable``; the worker ``ok``, ``late``, ``unknown``
    (never seen) or ``not needed`` (a queue that runs tasks at once)."""

    database: str
    queue: str
    worker: str
    worker_heartbeat: datetime.datetime | None

    def healthy(self, ignore_worker: bool = False) -> bool:
        """Whether every part (the worker aside if ``ignore_worker``) is up."""
        worker_ok = ignore_worker or self.worker in {"ok", "not needed"}
        return self.database == "ok" and self.queue == "ok" and worker_ok


def check() -> Health:
    """Ask the database and the queue, and read the worker's last heartbeat."""
    current = runtime.current()
    try:
        db.check(current.database)
        database = "ok"
    except peewee.DatabaseError:
        database = "unavailable"
    queue, heartbeat = current.queue, None
    try:
        queue.storage.queue_size()
        heartbeat = queue.last_heartbeat()
        queue_state = "ok"
    except Exception:  # Redis, SQLite: whatever keeps the queue from answering
        queue_state = "unavailable"
    return Health(database, queue_state, _worker(queue.immediate, heartbeat), heartbeat)


def _worker(immediate: bool, heartbeat: datetime.datetime | None) -> str:
    if immediate:
        return "not needed"
    if heartbeat is None:
        return "unknown"
    return "ok" if clock.now() - heartbeat <= HEARTBEAT_LATE else "late"
