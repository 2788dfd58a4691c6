"""The monthly aggregates equal the counts made from the interventions, whatever happened.

Random sequences of requests, invitations to an event, answers (an acceptance schedules:
requested -> scheduled), matches, new requests, interventions accepted without a date as
earlier versions left them, new dates, reports, cancellations, expiries, satisfaction
survey answers given, replaced and withdrawn, with the clock moving on between them (some
dates at the turn of a month in the region's calendar); then every territory's counts and
median response time over whole months, read from the aggregates, equal the same made
from the interventions (``raw_counts``, the reference kept for this test), and the
compact totals equal the sums of the school rows.
"""

from __future__ import annotations

import datetime

import peewee
from hypothesis import event, given
from hypothesis import strategies as st

from tremplin.clock import today, travel
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.interventions import events, service, surveys
from tremplin.interventions.models import Event, Intervention, Slot, Status
from tremplin.organisations.models import OrganisationKind
from tremplin.stats import monthly
from tremplin.stats.figures import (
    Period,
    _median_hours,
    key_figures,
    raw_counts,
    school_year_of,
    scope_of,
)
from tremplin.stats.models import (
    MonthlyFigures,
    MonthlyResponseTimes,
    MonthlyTotals,
    ResponseTime,
)
from tremplin.territories.models import Territory
from tremplin.testing import in_days, local

from .conftest import replay, sequences

SCOPES = ("hdf", "59", "62", "bef-59-lille-est")
REFUSED = (Conflict, Invalid, NotAllowed, NotFound)
AGGREGATES = (MonthlyFigures, MonthlyTotals, ResponseTime, MonthlyResponseTimes)

which = st.integers(min_value=0, max_value=50)
day = st.integers(min_value=3, max_value=70)
hour = st.sampled_from((9, 22, 23))  # 22 and 23 UTC are the next day in Paris, in winter
ACTIONS = st.one_of(
    st.tuples(
        st.just("request"),
        st.integers(0, 2),  # the school
        st.sampled_from((None, 0, 1)),  # the ambassador, or a referent's match
        st.sampled_from(("class_talk", "company_visit", "remote")),
        day,
        hour,
    ),
    st.tuples(
        st.just("older"),  # accepted, its date not fixed: data of an earlier version
        st.integers(0, 2),
        st.integers(0, 1),
        day,
        hour,
    ),
    st.tuples(
        st.just("through"),  # requested, accepted (so scheduled) and reported at once
        st.integers(0, 2),
        st.integers(0, 1),
        day,
        hour,
        st.integers(0, 60),
        st.integers(0, 5),
    ),
    st.tuples(st.just("invite"), st.integers(0, 1)),
    st.tuples(st.just("accept"), which),
    st.tuples(st.just("decline"), which, st.booleans()),
    st.tuples(st.just("renew"), which),
    st.tuples(st.just("assign"), which, st.integers(0, 1)),
    st.tuples(st.just("schedule"), which, st.sampled_from((None, 5, 40))),
    st.tuples(
        st.just("complete"),
        which,
        st.integers(0, 60),
        st.integers(0, 5),
        st.booleans(),
    ),
    st.tuples(st.just("cancel"), which, st.booleans()),
    st.tuples(st.just("survey"), which, st.booleans(), st.integers(1, 5)),
    st.tuples(st.just("withdraw"), which, st.booleans()),
    st.tuples(st.just("expire")),
    st.tuples(st.just("travel"), st.integers(1, 45)),
)


