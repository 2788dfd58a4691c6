"""W8, stages: checking 10,000 internship schedules against the rules for minors.

A fresh database is filled (``tremplin.db.insert_rows``) with schools, hosts, one offer per
host and 10,000 placements of the school year 2026-2027 (``--plugin-work-scale`` 1): 3e
and 4e sequences of five days, two weeks of seconde in June (and single weeks, half of a
split stay), holiday mini-stages; pupils of 13 to 16, some turning 16 during the stay;
weekly schedules drawn from lawful and unlawful timetables (too many hours, no break,
night work, no two days of rest...) and dates sometimes out of season.

Measured: the application's way of checking them all, each placement read through the
ORM and checked by ``schedule.violations`` (the function behind the plugin's
``POST /api/v1/stages/check`` and the checks of a proposal), every placement as a stay of
its own. Floor: one SELECT of the five columns the rules need through the driver, then
the same public rules (``rules.check_week``, ``rules.check_periods``) on plain tuples.
Both give the same verdicts, checked before timing.
"""

from __future__ import annotations

import datetime
import json
import random
from typing import Any

from ..datasets import Database, Store
from ..floors import Driver
from ..instance import bundled_plugins, make_app
from ..measures import Options, Row, median, say
from . import alternated, with_defaults

PLACEMENTS = 10_000  # at scale 1 (issue 21)
SCHOOLS = 12
HOSTS = 40
REPEATS = 3
FLOOR_TARGET = 2.0
SCHOOL_YEAR = 2026  # 2026-2027, the last year the shipped school calendar covers
WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri")


def _every(days: tuple[str, ...], *stretches: tuple[str, str]) -> dict[str, list[list[str]]]:
    return {day: [list(stretch) for stretch in stretches] for day in days}


# Weekly schedules, lawful and not: (weight, {weekday: [[start, end], ...]}).
SCHEDULES = (
    (40, _every(WEEK, ("09:00", "12:00"), ("13:30", "17:00"))),
    (20, _every(WEEK, ("08:30", "12:00"), ("13:00", "16:30"))),
    (16, _every(WEEK, ("09:00", "12:00"), ("14:00", "17:00"))),
    (4, _every(WEEK, ("08:00", "12:00"), ("13:00", "17:00"))),  # 8 h a day, 40 a week
    (4, _every(WEEK, ("08:00", "13:00"), ("14:00", "16:00"))),  # 5 h without a break
    (4, _every(WEEK, ("13:00", "16:00"), ("16:15", "20:30"))),  # night, no break
    (4, _every((*WEEK, "Sat"), ("09:00", "12:00"), ("13:00", "15:00"))),  # one rest day
    (4, {"Mon": [["06:00", "12:00"]], "Tue": [["10:00", "17:00"]], "Thu": [["07:00", "13:00"]]}),
)
LEVELS = (("3e", 55), ("4e", 10), ("2de", 20), ("holidays", 15))


def measure(store: Store, options: Options) -> list[Row]:
    """The W8 stages row: every placement's schedule and dates checked, app against floor."""
    count = max(20, round(PLACEMENTS * options.plugin_work_scale))
    database = store.fresh("stages")
    try:
        return [_measure(database, count)]
    finally:
        store.drop(database)


def _measure(database: Database, count: int) -> Row:
    from tremplin.plugins.stages import service

    app = make_app(database.url, database.queue_url, bundled_plugins())
    runtime = app.extensions["tremplin"].runtime
    with app.app_context(), runtime.database.connection_context():
        say(f"W8 {database.kind}: stages, {count} placements")
        _fill(count)
        zone = service.settings()["zone"]
        driver = Driver(database.url)
        try:
            verdicts = _app_check(zone)
            if _floor_check(driver, zone) != verdicts or len(verdicts) != count:
                raise RuntimeError("W8 stages: the floor's verdicts differ from the app's")
            app_times, floor_times = alternated(
                lambda: _app_check(zone), lambda: _floor_check(driver, zone), REPEATS
            )
        finally:
            driver.close()
    unlawful = sum(1 for codes in verdicts.values() if codes)
    value, floor_value = median(app_times) * 1000, median(floor_times) * 1000
    ratio = value / floor_value
    return Row(
        workload="W8 plugin work",
        database=database.kind,
        size=f"{count} schedules",
        measure=(
            f"stages: checking every placement (ORM + schedule.violations), {unlawful} break a rule"
        ),
        value=value,
        unit="ms",
        floor="1 SELECT via driver + check_week/check_periods on tuples",
        floor_value=floor_value,
        ratio=ratio,
        target=f"≤ {FLOOR_TARGET:g}x",
        met=ratio <= FLOOR_TARGET,
    )


# The application's way


def _app_check(zone: str) -> dict[int, list[str]]:
    """Each placement's broken rules, as the plugin checks a stay (``schedule.violations``)."""
    from tremplin.plugins.stages import schedule
    from tremplin.plugins.stages.models import Placement

    return {
        placement.id: schedule.violations(
            placement.level,
            placement.pupil_birth_date,
            [(placement.first_day, placement.last_day)],
            schedule.load(placement.schedule),
            zone,
        )
        for placement in Placement.select().order_by(Placement.id)
    }


# The floor


