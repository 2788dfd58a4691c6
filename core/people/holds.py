"""Holds: why an ambassador is kept out of the directory and out of requests.

A plugin (the charter, the criminal-record check...) holds an ambassador back for a
reason it owns. Holds are *materialised* in the ``ambassador_hold`` table so that search
filters them in SQL (``NOT EXISTS``), never by asking every plugin about every row:

* a plugin calls ``set_hold`` / ``release_hold`` when its own state changes (a charter
  signed, a record check expired), with its plugin name as ``source``;
* the ``ambassador_holds(ambassadors)`` hook says, for a batch of ambassadors, which holds
  a plugin wants right now; ``tremplin holds rebuild`` replaces each plugin's rows with its
  answer (after a plugin is enabled, upgraded, or its data was changed by hand), so do
  registration and the import for the new ambassadors, and the referents' page asks it
  about one ambassador to explain why they are hidden.

A plugin answers the hook with ``{ambassador id: [Hold, ...]}``, in a few queries for the
whole batch (an id left out has no holds)::

    from tremplin import hookimpl
    from tremplin.people.holds import Hold

    @hookimpl
    def ambassador_holds(ambassadors):
        accepted = service.accepted_current_charter([a.account_id for a in ambassadors])
        reason = _("The current charter is not accepted yet.")
        return {a.id: [Hold("charter", reason)] for a in ambassadors
                if a.account_id not in accepted}

Only the holds of the core's areas and of the plugins enabled in this instance count
(``counted``): a plugin disabled in ``tremplin.toml`` leaves its rows in the table, but they
stop hiding anyone at once, and count again if the plugin is enabled again. ``rebuild``
deletes them.

Accounts that are not active (pending activation, suspended, deleted) are not holds:
the directory filters them on ``account.status`` in the same query, since the account
status is owned by the auth area, which cannot call into this one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import peewee

from .. import pluginmanager, runtime
from ..clock import now
from ..db import database, insert_rows, unindexed
from ..i18n import _
from .models import Ambassador, AmbassadorHold

# Ambassadors recomputed per transaction by ``rebuild``.
BATCH_SIZE = 200


@dataclass(frozen=True)
class Hold:
    """One reason to keep an ambassador hidden: a stable ``code`` and a readable ``reason``.

    ``code`` identifies the hold within its plugin (``"charter"``, ``"record-check"``);
    ``reason`` is shown to referents (translate it). At most 100 and 300 characters.
    """

    code: str
    reason: str


class HookFailed(Exception):
    """A plugin's ``ambassador_holds`` raised or answered something else than holds by id."""


@dataclass(frozen=True)
class RebuildOutcome:
    """What ``rebuild`` did: ambassadors looked at, holds added, removed and kept."""

    ambassadors: int = 0
    added: int = 0
    removed: int = 0
    kept: int = 0


def set_hold(ambassador: Ambassador | int, source: str, code: str, reason: str) -> AmbassadorHold:
    """Hold ``ambassador`` back for ``source``'s reason ``code`` (updating ``reason`` if held)."""
    ambassador_id = _id(ambassador)
    (
        AmbassadorHold.insert(
            ambassador=ambassador_id, source=source, code=code, reason=reason[:300]
        )
        .on_conflict(
            conflict_target=[AmbassadorHold.ambassador, AmbassadorHold.source, AmbassadorHold.code],
            update={AmbassadorHold.reason: reason[:300]},
        )
        .execute()
    )
    return AmbassadorHold.get(
        AmbassadorHold.ambassador == ambassador_id,
        AmbassadorHold.source == source,
        AmbassadorHold.code == code,
    )


def release_hold(ambassador: Ambassador | int, source: str, code: str) -> bool:
    """Lift ``source``'s hold ``code`` on ``ambassador``; return whether there was one."""
    deleted = (
        AmbassadorHold.delete()
        .where(
            AmbassadorHold.ambassador == _id(ambassador),
            AmbassadorHold.source == source,
            AmbassadorHold.code == code,
        )
        .execute()
    )
    return bool(deleted)


def holds_of(ambassador: Ambassador | int) -> list[AmbassadorHold]:
    """The holds of ``ambassador`` that count (see ``counted``), oldest first."""
    return list(
        AmbassadorHold.select()
        .where(AmbassadorHold.ambassador == _id(ambassador), counted())
        .order_by(AmbassadorHold.since, AmbassadorHold.id)
    )


