"""Agendas: what each side has to do and what is coming, filtered in SQL and paginated.

- an ambassador: requests to answer, upcoming interventions, past ones;
- an educator: the requests of their schools and where each stands;
- a referent: requests of their territories waiting for a match (priority schools first),
  requests unanswered for more than N days, and every pending request.
"""

from __future__ import annotations

import datetime

import peewee

from ..auth import permissions
from ..auth.models import Account
from ..clock import now
from ..organisations.models import Organisation
from ..pagination import PAGE_SIZE, Page
from . import access
from .models import Intervention, Status

DEFAULT_UNANSWERED_DAYS = 7


def unanswered_since() -> datetime.datetime:
    """Requests addressed before this moment and still unanswered are left unanswered."""
    return now() - datetime.timedelta(days=DEFAULT_UNANSWERED_DAYS)


def awaits_match(intervention: Intervention) -> bool:
    """A request referents may (re)assign: no ambassador yet, or one who left it unanswered
    for more than ``DEFAULT_UNANSWERED_DAYS`` days."""
    if intervention.status != Status.REQUESTED:
        return False
    if intervention.ambassador_id is None:
        return True
    return intervention.assigned_at is not None and intervention.assigned_at < unanswered_since()


def _page(query: peewee.ModelSelect, page: int, page_size: int = PAGE_SIZE) -> Page:
    total = query.count()
    # ``objects()`` puts the school's name on each intervention as ``organisation_name``.
    query = query.select_extend(Organisation.name.alias("organisation_name")).objects()
    items = list(query.paginate(page, page_size))
    return Page(items=items, total=total, page=page, page_size=page_size)


def _base() -> peewee.ModelSelect:
    return Intervention.select(Intervention).join(Organisation)


def listing(viewer: Account | None, status: str | None, page: int, page_size: int) -> Page:
    """Every intervention ``viewer`` may see, optionally of one ``status``, latest first."""
    query = _base().where(access.visible_to(viewer))
    if status:
        query = query.where(Intervention.status == status)
    return _page(
        query.order_by(Intervention.starts_at.desc(), Intervention.id.desc()), page, page_size
    )


# Ambassador


def to_answer(viewer: Account | None, page: int = 1) -> Page:
    """Requests addressed to the ambassador ``viewer`` and still waiting for their answer."""
    ambassador_id = access.ambassador_id_of(viewer)
    query = _base().where(
        Intervention.ambassador == ambassador_id, Intervention.status == Status.REQUESTED
    )
    return _page(query.order_by(Intervention.starts_at, Intervention.id), page)


def upcoming(viewer: Account | None, page: int = 1) -> Page:
    """The ambassador's scheduled interventions still to come, soonest first (and those
    accepted before accepting fixed the date, ``accepted``)."""
    ambassador_id = access.ambassador_id_of(viewer)
    query = _base().where(
        Intervention.ambassador == ambassador_id,
        Intervention.status.in_([Status.ACCEPTED, Status.SCHEDULED]),
        Intervention.starts_at >= now(),
    )
    return _page(query.order_by(Intervention.starts_at, Intervention.id), page)


def past(viewer: Account | None, page: int = 1) -> Page:
    """The ambassador's interventions that took place (or should have), latest first."""
    ambassador_id = access.ambassador_id_of(viewer)
    query = _base().where(
        Intervention.ambassador == ambassador_id,
        Intervention.status.in_([Status.ACCEPTED, Status.SCHEDULED, Status.COMPLETED]),
        Intervention.starts_at < now(),
    )
    return _page(query.order_by(Intervention.starts_at.desc(), Intervention.id.desc()), page)


# Educator


def of_schools(viewer: Account | None, status: str | None = None, page: int = 1) -> Page:
    """Requests of ``viewer``'s schools (and those a referent made), latest date first."""
    query = _base().where(access.school_side_of(viewer))
    if status:
        query = query.where(Intervention.status == status)
    return _page(query.order_by(Intervention.starts_at.desc(), Intervention.id.desc()), page)


# Referent


def _priority() -> peewee.Node:
    """1 for schools in a priority area (QPV, REP, REP+, rural), else 0."""
    flagged = Organisation.qpv | Organisation.rep | Organisation.rep_plus | Organisation.rural
    return peewee.Case(None, [(flagged, 1)], 0)


def in_territories(viewer: Account | None) -> peewee.Expression:
    """SQL condition of the interventions in the territories ``viewer`` covers."""
    covered = permissions.covered_territories(viewer)
    if covered is None:
        return peewee.SQL("1 = 1")
    return Intervention.territory.in_(list(covered)) if covered else peewee.SQL("1 = 0")


def waiting_for_match_condition(viewer: Account | None) -> peewee.Expression:
    """SQL condition of the requests of ``viewer``'s territories without an ambassador."""
    return (
        in_territories(viewer)
        & (Intervention.status == Status.REQUESTED)
        & Intervention.ambassador.is_null()
    )


def waiting_for_match(viewer: Account | None, page: int = 1) -> Page:
    """Requests of the referent's territories without an ambassador: priority schools first."""
    query = _base().where(waiting_for_match_condition(viewer))
    return _page(query.order_by(_priority().desc(), Intervention.created_at, Intervention.id), page)


def unanswered_condition(
    viewer: Account | None, days: int = DEFAULT_UNANSWERED_DAYS
) -> peewee.Expression:
    """SQL condition of the requests of ``viewer``'s territories sent to an ambassador over
    ``days`` days ago and still unanswered."""
    limit = now() - datetime.timedelta(days=days)
    return (
        in_territories(viewer)
        & (Intervention.status == Status.REQUESTED)
        & Intervention.ambassador.is_null(False)
        & (Intervention.assigned_at < limit)
    )


def unanswered(viewer: Account | None, days: int = DEFAULT_UNANSWERED_DAYS, page: int = 1) -> Page:
    """Requests of the referent's territories sent to an ambassador over ``days`` days ago."""
    query = _base().where(unanswered_condition(viewer, days))
    return _page(query.order_by(Intervention.assigned_at, Intervention.id), page)


def pending(viewer: Account | None, page: int = 1) -> Page:
    """Every open request of the referent's territories, priority schools first, soonest first."""
    query = _base().where(
        in_territories(viewer),
        Intervention.status.in_([Status.REQUESTED, Status.ACCEPTED]),
    )
    return _page(query.order_by(_priority().desc(), Intervention.starts_at, Intervention.id), page)
