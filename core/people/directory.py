"""The directory of ambassadors: search for educational teams, referents and admins.

Everything is filtered in SQL, in one query: only active accounts without any hold
(``NOT EXISTS`` on the materialised holds), the free text (through a full-text index, see
``_text_matches``), the ROME code, the sector, the intervention type, the mode, the place
(zones covering the school's territory, or a distance around the ambassador's home) and
the availability. Results come most relevant first, then nearest, then least recently
solicited (to spread requests). A search about a place can be widened (and one for remote
interventions always is): the ambassadors whose zone covers it come first, then the others.

What comes out is a ``PublicProfile``: the first name and the initial of the last name,
never the email, the phone or the last name.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import peewee

from .. import prepared
from ..auth import permissions
from ..auth.models import Account, AccountStatus
from ..clock import today
from ..db import database, is_sqlite, unindexed
from ..errors import Invalid, NotAllowed, NotFound
from ..i18n import _
from ..organisations.models import Organisation
from ..territories.models import Territory
from ..text import masculine_form, normalise
from . import appellations, holds
from .models import Ambassador, AmbassadorOffer, AmbassadorZone, Mode
from .schemas import ROME_CODE
from .service import can_manage

# Equirectangular approximation: kilometres per degree of latitude, and of longitude at the
# equator (multiplied by the cosine of the place's latitude, computed in Python: no
# trigonometry in SQL). Good to a few hundred metres at a region's scale.
KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE = 111.320

DEFAULT_PAGE_SIZE = 20

# A search finds at most this many matches, then says "more than" (``Results.capped``) and
# pages through these: a broad word ("tech") no longer has every one of its hits checked,
# sorted and counted, which made a search's time grow with the network.
MATCHES_CAP = 1000

# The SQL of a search's page and of the rows shown, written once per shape of search.
_STATEMENTS = prepared.Statements()

# A word of the free text as both full-text indexes cut them: a run of letters and digits.
# Anything else separates words, and with it every operator of the FTS5 and PostgreSQL
# query syntaxes (" * - + : & | ! ( ) ^...): what people type never changes the query.
WORD = re.compile(r"[^\W_]+")
# Longer than the whole search text: such a word cannot match.
LONGEST_WORD = 500


@dataclass(frozen=True)
class Filters:
    """What a directory search asks for; every filter is optional."""

    q: str | None = None
    rome_code: str | None = None
    sector: str | None = None
    intervention_type: str | None = None
    mode: str | None = None
    organisation: int | None = None  # the requesting school or structure
    territory: str | None = None  # a territory code, when no school is given
    available: bool = True
    # Beyond the zones covering the place too (they come after): remote, or to ask anyway.
    widen: bool = False


@dataclass(frozen=True)
class Place:
    """Where interventions would happen: the territory chain and, if known, a position."""

    name: str
    territory_ids: tuple[int, ...]  # the territory and every territory above it
    latitude: float | None = None
    longitude: float | None = None

    @property
    def has_position(self) -> bool:
        """Whether distances can be computed from this place."""
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class PublicProfile:
    """An ambassador as other users see them: no email, no phone, no last name."""

    id: int
    display_name: str
    kind: str
    occupation: str
    rome_code: str | None
    sector: str | None
    organisation: str | None
    intervention_types: list[str]
    modes: list[str]
    zones: list[str]
    presentation: str
    available: bool
    distance_km: float | None = None
    # Whether the ambassador's zone covers the place searched for (None without a place).
    in_zone: bool | None = None


@dataclass(frozen=True)
class Results:
    """A page of search results."""

    items: list[PublicProfile]
    total: int
    page: int
    page_size: int
    place: Place | None = None
    filters: Filters = field(default_factory=Filters)
    # More than ``total`` ambassadors match: the search stopped at ``MATCHES_CAP``.
    capped: bool = False

    @property
    def pages(self) -> int:
        """How many pages the results fill (at least one)."""
        return max(1, math.ceil(self.total / self.page_size))


def search(
    viewer: Account | None,
    filters: Filters,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Results:
    """A page of visible ambassadors matching ``filters``; raise ``NotAllowed`` or ``Invalid``.

    Only educators, referents and admins search. An unknown ``organisation`` or
    ``territory`` is refused with a field error.
    """
    if not permissions.can_search_directory(viewer):
        raise NotAllowed(_("Only educational teams, referents and administrators search here."))
    place = resolve_place(filters)
    offset = (page - 1) * page_size
    size = min(page_size, MATCHES_CAP - offset)  # no page past the cap
    rows, found = _page(filters, place, size, offset) if size > 0 else ([], 0)
    if not rows:
        found = _count_past_the_end(filters, place, page)
    return Results(
        items=profiles(rows),
        total=min(found, MATCHES_CAP),
        page=page,
        page_size=page_size,
        place=place,
        filters=filters,
        capped=found > MATCHES_CAP,
    )


def _page(
    filters: Filters, place: Place | None, size: int, offset: int
) -> tuple[list[Ambassador], int]:
    """The rows of a page of a search and the number of its matches (up to one more than
    the cap).

    The first matches the indexes give (at most one more than the cap: enough to know
    whether there are more), then the page's ids among them, in the directory's order,
    and the number of matches in the same query (a separate COUNT would find them again);
    then the rows shown. Both statements are written once per shape of search.

    The first matches are a common table expression, joined; PostgreSQL is told to
    materialise it (SQLite does by itself, and reads the keyword only from 3.35). Written
    as ``id IN (subquery)``, PostgreSQL with statistics at 100k ambassadors sorted every
    ambassador in the directory's order and then looked for the matches among them
    (seconds per search, where the matches first take some 30 ms).
    """
    b = prepared.Builder()
    distance2 = _distance2(place, b) if place is not None and place.has_position else None
    covers = _covers(place, distance2, b) if place is not None else None
    first = (
        Ambassador.select(Ambassador.id)
        .join(Account)
        .where(visible(), *_conditions(filters, place, covers, b))
        .limit(MATCHES_CAP + 1)
        .cte("first_matches", materialized=None if is_sqlite(database) else True)
    )
    columns = [Ambassador.id, _in_zone(filters, covers).alias("in_zone")]
    if distance2 is not None:
        columns.append(distance2.alias("distance2"))
    columns.append(peewee.fn.COUNT(peewee.SQL("*")).over().alias("total_matches"))
    page_query = (
        Ambassador.select(*columns)
        .join(first, on=(Ambassador.id == first.c.id))
        .with_cte(first)
        .order_by(*_ordering(filters, distance2, place, b))
        .limit(b.value("limit", size))
        .offset(b.value("offset", offset))
        .tuples()
    )
    found = _STATEMENTS.rows(database, ("page", *_dialect()), page_query, b)
    if not found:
        return [], 0
    rows = _rows_of([row[0] for row in found])
    for row, (_id, in_zone, *rest) in zip(rows, found, strict=True):
        row.in_zone = in_zone if place is not None else None
        row.distance2 = rest[0] if distance2 is not None else None
    return rows, found[0][-1]


def _dialect() -> tuple[bool, tuple[str, ...]]:
    """What a search's SQL depends on besides its shape: the database, the hold sources."""
    return is_sqlite(database), holds.counted_sources()