def counted() -> peewee.Expression:
    """SQL condition of the ``AmbassadorHold`` rows that count in this instance.

    Those set by a core area or a plugin registered here. The rows of a plugin disabled
    since (or of a test plugin gone) stay in the table until ``rebuild`` deletes them, but
    hide nobody: nothing could release them while their plugin is away.

    The source is ``unindexed``: callers look holds up by ambassador, and the index on
    (ambassador, source, code) is then searched once per ambassador for its few holds,
    instead of once per source counted (a dozen), which made this check most of a broad
    directory search's time on SQLite.
    """
    return unindexed(AmbassadorHold.source).in_(list(counted_sources()))


def counted_sources() -> tuple[str, ...]:
    """The sources whose holds count in this instance (``counted``), sorted."""
    return tuple(sorted(_registered()))


def is_held() -> peewee.Expression:
    """SQL condition true for the ``Ambassador`` rows that have at least one hold that counts."""
    return peewee.fn.EXISTS(
        AmbassadorHold.select(peewee.SQL("1")).where(
            AmbassadorHold.ambassador == Ambassador.id, counted()
        )
    )


def current_holds(ambassador: Ambassador) -> dict[str, list[Hold]]:
    """What each plugin implementing ``ambassador_holds`` says about ``ambassador`` now.

    Keys are plugin names, as pluggy knows them (the ``source`` of their rows).
    """
    return {source: answer.get(ambassador.id, []) for source, answer in _answers([ambassador])}


def explained(ambassadors: Sequence[Ambassador]) -> dict[tuple[int, str, str], str]:
    """The reasons the plugins give now for the holds of ``ambassadors``, in the reader's
    language: ``{(ambassador id, source, code): reason}``.

    A stored reason is written in the language of whoever made the change that set it;
    pages read it again through this (one ``ambassador_holds`` call per plugin for the
    ambassadors of a page, never for a whole search) and fall back to the stored text for
    a hold the plugin no longer explains.
    """
    if not ambassadors:
        return {}
    return {
        (ambassador_id, source, hold.code): hold.reason
        for source, answer in _answers(list(ambassadors))
        for ambassador_id, items in answer.items()
        for hold in items
    }


def rebuild(
    ambassadors: Iterable[Ambassador] | None = None,
    progress: Callable[[int], None] | None = None,
) -> RebuildOutcome:
    """Recompute the holds of ``ambassadors`` (all of them by default) from the hook.

    Each plugin implementing ``ambassador_holds`` is asked once per batch of ``BATCH_SIZE``
    ambassadors, and its rows for them are replaced by its answer; rows whose source is no
    longer a registered plugin are removed (nothing could release them any more); rows of
    registered plugins that do not implement the hook (set and released through
    ``set_hold``) are kept. ``progress`` is called with the number of ambassadors done
    after each batch.
    """
    registered = _registered()
    total = RebuildOutcome()
    for batch in _batches(ambassadors):
        outcome = _rebuild_batch(batch, registered)
        total = RebuildOutcome(
            ambassadors=total.ambassadors + outcome.ambassadors,
            added=total.added + outcome.added,
            removed=total.removed + outcome.removed,
            kept=total.kept + outcome.kept,
        )
        if progress is not None:
            progress(len(batch))
    return total


def hold_new(ambassadors: Iterable[Ambassador]) -> int:
    """Store the holds the plugins want on ``ambassadors``, just created; the number added.

    What ``rebuild`` does for ambassadors that have no holds yet (an import's new rows),
    without reading the holds they do not have: each plugin implementing
    ``ambassador_holds`` is asked once per batch of ``BATCH_SIZE``, and the answers are
    inserted at once.
    """
    wanted: dict[tuple[int, str, str], str] = {}
    for batch in _batches(ambassadors):
        for source, answer in _answers(batch):
            for ambassador in batch:
                for hold in answer.get(ambassador.id, ()):
                    wanted[(ambassador.id, source, hold.code[:100])] = hold.reason[:300]
    _insert([(*key, reason) for key, reason in wanted.items()])
    return len(wanted)


def _rebuild_batch(batch: list[Ambassador], registered: set[str]) -> RebuildOutcome:
    ids = [ambassador.id for ambassador in batch]
    with database.atomic():
        existing: dict[tuple[int, str, str], AmbassadorHold] = {
            (row.ambassador_id, row.source, row.code): row
            for row in AmbassadorHold.select().where(AmbassadorHold.ambassador.in_(ids))
        }
        wanted: dict[tuple[int, str, str], str] = {}
        answering = set()
        for source, answer in _answers(batch):
            answering.add(source)
            for ambassador in batch:
                for hold in answer.get(ambassador.id, ()):
                    wanted[(ambassador.id, source, hold.code[:100])] = hold.reason[:300]
        stale = [
            row.id
            for key, row in existing.items()
            if key not in wanted and (key[1] in answering or key[1] not in registered)
        ]
        if stale:
            AmbassadorHold.delete().where(AmbassadorHold.id.in_(stale)).execute()
        new = [(*key, reason) for key, reason in wanted.items() if key not in existing]
        for key, reason in wanted.items():
            if key in existing and existing[key].reason != reason:
                AmbassadorHold.update(reason=reason).where(
                    AmbassadorHold.id == existing[key].id
                ).execute()
        _insert(new)
    return RebuildOutcome(
        ambassadors=len(batch),
        added=len(new),
        removed=len(stale),
        kept=len(existing) - len(stale),
    )


