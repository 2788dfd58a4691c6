"""W4: ``tremplin import ambassadors FILE`` of 100,000 rows, against a raw batched insert.

The file is written here (invented people over the region's basins and departments) and
imported into an empty database (``tremplin init``) by the ``ambassadors`` importer, in
this process, as the command does (read the CSV, validate, write, rebuild the holds,
queue the activation emails). Floor: every row the import added, in every table, written
into a second empty database in one transaction, table by table, the triggers of the
full-text index firing there too: on PostgreSQL by ``COPY table (columns) FROM STDIN``
(psycopg's ``cursor.copy``), on SQLite through the driver's ``executemany`` in batches of
500. On PostgreSQL the previous floor (``executemany``) is reported beside, for comparison.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

from .datasets import Database, Store
from .floors import Driver
from .instance import bundled_plugins, make_app
from .measures import Options, Row, say

BATCH = 500
RATE_TARGET = 0.5  # at least half the raw insert rate
JOBS = (
    ("Soudeuse", "H2913", "Industrie"),
    ("Infirmier", "J1506", "Santé"),
    ("Développeuse web", "M1805", "Numérique"),
    ("Cuisinier", "G1602", "Hôtellerie et restauration"),
    ("Comptable", "M1203", "Gestion et administration"),
    ("Électricienne du bâtiment", "F1602", "Bâtiment et travaux publics"),
)
TYPES = ("class_talk|company_visit", "class_talk", "forum|webinar", "internship|class_talk")
MODES = ("on_site", "on_site|remote", "remote")
KINDS = ("professional", "professional", "young", "trainer")


def write_csv(path: Path, count: int, zones: list[str]) -> None:
    """``count`` valid rows of the ambassadors CSV file."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "email",
                "first_name",
                "last_name",
                "kind",
                "occupation",
                "rome_code",
                "sector",
                "intervention_types",
                "modes",
                "zones",
                "monthly_capacity",
                "presentation",
            ]
        )
        for number in range(count):
            occupation, rome, sector = JOBS[number % len(JOBS)]
            writer.writerow(
                [
                    f"import{number}@bench.example.org",
                    ("Camille", "Karim", "Léa", "Thomas")[number % 4],
                    f"Nom{number}",
                    KINDS[number % len(KINDS)],
                    occupation,
                    rome,
                    sector,
                    TYPES[number % len(TYPES)],
                    MODES[number % len(MODES)],
                    "|".join({zones[number % len(zones)], zones[(number * 7) % len(zones)]}),
                    str(1 + number % 4),
                    "Je présente mon métier et mon parcours.",
                ]
            )


def measure(store: Store, options: Options, rows_wanted: int) -> list[Row]:
    """The W4 row: ``rows_wanted`` ambassadors imported, and the same rows inserted raw."""
    say(f"W4 {store.kind}: import of {rows_wanted} ambassadors")
    target = store.fresh("import")
    floor_target = store.fresh("import_floor")
    try:
        driver = Driver(target.url)
        zones = [
            code
            for (code,) in driver.connection.execute(
                "SELECT code FROM territory WHERE kind IN ('basin', 'department') ORDER BY code"
            ).fetchall()
        ]
        before = _table_marks(driver)
        path = store.workdir / f"ambassadors-{rows_wanted}.csv"
        write_csv(path, rows_wanted, zones)
        seconds = _import(target, path, rows_wanted)
        rows_of = _added_rows(driver, before)
        driver.close()
        floors = {"raw batched insert of the same rows": _raw_insert(rows_of, floor_target)}
        if not driver.sqlite:
            store.drop(floor_target)
            floor_target = store.fresh("import_floor")
            floors = {"COPY of the same rows": _copy(rows_of, floor_target), **floors}
    finally:
        store.drop(target)
        store.drop(floor_target)
    rate = rows_wanted / seconds
    rows = []
    for number, (floor, floor_seconds) in enumerate(floors.items()):
        floor_rate = rows_wanted / floor_seconds
        ratio = floor_rate / rate
        current = number == 0
        rows.append(
            Row(
                workload="W4 CSV import",
                database=store.kind,
                size=f"{rows_wanted} rows",
                measure="tremplin import ambassadors",
                value=rate,
                unit="rows/s",
                floor=floor,
                floor_value=floor_rate,
                ratio=ratio,
                target=(
                    f"≥ {RATE_TARGET:g} of the floor (ratio ≤ {1 / RATE_TARGET:g})"
                    if current
                    else "previous floor, for comparison"
                ),
                met=ratio <= 1 / RATE_TARGET if current else None,
            )
        )
    return rows