def _rows_of(ids: list[int]) -> list[Ambassador]:
    """The rows shown of the ambassadors ``ids``, in that order."""
    b = prepared.Builder()
    query = _base_query(None).where(b.is_in(Ambassador.id, "ids", ids))
    found = {row.id: row for row in _STATEMENTS.rows(database, ("rows", *_dialect()), query, b)}
    return [found[identifier] for identifier in ids]


def _count_past_the_end(filters: Filters, place: Place | None, page: int) -> int:
    """Matches of a search whose page ``page`` came back empty (zero when it is the first),
    up to one more than the cap."""
    if page <= 1:
        return 0
    b = prepared.Builder(slots=False)
    distance2 = _distance2(place, b) if place is not None and place.has_position else None
    covers = _covers(place, distance2, b) if place is not None else None
    return (
        Ambassador.select(Ambassador.id)
        .join(Account)
        .where(visible(), *_conditions(filters, place, covers, b))
        .limit(MATCHES_CAP + 1)
        .count()
    )


def candidates(filters: Filters) -> tuple[peewee.ModelSelect, Place | None, peewee.Node | None]:
    """The visible ambassadors matching ``filters``, in no order; raise ``Invalid``.

    Returns the query, the place searched around, and the squared distance expression
    (selected as ``distance2``) when the place has a position. ``search`` pages through it;
    matching ranks it its own way.
    """
    place = resolve_place(filters)
    b = prepared.Builder(slots=False)
    distance2 = _distance2(place, b) if place is not None and place.has_position else None
    covers = _covers(place, distance2, b) if place is not None else None
    query = _base_query(distance2)
    if place is not None:
        query = query.select_extend(_in_zone(filters, covers).alias("in_zone"))
    query = query.where(visible(), *_conditions(filters, place, covers, b))
    return query, place, distance2