class World:
    """Three schools in two departments, two ambassadors, a referent and an event."""

    def __init__(self, network):
        self.network = network
        schools = (
            ("Collège A", "bef-59-lille-est", OrganisationKind.COLLEGE),
            ("Lycée B", "bef-59-dunkerque", OrganisationKind.LYCEE),
            ("Collège C", "bef-62-arras", OrganisationKind.COLLEGE),
        )
        self.schools = [network.school(*school) for school in schools]
        self.teachers = [network.educator(school) for school in self.schools]
        self.ambassadors = [
            network.ambassador(
                occupation,
                zones=("hdf",),
                intervention_types=("class_talk", "company_visit", "forum"),
                modes=("on_site", "remote"),
                monthly_capacity=30,
            )
            for occupation in ("Soudeuse", "Chaudronnier")
        ]
        self.accounts = [network.account_of(ambassador) for ambassador in self.ambassadors]
        self.referent = network.referent("hdf")

    def start(self) -> None:
        """No intervention and no event yet; a forum at school B in 20 days."""
        with self.network.app.app_context():
            Intervention.delete().execute()
            Event.delete().execute()
            for model in AGGREGATES:
                model.delete().execute()
        self.forum = self.network.run(
            events.create_event,
            self.teachers[1],
            {
                "title": "Forum des métiers",
                "intervention_type": "forum",
                "mode": "on_site",
                "organisation": self.schools[1].id,
                "audience_level": "lycee_general",
                "expected_public": 300,
                "slots": [
                    {
                        "starts_at": local(in_days(20)),
                        "ends_at": local(in_days(20, hour=12)),
                        "places": 2,
                    }
                ],
            },
        )
        self.slot = self.network.run(lambda: events.slots_of(Event.get_by_id(self.forum.id))[0])

    def pick(self, number: int) -> Intervention | None:
        with self.network.app.app_context():
            rows = list(Intervention.select().order_by(Intervention.id))
        return rows[number % len(rows)] if rows else None

    def teacher_of(self, intervention: Intervention):
        ids = [school.id for school in self.schools]
        return self.teachers[ids.index(intervention.organisation_id)]

    def ambassador_of(self, intervention: Intervention):
        ids = [ambassador.id for ambassador in self.ambassadors]
        if intervention.ambassador_id not in ids:
            return None
        return self.accounts[ids.index(intervention.ambassador_id)]

    def do(self, action: tuple) -> None:
        """Try ``action``; a refusal of the workflow is an outcome like any other."""
        try:
            self._do(*action)
        except REFUSED as refusal:
            event(f"{action[0]} refused: {type(refusal).__name__}")
        else:
            event(f"{action[0]} done")

    def _do(self, name: str, *args) -> None:
        run = self.network.run
        if name == "request":
            school, ambassador, kind, days, at = args
            fields = {"mode": "remote"} if kind == "remote" else {}
            if kind == "company_visit":
                fields = {
                    "intervention_type": kind,
                    "accompanying_adults": 2,
                    "duration_minutes": 120,
                }
            self.network.request(
                self.teachers[school],
                None if ambassador is None else self.ambassadors[ambassador],
                slots=[in_days(days, hour=at), in_days(days + 2, hour=at)],
                **fields,
            )
        elif name == "through":
            school, ambassador, days, at, pupils, adults = args
            self._do("request", school, ambassador, "class_talk", days, at)
            last = self.pick(-1)
            for step in ("accept", "complete"):
                extra = {"complete": (pupils, adults, True)}.get(step, ())
                self._answer(step, self.pick(-1), *extra)
            assert last is not None
        elif name == "older":
            school, ambassador, days, at = args
            self.network.intervention(
                self.teachers[school],
                self.ambassadors[ambassador],
                status=Status.ACCEPTED,
                on=in_days(days, hour=at),
            )
        elif name == "invite":
            run(
                events.invite,
                self.teachers[1],
                self.forum.id,
                {"slot": self.slot.id, "ambassador": self.ambassadors[args[0]].id},
            )
        elif name == "expire":
            run(service.expire_overdue)
        else:
            intervention = self.pick(args[0])
            if intervention is not None:
                self._answer(name, intervention, *args[1:])

    def _answer(self, name: str, intervention: Intervention, *args) -> None:
        run, teacher = self.network.run, self.teacher_of(intervention)
        if name == "accept":
            run(service.accept, self.ambassador_of(intervention), intervention.id, {})
        elif name == "decline":
            other = [local(in_days(30))] if args[0] else []
            raw = {"reason": "dates", "message": "Pas libre.", "slots": other}
            run(service.decline, self.ambassador_of(intervention), intervention.id, raw)
        elif name == "renew":
            slot = run(
                lambda: (
                    Slot.select()
                    .where(Slot.intervention == intervention.id, Slot.proposed_by == "ambassador")
                    .first()
                )
            )
            if slot is not None:
                run(service.renew, teacher, intervention.id, {"slot": slot.id})
        elif name == "assign":
            raw = {"ambassador": self.ambassadors[args[0]].id}
            run(service.assign, self.referent, intervention.id, raw)
        elif name == "schedule":
            raw = {} if args[0] is None else {"starts_at": local(in_days(args[0], hour=23))}
            run(service.schedule, teacher, intervention.id, raw)
        elif name == "complete":
            pupils, adults, travelled = args
            raw = {"reach": {"college_3": pupils, "families": adults}}
            days = (intervention.starts_at - in_days(0)).days + 1 if travelled else 0
            with travel(datetime.timedelta(days=max(days, 0))):
                run(service.complete, teacher, intervention.id, raw)
        elif name == "cancel":
            actor = teacher if args[0] else self.ambassador_of(intervention)
            run(service.cancel, actor, intervention.id, {"reason": "Empêchement."})
        elif name == "survey":
            # The ambassador or the teacher gives (or gives again) a mark.
            actor = teacher if args[0] else self.ambassador_of(intervention)
            run(service.give_feedback, actor, intervention.id, {"rating": str(args[1])})
        elif name == "withdraw":
            actor = teacher if args[0] else self.ambassador_of(intervention)
            run(surveys.withdraw, actor, intervention.id)


