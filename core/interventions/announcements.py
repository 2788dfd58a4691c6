"""Transitions announced by the worker: notifications, emails and calendar invitations.

A transition (``service``) writes, in the transaction of its update, an ``Announcement``
row: what changed, from which status to which. After the transaction, ``intervention_changed`` runs
in the request, for what must stay exact at once (a plugin's ledger, the monthly
figures); telling people is the worker's: once the request has its response (or a command
or a task has run), the announcements it recorded are handed to the ``interventions.announce``
task, which calls ``intervention_announced`` (the messaging area writes the notifications
and queues the emails; the calendars area builds the invitations) and deletes the row, in
one transaction. A periodic task, ``interventions.announce_pending``, announces every
minute what is left (a worker or a queue that was away), so a committed transition is
announced once, whatever stops when. With an immediate queue (tests), a transition is
announced as soon as it commits, in the caller.

Timing. The worker announces what is true when it runs: each announcement names its
transition (``old_status`` → ``new_status``, which decides who is told of what), and the
facts it gives (date, school, ambassador, calendar sequence) are the intervention's as it
stands then. Announcements of one intervention are made in the order of the transitions.
So a request accepted then moved to another date before the worker ran sends an
acceptance with the new date, then no update (the date sent is the date), and a request
accepted then cancelled sends the acceptance, then the cancellation.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextvars import ContextVar

from huey import crontab

from .. import queue as task_queue
from ..db import database
from ..queue import InstanceQueue
from ..runtime import current, hooks
from .models import Announcement, Intervention, Status

logger = logging.getLogger(__name__)

ANNOUNCE_TASK = "interventions.announce"
ANNOUNCE_PENDING_TASK = "interventions.announce_pending"
PENDING_BATCH = 500  # announcements the periodic task makes at most each minute

# Ids recorded in this context, for ``dispatch_recorded``.
_recorded: ContextVar[list[int] | None] = ContextVar("tremplin_announcements", default=None)


def record(intervention_id: int, old: Status | None, new: Status) -> None:
    """Note that the transition of ``intervention_id`` from ``old`` to ``new`` is to be
    announced; call it inside the transition's transaction."""
    row = Announcement.create(intervention=intervention_id, old_status=old, new_status=new)
    recorded = _recorded.get()
    if recorded is None:
        recorded = []
        _recorded.set(recorded)
    recorded.append(row.id)


def take_recorded() -> tuple[int, ...]:
    """Ids of the announcements recorded in this context since the last call (forgotten)."""
    ids = tuple(_recorded.get() or ())
    _recorded.set(None)
    return ids


def dispatch_recorded() -> None:
    """Have what this context recorded announced by the worker (at once when immediate).

    If the queue does not answer, the announcements wait in their table, where the
    periodic task finds them.
    """
    ids = take_recorded()
    if not ids:
        return
    try:
        task_queue.enqueue(ANNOUNCE_TASK, list(ids))
    except Exception as error:  # Redis away: the periodic task announces them anyway
        logger.warning("%d announcement(s) wait for the periodic task: %s", len(ids), error)


def committed() -> None:
    """A transition committed: with an immediate queue (tests), announce it now, here.

    As if a worker had run right after the commit: whoever called the service finds the
    notifications and the queued emails when it returns, and its errors. With a worker,
    the announcement leaves after the request, the command or the task.
    """
    if current().queue.immediate:
        announce(take_recorded())


def announce(ids: Sequence[int]) -> int:
    """Announce the transitions ``ids`` not announced yet; return how many were announced.

    The earlier announcements of the same interventions come first, so that people hear of
    one intervention's transitions in their order.
    """
    rows: dict[int, Announcement] = {}
    for announcement_id in sorted(ids):
        if announcement_id in rows:
            continue
        row = Announcement.get_or_none(Announcement.id == announcement_id)
        if row is None:  # announced already (by another worker, or the periodic task)
            continue
        earlier = Announcement.select().where(
            Announcement.intervention == row.intervention_id, Announcement.id <= row.id
        )
        rows.update((each.id, each) for each in earlier)
    return _in_order(sorted(rows.values(), key=lambda row: row.id))


def announce_pending(limit: int = PENDING_BATCH) -> int:
    """Announce what waits, oldest first; return how many were announced."""
    return _in_order(list(Announcement.select().order_by(Announcement.id).limit(limit)))


def _in_order(rows: list[Announcement]) -> int:
    """Announce ``rows`` in their order; how many were announced.

    One that fails is logged and kept, with the later ones of its intervention (so that
    they keep their order); the others go on. The first error is raised at the end, for
    the worker's count of failed tasks (and the caller, with an immediate queue).
    """
    told = 0
    stuck: set[int] = set()
    errors: list[Exception] = []
    for row in rows:
        if row.intervention_id in stuck:
            continue
        try:
            told += _announce(row)
        except Exception as error:  # kept for the periodic task; the others go on
            logger.exception(
                "announcing %s -> %s of intervention %s failed; tried again in a minute",
                row.old_status,
                row.new_status,
                row.intervention_id,
            )
            stuck.add(row.intervention_id)
            errors.append(error)
    if errors:
        raise errors[0]
    return told


def _announce(row: Announcement) -> bool:
    """Announce ``row`` and delete it in one transaction; ``False`` if another did it.

    The transaction starts by deleting the row: a second worker on the same row waits,
    then finds nothing to delete, and an error leaves the row for the periodic task.
    """
    with database.atomic():
        if not Announcement.delete().where(Announcement.id == row.id).execute():
            return False
        intervention = Intervention.get_or_none(Intervention.id == row.intervention_id)
        if intervention is None:
            return False
        hooks().intervention_announced(
            intervention=intervention,
            old_status=Status(row.old_status) if row.old_status else None,
            new_status=Status(row.new_status),
        )
    return True


def register_tasks(queue: InstanceQueue) -> None:
    """``interventions.announce`` (what was just recorded) and, every minute,
    ``interventions.announce_pending``; what any task records leaves once it has run."""
    queue.task(name=ANNOUNCE_TASK)(announce)
    queue.periodic_task(crontab(minute="*"), name=ANNOUNCE_PENDING_TASK)(announce_pending)
    queue.post_execute(name="interventions.dispatch_recorded")(_dispatch_after_task)


def _dispatch_after_task(task, value, exception) -> None:
    dispatch_recorded()