def _in_zone(filters: Filters, covers: peewee.Node | None) -> peewee.Node:
    """1 when the place is in the ambassador's zone (``covers``), else 0; NULL without a
    place. Not widened, every match is in the zone: no need to ask each row again."""
    if covers is None:
        return peewee.SQL("NULL")
    return peewee.Case(None, [(covers, 1)], 0) if widened(filters) else peewee.Value(1)


def profile(viewer: Account | None, ambassador_id: int) -> PublicProfile:
    """The public profile of ``ambassador_id`` for ``viewer``; raise ``NotFound``.

    Directory users see visible ambassadors; the ambassador themselves and those who
    manage them (referents of their territories, admins) see the profile even when hidden.
    Anyone else gets ``NotFound``, so a hidden ambassador's existence is not revealed.
    """
    rows = list(_base_query(None).where(Ambassador.id == ambassador_id))
    if not rows:
        raise NotFound(_("No ambassador has this number."))
    row = rows[0]
    is_visible = _base_query(None).where(Ambassador.id == ambassador_id, visible()).exists()
    allowed = (
        (is_visible and permissions.can_search_directory(viewer))
        or (viewer is not None and row.account_id == viewer.id)
        or can_manage(viewer, row)
    )
    if not allowed:
        raise NotFound(_("No ambassador has this number."))
    return profiles([row])[0]


def covers(ambassador_id: int, organisation_id: int) -> bool:
    """Whether the ambassador's zone covers the organisation: one of their territories is
    the organisation's or one above it, or it is within their distance of home.

    An organisation of unknown place (no territory, no position) is not refused.
    """
    place = resolve_place(Filters(organisation=organisation_id))
    if place is None or (not place.territory_ids and not place.has_position):
        return True
    b = prepared.Builder(slots=False)
    distance2 = _distance2(place, b) if place.has_position else None
    return (
        Ambassador.select(Ambassador.id)
        .where(Ambassador.id == ambassador_id, _covers(place, distance2, b))
        .exists()
    )


def visible() -> peewee.Expression:
    """SQL condition of the ``Ambassador`` rows the directory shows (joined to ``Account``).

    The account's status is ``unindexed`` (``+status`` on SQLite): without the planner's
    statistics (a database nobody ran ``ANALYZE`` on) SQLite would otherwise go through
    every active account by the status index and look for its ambassador, instead of
    starting from the ambassadors the other conditions (the full-text index first)
    select; seconds instead of milliseconds at 10,000 ambassadors.
    """
    return (unindexed(Account.status) == AccountStatus.ACTIVE.value) & ~holds.is_held()


def available_on(day, b: prepared.Builder | None = None) -> peewee.Expression:
    """SQL condition of the ambassadors who take requests on ``day``."""
    day = b.value("day", day) if b is not None else day
    return (Ambassador.monthly_capacity > 0) & (
        Ambassador.paused_until.is_null() | (Ambassador.paused_until < day)
    )


def resolve_place(filters: Filters) -> Place | None:
    """The place a search is about: the school's, else the territory's; ``Invalid`` if unknown."""
    if filters.organisation is not None:
        organisation = Organisation.get_or_none(Organisation.id == filters.organisation)
        if organisation is None:
            raise Invalid({"organisation": [_("No organisation has this number.")]})
        territory = (
            Territory.get_or_none(Territory.id == organisation.territory_id)
            if organisation.territory_id
            else None
        )
        latitude, longitude = organisation.latitude, organisation.longitude
        if (latitude is None or longitude is None) and territory is not None:
            latitude, longitude = territory.latitude, territory.longitude
        return Place(
            name=organisation.name,
            territory_ids=tuple(permissions.ancestors(organisation.territory_id)),
            latitude=latitude,
            longitude=longitude,
        )
    if filters.territory:
        territory = Territory.get_or_none(Territory.code == filters.territory)
        if territory is None:
            raise Invalid(
                {"territory": [_("Unknown territory: %(codes)s.", codes=filters.territory)]}
            )
        return Place(
            name=territory.name,
            territory_ids=tuple(permissions.ancestors(territory.id)),
            latitude=territory.latitude,
            longitude=territory.longitude,
        )
    return None