def months_around() -> list[Period]:
    """This month, the three months around it, this school year and the next."""
    first = today().replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    before = (first - datetime.timedelta(days=1)).replace(day=1)
    after = (following + datetime.timedelta(days=32)).replace(day=1)
    year = school_year_of(today())
    return [
        Period(first, following - datetime.timedelta(days=1)),
        Period(before, after - datetime.timedelta(days=1)),
        Period.school_year(year),
        Period.school_year(year + 1),
    ]


def assert_aggregates_are_exact(network) -> None:
    with network.app.app_context():
        for code in SCOPES:
            territory = Territory.get(Territory.code == code)
            scope = scope_of(territory)
            for period in months_around():
                months = [key for key, _start, _end in period.months()]
                counts = monthly.counts(scope, months)
                assert counts == raw_counts(scope, period), (code, period)
                low, high = period.bounds()
                assert monthly.median_hours(scope, months, counts.answered) == _median_hours(
                    scope, low, high, counts.answered
                ), (code, period)
            period = months_around()[2]
            assert key_figures(territory, period) == key_figures(territory, period, False)
        assert totals_of_school_rows() == totals()
        assert response_times_counted() == response_times()


def totals_of_school_rows() -> dict[tuple, list[int]]:
    """The school rows summed by month, territory, type and mode (the zero sums left out)."""
    keys = (
        MonthlyFigures.month,
        peewee.fn.COALESCE(MonthlyFigures.territory, monthly.NO_TERRITORY_SQL),
        MonthlyFigures.intervention_type,
        MonthlyFigures.mode,
    )
    query = MonthlyFigures.select(
        *keys, *(peewee.fn.SUM(getattr(MonthlyFigures, name)) for name in monthly.SUMMED)
    ).group_by(*keys)
    return {tuple(key): [int(value) for value in values] for *key, values in _split(query)}


def totals() -> dict[tuple, list[int]]:
    query = MonthlyTotals.select(
        MonthlyTotals.month,
        MonthlyTotals.territory,
        MonthlyTotals.intervention_type,
        MonthlyTotals.mode,
        *(getattr(MonthlyTotals, name) for name in monthly.SUMMED),
    )
    return {tuple(key): [int(value) for value in values] for *key, values in _split(query)}


def response_times_counted() -> dict[tuple, int]:
    """The response times counted by month, territory and bucket (the zero counts left out)."""
    query = MonthlyResponseTimes.select(
        MonthlyResponseTimes.month,
        MonthlyResponseTimes.territory,
        MonthlyResponseTimes.bucket,
        MonthlyResponseTimes.answered,
    ).where(MonthlyResponseTimes.answered != 0)
    return {(month, territory, bucket): count for month, territory, bucket, count in query.tuples()}