def _insert(rows: list[tuple[int, str, str, str]]) -> None:
    """Insert new holds, ``(ambassador id, source, code, reason)``, held since now."""
    since = now()
    insert_rows(
        AmbassadorHold,
        [
            {
                "ambassador": ambassador,
                "source": source,
                "code": code,
                "reason": reason,
                "since": since,
            }
            for ambassador, source, code, reason in rows
        ],
    )


def _registered() -> set[str]:
    """Names of the core areas and plugins registered in the current instance."""
    return {name for name, _plugin in runtime.current().plugins.list_name_plugin()}


def _answers(ambassadors: list[Ambassador]) -> Iterator[tuple[str, dict[int, list[Hold]]]]:
    """``(plugin name, {ambassador id: holds})`` for each implementation of the hook.

    The plugin's name is the ``source`` of its rows. An implementation that raises stops
    the rebuild with ``HookFailed``, naming the plugin and the batch; the holds stored stay.
    """
    try:
        for source, answer in runtime.hooks().answers("ambassador_holds", ambassadors=ambassadors):
            yield source, _as_holds(answer, source)
    except HookFailed:
        raise
    except Exception as error:  # third-party code: say which plugin, keep the holds stored
        raise HookFailed(
            _(
                "plugin %(name)r failed on a batch of %(num)d ambassador(s), ids "
                "%(first)d to %(last)d: %(error)r",
                name=pluginmanager.plugin_of(error),
                num=len(ambassadors),
                first=min(ambassador.id for ambassador in ambassadors),
                last=max(ambassador.id for ambassador in ambassadors),
                error=error,
            )
        ) from error


def _as_holds(answer: object, plugin: str) -> dict[int, list[Hold]]:
    """A plugin's answer checked: ``{ambassador id: [Hold, ...]}`` (``None``: no holds)."""
    if answer is None:
        return {}
    # Ids, not rows: an ``Ambassador`` as a key would silently hold nobody.
    if not isinstance(answer, Mapping) or not all(
        isinstance(key, int) and not isinstance(key, bool) for key in answer
    ):
        raise HookFailed(
            _(
                "plugin %(name)r answered ambassador_holds with %(answer)s instead of a "
                "mapping of ambassador ids to lists of holds",
                name=plugin,
                answer=_shortened(answer),
            )
        )
    return {
        ambassador_id: [_as_hold(item, plugin) for item in _listed(holds, plugin)]
        for ambassador_id, holds in answer.items()
    }


def _listed(holds: object, plugin: str) -> Iterable[object]:
    if holds is None:
        return ()
    if isinstance(holds, (list, tuple, set, frozenset)):
        return holds
    raise HookFailed(
        _(
            "plugin %(name)r answered ambassador_holds with %(answer)s instead of a list of holds",
            name=plugin,
            answer=_shortened(holds),
        )
    )


def _as_hold(item: object, plugin: str) -> Hold:
    if isinstance(item, Hold):
        return item
    if isinstance(item, str):
        return Hold(code=item, reason=item)
    raise HookFailed(
        _(
            "plugin %(name)r answered ambassador_holds with %(answer)s instead of a list of holds",
            name=plugin,
            answer=_shortened(item),
        )
    )


def _shortened(value: object) -> str:
    """``repr(value)``, cut short: a wrong answer for a whole batch can be long."""
    text = repr(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _batches(ambassadors: Iterable[Ambassador] | None) -> Iterator[list[Ambassador]]:
    if ambassadors is not None:
        yield from (list(chunk) for chunk in peewee.chunked(ambassadors, BATCH_SIZE))
        return
    last_id = 0
    while True:
        batch = list(
            Ambassador.select()
            .where(Ambassador.id > last_id)
            .order_by(Ambassador.id)
            .limit(BATCH_SIZE)
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def _id(ambassador: Ambassador | int) -> int:
    return ambassador if isinstance(ambassador, int) else ambassador.id