def sectors() -> list[str]:
    """The sectors of visible ambassadors, for the search form."""
    query = (
        Ambassador.select(Ambassador.sector)
        .join(Account)
        .where(visible(), Ambassador.sector.is_null(False))
        .distinct()
        .order_by(Ambassador.sector)
    )
    return [row.sector for row in query]


def _base_query(distance2: peewee.Node | None) -> peewee.ModelSelect:
    # Only the account's names are selected: contact details never leave the database here.
    columns: list[Any] = [
        Ambassador,
        Account.id,
        Account.first_name,
        Account.last_name,
        Organisation.name.alias("organisation_label"),
    ]
    if distance2 is not None:
        columns.append(distance2.alias("distance2"))
    return (
        Ambassador.select(*columns)
        .join(Account)
        .switch(Ambassador)
        .join(Organisation, peewee.JOIN.LEFT_OUTER)
    )


def _conditions(
    filters: Filters, place: Place | None, covers: peewee.Node | None, b: prepared.Builder
) -> list[peewee.Expression]:
    """The search's conditions besides ``visible``; ``covers`` is ``_covers`` of the place."""
    conditions: list[peewee.Expression] = []
    if words := _words(filters):
        conditions.extend(_words_match(words, b))
    if filters.rome_code:
        conditions.append(Ambassador.rome_code == b.value("rome_code", filters.rome_code.upper()))
    if filters.sector:
        conditions.append(b.is_in(Ambassador.sector, "sector", _spellings_of(filters.sector)))
    if filters.intervention_type:
        offered = b.value("intervention_type", str(filters.intervention_type))
        conditions.append(
            peewee.fn.EXISTS(
                AmbassadorOffer.select(peewee.SQL("1")).where(
                    AmbassadorOffer.ambassador == Ambassador.id,
                    AmbassadorOffer.intervention_type == offered,
                )
            )
        )
    b.note(("mode", filters.mode))
    if filters.mode == Mode.ON_SITE:
        conditions.append(Ambassador.on_site == True)  # noqa: E712 (SQL)
    elif filters.mode == Mode.REMOTE:
        conditions.append(Ambassador.remote == True)  # noqa: E712 (SQL)
    b.note(("widened", widened(filters)))
    if place is not None and not widened(filters):
        conditions.append(covers)
    if filters.available:
        conditions.append(available_on(today(), b))
    return conditions


def _spellings_of(sector: str) -> list[str]:
    """The sectors stored that read as ``sector`` without accents or case."""
    wanted = normalise(sector)
    stored = Ambassador.select(Ambassador.sector).where(Ambassador.sector.is_null(False))
    return [row.sector for row in stored.distinct() if normalise(row.sector) == wanted]


def _phrase(filters: Filters) -> str:
    """The free text as ``search_text`` holds it. A NUL character (which PostgreSQL refuses)
    separates words, as any other character that is not a letter or a digit does."""
    return normalise(filters.q).replace("\x00", " ")


def _words(filters: Filters) -> list[str]:
    """The words of the free text, each in its masculine form (``masculine_form``). Small
    words ("de", "du"...) are left out when there are others: "électricien du bâtiment"
    finds an "Électricienne" coded F1602 ("Électricien du bâtiment")."""
    words = [masculine_form(word) for word in WORD.findall(_phrase(filters))]
    return [word for word in words if word not in appellations.SMALL_WORDS] or words


def _words_match(words: list[str], b: prepared.Builder) -> list[peewee.Node]:
    """Each of ``words`` starts a word of the search text or, for a word of ROME
    appellations, the ambassador's ROME code is one they are filed under
    (``appellations.codes_matching``): "braseur" finds the welders coded H2913."""
    codes = {word: appellations.codes_matching(word) for word in words}
    plain = [word for word in words if not codes[word]]
    conditions = [_text_matches(plain, b, "words")] if plain else []
    for number, word in enumerate(dict.fromkeys(words)):
        if codes[word]:
            conditions.append(_text_matches([word], b, ("word", number), codes[word]))
    return conditions


