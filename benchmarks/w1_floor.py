"""W1's floor: the least SQL that yields the same page as a directory search.

Written by hand, per search, for SQLite and PostgreSQL, and run straight through the
driver: two statements, nothing else (no session, no permission, no territory lookup):

1. **the page's ids and the count**: the full-text index lookup and the filters (visible,
   offers the type, covers the place, available) for the first matches the indexes give,
   at most one more than the directory's cap (``MATCHES_CAP``); among them, the order of
   the directory, ``LIMIT``/``OFFSET``, and ``COUNT(*) OVER ()`` (a separate ``COUNT``
   would find every match a second time: measured slower). The first matches are a
   ``WITH``, joined, that PostgreSQL is told to materialise (SQLite does by itself): as
   ``id IN (...)``, PostgreSQL with statistics at 100k sorted every ambassador first
   (seconds);
   A word of ROME appellations also finds the codes filed under it, as the directory does
   (``tremplin.people.appellations``).
2. **the rows shown**: the public columns of those ids, with their offers and zones
   aggregated in the same statement.

What a hand-written search would know in advance is bound as parameters: the territory's
chain and position (the place), the hold sources that count, today. Before being timed,
each search's floor is checked against the page the application answered (same ids in the
same order, same total): a floor that does not yield the same page would not be a floor.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from .floors import Driver

KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE = 111.320


@dataclass(frozen=True)
class Search:
    """One search of W1, with what its hand-written SQL binds."""

    words: tuple[str, ...]  # normalised, as the full-text index holds them
    codes: dict[str, tuple[str, ...]]  # ROME codes whose appellations a word starts
    phrase: str  # the whole free text, normalised (relevance: the text starts with it)
    intervention_type: str
    territory_ids: tuple[int, ...]  # the territory and every territory above it
    latitude: float | None
    longitude: float | None
    today: str  # ISO date
    hold_sources: tuple[str, ...]
    page: int
    page_size: int
    cap: int  # the directory's ``MATCHES_CAP``: the page is among the first cap + 1 matches


def place_of(driver: Driver, code: str) -> tuple[tuple[int, ...], float | None, float | None]:
    """The chain of ids and the position of the territory ``code`` (read once, not timed)."""
    cursor = driver.connection.cursor()
    p = driver.placeholder
    cursor.execute(
        f"SELECT id, parent_id, latitude, longitude FROM territory WHERE code = {p}", (code,)
    )
    identifier, parent, latitude, longitude = cursor.fetchone()
    chain = [identifier]
    while parent is not None:
        chain.append(parent)
        cursor.execute(f"SELECT parent_id FROM territory WHERE id = {p}", (parent,))
        (parent,) = cursor.fetchone()
    return tuple(chain), latitude, longitude


def statements(search: Search, sqlite: bool) -> tuple[str, tuple, str]:
    """The SQL of the page's ids and the count, with its parameters, and the SQL of the
    rows shown (its ``{ids}`` to be replaced by the ids' placeholders)."""
    p = "?" if sqlite else "%s"
    params: list = []

    def bind(*values) -> str:
        params.extend(values)
        return ", ".join([p] * len(values))

    plain = [word for word in search.words if not search.codes[word]]
    parts = [_matches(plain, (), sqlite, bind)] if plain else []
    parts += [
        _matches([word], search.codes[word], sqlite, bind)
        for word in dict.fromkeys(search.words)
        if search.codes[word]
    ]
    text = " AND ".join(parts)
    distance2, distance_params = _distance2(search, p)
    where = (
        f"{text} AND c.status = 'active'"
        " AND NOT EXISTS (SELECT 1 FROM ambassador_hold h WHERE h.ambassador_id = a.id"
        f" AND {'+' if sqlite else ''}h.source IN ({bind(*search.hold_sources)}))"
        " AND EXISTS (SELECT 1 FROM ambassador_offer o WHERE o.ambassador_id = a.id"
        f" AND o.intervention_type = {bind(search.intervention_type)})"
        " AND (EXISTS (SELECT 1 FROM ambassador_zone z WHERE z.ambassador_id = a.id"
        f" AND z.territory_id IN ({bind(*search.territory_ids)}))"
    )
    if distance2:
        params.extend(distance_params)
        where += (
            " OR (a.max_distance_km IS NOT NULL AND a.latitude IS NOT NULL"
            f" AND a.longitude IS NOT NULL"
            f" AND {distance2} <= a.max_distance_km * a.max_distance_km)"
        )
    where += (
        ") AND a.monthly_capacity > 0"
        f" AND (a.paused_until IS NULL OR a.paused_until < {bind(search.today)})"
    )
    where_params = tuple(params)
    source = f"FROM ambassador a JOIN account c ON c.id = a.account_id WHERE {where}"
    like = "LIKE" if sqlite else "ILIKE"
    order = f"CASE WHEN a.search_text {like} {p} THEN 2"
    order_params: list = [search.phrase + "%"]
    if any(search.codes.values()):
        # Found by the ambassador's own words before found by their code's appellations.
        order += (
            " WHEN " + _matches(list(search.words), (), sqlite, order_params.append) + " THEN 1"
        )
    order += " ELSE 0 END DESC"
    if distance2:
        order += f", {distance2} ASC NULLS LAST"
        order_params.extend(distance_params)
    order += ", a.last_solicited_at ASC NULLS FIRST, a.id"
    offset = (search.page - 1) * search.page_size
    page_sql = (
        f"WITH first AS {'' if sqlite else 'MATERIALIZED '}"
        f"(SELECT a.id {source} LIMIT {search.cap + 1})"
        f" SELECT a.id, COUNT(*) OVER () FROM ambassador a JOIN first f ON f.id = a.id"
        f" ORDER BY {order} LIMIT {search.page_size} OFFSET {offset}"
    )
    return page_sql, where_params + tuple(order_params), _rows_sql(sqlite, distance2 or "NULL")


def _matches(words: list[str], codes: tuple[str, ...], sqlite: bool, bind) -> str:
    """Every one of ``words`` starts a word of the search text (the full-text index), or
    the ROME code is one of ``codes``; ``bind(value)`` keeps each parameter in order."""
    p = "?" if sqlite else "%s"
    codes_in = "rome_code IN (" + ", ".join([p] * len(codes)) + ")"
    if sqlite:
        bind(" ".join(f'"{word}"*' for word in words))
        for code in codes:
            bind(code)
        by_code = f" UNION SELECT id FROM ambassador WHERE {codes_in}" if codes else ""
        return f"a.id IN (SELECT rowid FROM ambassador_fts WHERE ambassador_fts MATCH {p}{by_code})"
    document = "a.search_vector"  # the stored document (people migration 0006)
    bind(" & ".join(f"'{word}':*" for word in words))
    for code in codes:
        bind(code)
    text = f"{document} @@ to_tsquery('simple', {p})"
    return f"({text} OR a.{codes_in})" if codes else text


def _distance2(search: Search, p: str) -> tuple[str, tuple]:
    if search.latitude is None or search.longitude is None:
        return "", ()
    per_longitude = KM_PER_DEGREE_LONGITUDE * math.cos(math.radians(search.latitude))
    sql = (
        f"((a.longitude - {p}) * {p}) * ((a.longitude - {p}) * {p})"
        f" + ((a.latitude - {p}) * {p}) * ((a.latitude - {p}) * {p})"
    )
    lon = (search.longitude, per_longitude)
    lat = (search.latitude, KM_PER_DEGREE_LATITUDE)
    return sql, lon + lon + lat + lat


def _rows_sql(sqlite: bool, distance2: str) -> str:
    if sqlite:
        offers = (
            "(SELECT group_concat(intervention_type, ',') FROM (SELECT intervention_type"
            " FROM ambassador_offer WHERE ambassador_id = a.id ORDER BY intervention_type))"
        )
        zones = (
            "(SELECT group_concat(name, '|') FROM (SELECT t.name FROM ambassador_zone z"
            " JOIN territory t ON t.id = z.territory_id WHERE z.ambassador_id = a.id"
            " ORDER BY t.sort_name, t.name))"
        )
    else:
        offers = (
            "(SELECT string_agg(intervention_type, ',' ORDER BY intervention_type)"
            " FROM ambassador_offer WHERE ambassador_id = a.id)"
        )
        zones = (
            "(SELECT string_agg(t.name, '|' ORDER BY t.sort_name, t.name) FROM ambassador_zone z"
            " JOIN territory t ON t.id = z.territory_id WHERE z.ambassador_id = a.id)"
        )
    return (
        "SELECT a.id, c.first_name, c.last_name, a.kind, a.occupation, a.rome_code, a.sector,"
        " COALESCE(g.name, a.organisation_name), a.on_site, a.remote, a.presentation,"
        f" a.monthly_capacity, a.paused_until, {distance2}, {offers}, {zones}"
        " FROM ambassador a JOIN account c ON c.id = a.account_id"
        " LEFT JOIN organisation g ON g.id = a.organisation_id WHERE a.id IN ({ids})"
    )


def run(driver: Driver, search: Search) -> tuple[list[int], int, list[tuple]]:
    """The page's ids, the count and the rows shown, through the driver."""
    page_sql, page_params, rows_sql = statements(search, driver.sqlite)
    cursor = driver.connection.cursor()
    cursor.execute(page_sql, page_params)
    page = cursor.fetchall()
    ids = [row[0] for row in page]
    total = min(page[0][1], search.cap) if page else 0  # W1 asks for first pages only
    rows: list[tuple] = []
    if ids:
        placeholders = ", ".join([driver.placeholder] * len(ids))
        distance_params = _distance2(search, driver.placeholder)[1]
        cursor.execute(rows_sql.replace("{ids}", placeholders), distance_params + tuple(ids))
        rows = cursor.fetchall()
    return ids, total, rows


def latencies(
    driver: Driver, searches: Sequence[Search], count: int, seconds: float
) -> list[float]:
    """Seconds each of ``count`` floors took, cycling through ``searches`` (one warm-up each)."""
    stop_at = time.monotonic() + seconds
    for search in searches[:count]:
        run(driver, search)
    measured: list[float] = []
    for number in range(count):
        if measured and time.monotonic() > stop_at:
            break
        started = time.perf_counter()
        run(driver, searches[number % len(searches)])
        measured.append(time.perf_counter() - started)
    return measured