def _import(database: Database, path: Path, expected: int) -> float:
    from tremplin import imports
    from tremplin.pluginmanager import Hooks

    app = make_app(database.url, database.queue_url, bundled_plugins())
    runtime = app.extensions["tremplin"].runtime
    importers = {i.name: i for i in Hooks(runtime.plugins).register_importers()}
    importer = importers["ambassadors"]
    with app.app_context(), runtime.database.connection_context():
        started = time.perf_counter()
        _count, rows = imports.read_csv(path, importer.columns)
        report = importer.load(rows)
        seconds = time.perf_counter() - started
    if report.created != expected or report.rejected:
        raise RuntimeError(
            f"W4: {report.created} created, {len(report.rejected)} rejected "
            f"(first: {report.rejected[:1]})"
        )
    return seconds


def _tables(driver: Driver) -> list[str]:
    if driver.sqlite:
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'ambassador_fts%'"
        )
    else:
        query = (
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    return [name for (name,) in driver.connection.execute(query).fetchall()]


def _table_marks(driver: Driver) -> dict[str, int]:
    """``{table: largest id}`` of the tables with an ``id`` column."""
    marks = {}
    for table in _tables(driver):
        try:
            (largest,) = driver.connection.execute(f'SELECT MAX("id") FROM "{table}"').fetchone()
        except Exception:  # no id column: nothing the import writes
            continue
        marks[table] = largest or 0
    return marks


Added = dict[str, tuple[list[str], list[tuple]]]
# Parents before children, as the import writes them.
ORDER = ["account", "role_grant", "ambassador", "ambassador_offer", "ambassador_zone"]


def _added_rows(source: Driver, before: dict[str, int]) -> Added:
    """``{table: (columns, rows)}`` of every row added to ``source`` since ``before``,
    without the columns PostgreSQL generates (the directory's ``search_vector``): they are
    not written, they are computed on insert, for the floor as for the import."""
    generated = set()
    if not source.sqlite:
        generated = set(
            source.connection.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND is_generated = 'ALWAYS'"
            ).fetchall()
        )
    rows_of = {}
    for table, mark in before.items():
        cursor = source.connection.execute(
            f'SELECT * FROM "{table}" WHERE "id" > {mark} ORDER BY "id"'
        )
        rows = cursor.fetchall()
        if rows:
            names = [column[0] for column in cursor.description]
            kept = [index for index, name in enumerate(names) if (table, name) not in generated]
            rows_of[table] = (
                [names[index] for index in kept],
                [tuple(row[index] for index in kept) for row in rows],
            )
    return rows_of


def _in_order(rows_of: Added) -> list[str]:
    return sorted(rows_of, key=lambda name: ORDER.index(name) if name in ORDER else len(ORDER))


def _raw_insert(rows_of: Added, target: Database) -> float:
    """Seconds to insert ``rows_of`` into ``target`` by ``executemany``, 500 rows a batch."""
    tables = _in_order(rows_of)
    driver = Driver(target.url)
    mark = driver.placeholder
    try:
        started = time.perf_counter()
        with driver.transaction() as cursor:
            for table in tables:
                columns, rows = rows_of[table]
                sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
                    table,
                    ", ".join(f'"{column}"' for column in columns),
                    ", ".join([mark] * len(columns)),
                )
                for start in range(0, len(rows), BATCH):
                    cursor.executemany(sql, rows[start : start + BATCH])
        return time.perf_counter() - started
    finally:
        driver.close()


def _copy(rows_of: Added, target: Database) -> float:
    """Seconds to ``COPY`` ``rows_of`` into ``target``, table by table (PostgreSQL)."""
    driver = Driver(target.url)
    try:
        started = time.perf_counter()
        with driver.transaction() as cursor:
            for table in _in_order(rows_of):
                columns, rows = rows_of[table]
                names = ", ".join(f'"{column}"' for column in columns)
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
        return time.perf_counter() - started
    finally:
        driver.close()