def _text_matches(
    words: list[str],
    b: prepared.Builder,
    name: Any,
    rome_codes: frozenset[str] = frozenset(),
) -> peewee.Node:
    """Ambassadors whose search text has every one of ``words`` as the start of a word, or
    whose ROME code is one of ``rome_codes``.

    Answered by the full-text index: FTS5 table ``ambassador_fts`` on SQLite
    (core/people/migrations/0002_index_search_text.py), GIN index of the stored document on
    PostgreSQL (0006_stored_search_vector.py). Each word
    is quoted (FTS5) or a quoted lexeme (PostgreSQL), ``*`` or ``:*`` for the prefix, so
    that nothing in it is read as syntax. ``search_text`` is already accent-folded in Python:
    neither index needs ``unaccent``.
    """
    too_long = any(len(word) > LONGEST_WORD for word in words)
    b.note((name, "too long", too_long))
    if too_long:
        return peewee.SQL("1 = 0")
    codes = sorted(rome_codes)
    if is_sqlite(database):
        # One "id IN (...)" either way: the plan still starts from the index's rowids.
        match = " ".join(f'"{word}"*' for word in words)  # FTS5 ANDs the phrases
        parts: list[peewee.Node] = [
            Ambassador.id,
            peewee.SQL("IN (SELECT rowid FROM ambassador_fts WHERE ambassador_fts MATCH"),
            b.value((name, "match"), match),
        ]
        if codes:
            parts += [
                peewee.SQL("UNION SELECT id FROM ambassador WHERE"),
                b.is_in(peewee.SQL("rome_code"), (name, "codes"), codes),
            ]
        return peewee.NodeList((*parts, peewee.SQL(")")))
    query = " & ".join(f"'{word}':*" for word in words)
    matches = peewee.Expression(
        _postgresql_document(),
        "@@",
        peewee.fn.to_tsquery(peewee.SQL("'simple'"), b.value((name, "match"), query)),
    )
    if not codes:
        b.note((name, "codes", 0))
        return matches
    return matches | b.is_in(Ambassador.rome_code, (name, "codes"), codes)


def _postgresql_document() -> peewee.Node:
    """``ambassador.search_vector``: the text-search document PostgreSQL keeps from
    ``search_text`` (``to_tsvector('simple', translate(search_text, ...))``, a generated
    column, core/people/migrations/0006_stored_search_vector.py) and indexes (GIN).

    Not a field of the model: SQLite has no such column (its FTS5 table does the work).
    """
    return peewee.Column(Ambassador._meta.table, "search_vector")


def _covers(place: Place, distance2: peewee.Node | None, b: prepared.Builder) -> peewee.Expression:
    """A zone is the place's territory or one above it, or the place is within reach."""
    in_zone = peewee.fn.EXISTS(
        AmbassadorZone.select(peewee.SQL("1")).where(
            AmbassadorZone.ambassador == Ambassador.id,
            b.is_in(AmbassadorZone.territory, "zones", place.territory_ids),
        )
    )
    if distance2 is None:
        return in_zone
    within_reach = (
        Ambassador.max_distance_km.is_null(False)
        & Ambassador.latitude.is_null(False)
        & Ambassador.longitude.is_null(False)
        & (distance2 <= Ambassador.max_distance_km * Ambassador.max_distance_km)
    )
    return in_zone | within_reach


def _distance2(place: Place, b: prepared.Builder) -> peewee.Node:
    """Squared distance in km² from ``place`` to the ambassador, in plain SQL arithmetic."""
    km_per_degree_longitude = KM_PER_DEGREE_LONGITUDE * math.cos(math.radians(place.latitude))
    dx = (Ambassador.longitude - b.value("longitude", place.longitude)) * b.value(
        "km per degree of longitude", km_per_degree_longitude
    )
    dy = (Ambassador.latitude - b.value("latitude", place.latitude)) * KM_PER_DEGREE_LATITUDE
    return dx * dx + dy * dy


def widened(filters: Filters) -> bool:
    """Whether a search about a place also shows ambassadors whose zone does not cover it:
    when asked, and for remote interventions (the zone is where one goes)."""
    return filters.widen or filters.mode == Mode.REMOTE