def _floor_check(driver: Driver, zone: str) -> dict[int, list[str]]:
    """The same verdicts from one SELECT and the public rules on plain tuples."""
    from tremplin.plugins.stages.rules import (
        PERIOD_CODES,
        WEEK_CODES,
        WEEKDAYS,
        check_periods,
        check_week,
    )

    rows = driver.connection.execute(
        "SELECT id, level, pupil_birth_date, first_day, last_day, schedule "
        "FROM stages_placement ORDER BY id"
    ).fetchall()
    as_date = datetime.date.fromisoformat if driver.sqlite else _same
    as_time = datetime.time.fromisoformat
    two_weeks = datetime.timedelta(days=13)
    verdicts = {}
    for identifier, level, birth, first, last, text in rows:
        birth, first, last = as_date(birth), as_date(first), as_date(last)
        days = json.loads(text)
        week = [
            (day, [(as_time(start), as_time(end)) for start, end in days[day]])
            for day in WEEKDAYS
            if days.get(day)
        ]
        found = set()
        ages = {
            day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
            for day in (first, last)
        }
        for age in ages:
            found.update(check_week(age, week))
        found.update(
            check_periods(level, [(first, last)], zone=zone, weekdays=[day for day, _ in week])
        )
        if level == "2de" and last - first < two_weeks:  # half of a split stay
            found.discard("duration")
        verdicts[identifier] = [code for code in (*WEEK_CODES, *PERIOD_CODES) if code in found]
    return verdicts


def _same(value: Any) -> Any:
    return value


# The data


def _fill(count: int) -> None:
    """Schools, hosts, an offer per host and ``count`` placements, in bulk."""
    from tremplin.db import database, insert_rows
    from tremplin.organisations.models import Organisation, OrganisationKind
    from tremplin.plugins.stages.models import Offer, Placement, PlacementStatus
    from tremplin.territories.models import Territory

    chance = random.Random(21)
    territory = Territory.select(Territory.id).order_by(Territory.id).get().id
    with database.atomic():
        insert_rows(
            Organisation,
            [
                with_defaults(
                    Organisation,
                    {
                        "name": f"Organisation {number}",
                        "search_name": f"organisation {number}",
                        "kind": OrganisationKind.COLLEGE
                        if number < SCHOOLS
                        else OrganisationKind.COMPANY,
                        "territory": territory,
                    },
                )
                for number in range(SCHOOLS + HOSTS)
            ],
        )
        organisations = [
            o.id for o in Organisation.select(Organisation.id).order_by(Organisation.id)
        ]
        schools, hosts = organisations[:SCHOOLS], organisations[SCHOOLS:]
        insert_rows(
            Offer,
            [
                with_defaults(
                    Offer,
                    {
                        "host": host,
                        "territory": territory,
                        "occupation": "Technicienne de maintenance",
                        "place": "Lille",
                        "levels": "4e 3e 2de holidays",
                        "first_day": datetime.date(SCHOOL_YEAR, 9, 1),
                        "last_day": datetime.date(SCHOOL_YEAR + 1, 8, 31),
                        "places": 6,
                        "activities": "Observation aux côtés d'un tuteur.",
                    },
                )
                for host in hosts
            ],
        )
        offers = {o.host_id: o.id for o in Offer.select(Offer.id, Offer.host)}
        weights = [weight for weight, _ in SCHEDULES]
        texts = [json.dumps(week) for _, week in SCHEDULES]
        levels, level_weights = zip(*LEVELS, strict=True)
        statuses = list(PlacementStatus)
        rows = []
        for number in range(count):
            level = chance.choices(levels, level_weights)[0]
            first, last = _stay(chance, level)
            host = hosts[number % len(hosts)]
            rows.append(
                with_defaults(
                    Placement,
                    {
                        "offer": offers[host],
                        "host": host,
                        "school": schools[number % len(schools)],
                        "level": level,
                        "pupil_first_name": "Camille",
                        "pupil_last_name": f"Élève {number}",
                        "pupil_class": f"{level} {'ABCD'[number % 4]}",
                        "pupil_birth_date": _birth(chance, level, first),
                        "first_day": first,
                        "last_day": last,
                        "schedule": chance.choices(texts, weights)[0],
                        "status": chance.choice(statuses),
                    },
                )
            )
        insert_rows(Placement, rows)


def _stay(chance: random.Random, level: str) -> tuple[datetime.date, datetime.date]:
    """The dates of a stay of ``level``: mostly lawful, sometimes out of season."""
    september = datetime.date(SCHOOL_YEAR, 9, 7)  # a Monday
    if level in ("3e", "4e"):  # five days from a Monday of the school year (some in holidays)
        first = september + datetime.timedelta(weeks=chance.randrange(42))
        return first, first + datetime.timedelta(days=4)
    if level == "2de":  # two weeks in June, or one (half of a split stay), or too late
        first = datetime.date(SCHOOL_YEAR + 1, 6, chance.choice((7, 14, 14, 21, 28)))
        return first, first + datetime.timedelta(days=chance.choice((11, 11, 11, 4)))
    first = chance.choice(  # holiday mini-stages, a few in school time
        [datetime.date(SCHOOL_YEAR, 10, 19), datetime.date(SCHOOL_YEAR + 1, 2, 22)] * 4
        + [datetime.date(SCHOOL_YEAR + 1, 4, 19), datetime.date(SCHOOL_YEAR + 1, 3, 15)]
    )
    return first, first + datetime.timedelta(days=chance.randrange(5))


def _birth(chance: random.Random, level: str, first: datetime.date) -> datetime.date:
    """A pupil's birth date: 13 to 16 years old on the first day, by level."""
    youngest = {"4e": 13, "3e": 14, "2de": 15, "holidays": 13}[level]
    age = youngest + chance.randrange(2 if level != "holidays" else 4)
    return first - datetime.timedelta(days=365 * age + chance.randrange(1, 365))