def response_times() -> dict[tuple, int]:
    keys = (
        ResponseTime.month,
        peewee.fn.COALESCE(ResponseTime.territory, monthly.NO_TERRITORY_SQL),
        ResponseTime.bucket,
    )
    query = ResponseTime.select(*keys, peewee.fn.COUNT(ResponseTime.id)).group_by(*keys)
    return {(month, territory, bucket): count for month, territory, bucket, count in query.tuples()}


def _split(query):
    for row in query.tuples():
        values = row[4:]
        if any(values):
            yield (*row[:4], values)


@sequences(30)
@given(actions=st.lists(ACTIONS, min_size=5, max_size=25))
def test_the_aggregates_equal_the_counts_of_the_interventions_after_any_sequence(world, actions):
    world.start()
    with travel(replay(actions, world.do)):
        assert_aggregates_are_exact(world.network)


@sequences(10)
@given(actions=st.lists(ACTIONS, min_size=5, max_size=25))
def test_a_rebuild_after_any_sequence_gives_the_aggregates_the_workflow_kept(world, actions):
    # A rebuild reads every intervention its own way (sums per table, joined): the same.
    world.start()
    with travel(replay(actions, world.do)):
        with world.network.app.app_context():
            monthly.rebuild()
        assert_aggregates_are_exact(world.network)


def test_a_rebuild_recounts_what_was_written_without_the_workflow(world, run_cli):
    world.start()
    teacher, ambassador = world.teachers[0], world.ambassadors[0]
    request = world.network.request(teacher, ambassador)
    with world.network.app.app_context():
        # Rows written in bulk (as the demo generator does) bypass the workflow.
        Intervention.update(status="completed", pupils_reached=25).where(
            Intervention.id == request.id
        ).execute()
        year = Period.school_year(school_year_of(today()))
        territory = Territory.get(Territory.code == "59")
        assert key_figures(territory, year).value("interventions.completed") == 0
    result = run_cli(world.network.app, "stats", "rebuild")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Agrégats mensuels recomptés")
    with world.network.app.app_context():
        figures = key_figures(territory, year)
        assert figures.value("interventions.completed") == 1
        assert figures.value("beneficiaries") == 25
    assert_aggregates_are_exact(world.network)


def test_stats_rebuild_of_one_school_and_of_an_unknown_one(world, run_cli):
    world.start()
    request = world.network.request(world.teachers[2], world.ambassadors[1])
    with world.network.app.app_context():
        # Written without the workflow: the school's aggregates no longer count it right.
        Intervention.update(status="completed", pupils_reached=12).where(
            Intervention.id == request.id
        ).execute()
    school = str(world.schools[2].id)
    result = run_cli(world.network.app, "stats", "rebuild", "--school", school)
    assert result.exit_code == 0, result.output
    assert_aggregates_are_exact(world.network)
    unknown = run_cli(world.network.app, "stats", "rebuild", "--school", "999999")
    assert unknown.exit_code == 2
    assert unknown.output.strip().splitlines() == [
        "Erreur : --school : aucune organisation ne porte le numéro 999999."
    ]


def test_the_migration_fills_the_aggregates_from_the_interventions_already_there(world, run_cli):
    world.start()
    world.network.request(world.teachers[0], world.ambassadors[0])
    with world.network.app.app_context():
        database = world.network.app.extensions["tremplin"].runtime.database
        database.drop_tables(AGGREGATES)
        database.execute_sql(
            "DELETE FROM tremplin_migration"
            " WHERE component = 'stats' AND name <> '0003_people_totals'"
        )
    result = run_cli(world.network.app, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "stats/0001_create_monthly_figures" in result.output
    assert "stats/0002_totals_surveys_response_times" in result.output
    with world.network.app.app_context():
        assert MonthlyFigures.select().count() == 1
        assert MonthlyTotals.select().count() == 1
        assert ResponseTime.select().count() == MonthlyResponseTimes.select().count() == 0
    assert_aggregates_are_exact(world.network)