def _ordering(
    filters: Filters, distance2: peewee.Node | None, place: Place | None, b: prepared.Builder
) -> list[peewee.Node]:
    ordering: list[peewee.Node] = []
    if place is not None and widened(filters):
        ordering.append(peewee.SQL("in_zone").desc())
    phrase = _phrase(filters)
    b.note(("phrase", bool(phrase)))
    if phrase:
        cases = []
        if ROME_CODE.match(phrase.upper()):
            cases.append((Ambassador.rome_code == b.value("phrase code", phrase.upper()), 3))
        cases.append((_starts_with(phrase, b, "phrase"), 2))
        if (masculine := masculine_form(phrase)) != phrase:
            cases.append((_starts_with(masculine, b, "masculine"), 2))
        # Found by the ambassador's own words before found by their code's appellations.
        words = _words(filters)
        if any(appellations.codes_matching(word) for word in words):
            cases.append((_text_matches(words, b, "own words"), 1))
        ordering.append(peewee.Case(None, cases, 0).desc())
    if distance2 is not None:
        # The column selected, by its name: not its expression again.
        ordering.append(peewee.SQL("distance2").asc(nulls="last"))
    ordering.extend([Ambassador.last_solicited_at.asc(nulls="first"), Ambassador.id])
    return ordering


def _starts_with(prefix: str, b: prepared.Builder, name: str) -> peewee.Expression:
    """The search text starts with ``prefix``, case-insensitive (as peewee's ``startswith``,
    its wildcards escaped)."""
    escaped = prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
    pattern = b.value(name, escaped + "%")
    if not isinstance(pattern, peewee.Node):
        pattern = peewee.Value(pattern, converter=False)
    escape = peewee.NodeList((pattern, peewee.SQL("ESCAPE"), peewee.Value("\\", converter=False)))
    return peewee.Expression(Ambassador.search_text, peewee.OP.ILIKE, escape)


def profiles(rows: list[Ambassador]) -> list[PublicProfile]:
    """Public profiles of ``rows`` of a ``candidates`` query (offers and zones: two queries)."""
    ids = [row.id for row in rows]
    offers: dict[int, list[str]] = {row_id: [] for row_id in ids}
    zones: dict[int, list[str]] = {row_id: [] for row_id in ids}
    if ids:
        b = prepared.Builder()
        offered = (
            AmbassadorOffer.select(AmbassadorOffer.ambassador, AmbassadorOffer.intervention_type)
            .where(b.is_in(AmbassadorOffer.ambassador, "ids", ids))
            .order_by(AmbassadorOffer.intervention_type)
            .tuples()
        )
        for ambassador_id, intervention_type in _STATEMENTS.rows(
            database, ("offers", *_dialect()), offered, b
        ):
            offers[ambassador_id].append(intervention_type)
        b = prepared.Builder()
        covered = (
            AmbassadorZone.select(AmbassadorZone.ambassador, Territory.name)
            .join(Territory)
            .where(b.is_in(AmbassadorZone.ambassador, "ids", ids))
            .order_by(Territory.sort_name, Territory.name)
            .tuples()
        )
        for ambassador_id, name in _STATEMENTS.rows(database, ("zones", *_dialect()), covered, b):
            zones[ambassador_id].append(name)
    day = today()
    return [
        PublicProfile(
            id=row.id,
            display_name=row.account.display_name,
            kind=row.kind,
            occupation=row.occupation,
            rome_code=row.rome_code,
            sector=row.sector,
            organisation=getattr(row, "organisation_label", None) or row.organisation_name,
            intervention_types=offers[row.id],
            modes=[
                mode
                for mode, offered in ((Mode.ON_SITE, row.on_site), (Mode.REMOTE, row.remote))
                if offered
            ],
            zones=zones[row.id],
            presentation=row.presentation,
            available=row.monthly_capacity > 0 and not row.is_paused(day),
            distance_km=_km(getattr(row, "distance2", None)),
            in_zone=_flag(getattr(row, "in_zone", None)),
        )
        for row in rows
    ]


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _km(distance2: float | None) -> float | None:
    return None if distance2 is None else round(math.sqrt(max(distance2, 0.0)), 1)
