"""Key figures of the region and of a department, against a network counted by hand."""

from __future__ import annotations

import datetime
import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tremplin import hookimpl
from tremplin.auth.models import Account, AccountStatus
from tremplin.clock import now, today, travel
from tremplin.interventions import events, service
from tremplin.interventions.models import Event, Intervention, Status
from tremplin.organisations.models import OrganisationKind
from tremplin.stats.figures import PERCENT, Figure, Period, key_figures, school_year_of
from tremplin.territories.models import Territory
from tremplin.testing import in_days, local

from .conftest import answer, complete, flag

# The period of the hand-counted network: from yesterday to two months ahead.
WINDOW = 60


def period() -> Period:
    return Period(today() - datetime.timedelta(days=1), today() + datetime.timedelta(days=WINDOW))


def figures_of(network, code: str, within: Period | None = None):
    territory = network.territory(code)
    return network.run(key_figures, territory, within or period())


def build(network):
    """The network whose figures are counted by hand in the test below.

    Schools: A (collège, Lille Est, REP), B (lycée, Dunkerque), D (collège, Lille Est, QPV)
    in the Nord; C (collège, Arras, rural), E (lycée, Arras) in the Pas-de-Calais.
    """
    a = flag(
        network, network.school("Collège A", "bef-59-lille-est", OrganisationKind.COLLEGE), rep=True
    )
    b = network.school("Lycée B", "bef-59-dunkerque", OrganisationKind.LYCEE)
    c = flag(
        network, network.school("Collège C", "bef-62-arras", OrganisationKind.COLLEGE), rural=True
    )
    flag(
        network, network.school("Collège D", "bef-59-lille-est", OrganisationKind.COLLEGE), qpv=True
    )
    e = network.school("Lycée E", "bef-62-arras", OrganisationKind.LYCEE)
    network.school("Garage F", "59", OrganisationKind.COMPANY)  # not a school

    teacher_a, teacher_b, teacher_c = (network.educator(school) for school in (a, b, c))
    network.educator(a)
    network.educator(e)
    gone = network.educator(b)
    network.run(
        lambda: (
            Account.update(status=AccountStatus.SUSPENDED).where(Account.id == gone.id).execute()
        )
    )
    network.referent("59")
    network.admin()

    a1 = network.ambassador(
        "Soudeuse", zones=("59",), gender="female", intervention_types=("class_talk", "forum")
    )
    a2 = network.ambassador(
        "Chaudronnier", zones=("bef-59-dunkerque",), gender="male", modes=("on_site", "remote")
    )
    a3 = network.ambassador(
        "Logisticienne",
        zones=("62",),
        gender="female",
        intervention_types=("class_talk", "company_visit"),
    )
    a4 = network.ambassador("Boulanger", zones=("hdf",), intervention_types=("forum",))
    network.ambassador("Pâtissier", zones=("59",), gender="other", status=AccountStatus.SUSPENDED)

    # 1. A, class talk on site: accepted after 2 h, 24 pupils of 3e and 2 teachers.
    one = network.request(teacher_a, a1)
    answer(network, a1, one, 2)
    complete(network, teacher_a, one, {"college_3": 24, "educational_teams": 2})
    # 2. B, class talk remotely: accepted after 10 h, 30 pupils.
    two = network.request(teacher_b, a2, mode="remote")
    answer(network, a2, two, 10)
    complete(network, teacher_b, two, {"lycee_general": 30})
    # 3. C, company visit: accepted after 4 h, 12 pupils of 4e.
    three = network.request(
        teacher_c,
        a3,
        intervention_type="company_visit",
        accompanying_adults=2,
        duration_minutes=120,
    )
    answer(network, a3, three, 4)
    complete(network, teacher_c, three, {"college_4": 12})
    # 4. A, declined after 20 h.
    answer(network, a1, network.request(teacher_a, a1), 20, accept=False)
    # 5. B, still waiting for its answer.
    network.request(teacher_b, a2)
    # 6. A, waiting for a referent to match it: never addressed to an ambassador.
    network.request(teacher_a)
    # 7. C, withdrawn by the school before any answer.
    seven = network.request(teacher_c, a3)
    network.run(service.cancel, teacher_c, seven.id, {"reason": "Sortie annulée."})
    # 9. A, accepted after 1 h, takes place after the period: requested in it, not completed.
    nine = network.request(teacher_a, a1, slots=[in_days(WINDOW + 40)])
    answer(network, a1, nine, 1)
    complete(network, teacher_a, nine, {"college_3": 20})
    # 8. A forum at B with two ambassadors, accepted after 6 h and 8 h; each reports its public.
    forum = network.run(
        events.create_event,
        teacher_b,
        {
            "title": "Forum des métiers",
            "intervention_type": "forum",
            "mode": "on_site",
            "organisation": b.id,
            "audience_level": "lycee_general",
            "expected_public": 300,
            "slots": [
                {
                    "starts_at": local(in_days(15)),
                    "ends_at": local(in_days(15, hour=12)),
                    "places": 2,
                }
            ],
        },
    )
    slot = network.run(lambda: events.slots_of(Event.get_by_id(forum.id))[0])
    for ambassador, hours, reach in (
        (a1, 6, {"lycee_general": 250, "families": 50}),
        (a4, 8, {"lycee_general": 280}),
    ):
        invitation = network.run(
            events.invite, teacher_b, forum.id, {"slot": slot.id, "ambassador": ambassador.id}
        )
        answer(network, ambassador, invitation, hours)
        complete(network, teacher_b, invitation, reach)


HAND_COUNTED_REGION = {
    # 26 + 30 + 12 outside events, and the forum's public once: 300.
    "beneficiaries": 368,
    # Class talks and the visit: 24 + 30 + 12 (teachers and forums left out).
    "young_people": 66,
    "ambassadors": 4,
    "educators": 5,
    "interventions.completed": 5,
    "interventions.completed.type.class_talk": 2,
    "interventions.completed.type.forum": 2,
    "interventions.completed.type.company_visit": 1,
    "interventions.completed.type.internship": 0,
    "interventions.completed.type.webinar": 0,
    "interventions.completed.mode.on_site": 4,
    "interventions.completed.mode.remote": 1,
    "interventions.requested": 10,
    "interventions.requested.type.class_talk": 7,
    "interventions.requested.type.company_visit": 1,
    "interventions.requested.type.forum": 2,
    "interventions.requested.mode.on_site": 9,
    "interventions.requested.mode.remote": 1,
    "response_rate": 7 / 8,
    # 1, 2, 4, 6, 8, 10, 20 hours.
    "response_time_median": 6,
    "schools.reached": 3,
    "schools.priority": 3,
    "schools.priority_reached": 2,
    "schools.priority_coverage": 2 / 3,
    "schools.priority_share": 2 / 3,
    "ambassadors.gender.female": 2,
    "ambassadors.gender.male": 1,
    "ambassadors.gender.other": 0,
    "ambassadors.gender.unknown": 1,
    "ambassadors.gender.female.share": 2 / 4,
}

HAND_COUNTED_NORD = {
    "beneficiaries": 356,  # 26 + 30 + 300
    "young_people": 54,  # 24 + 30
    "ambassadors": 2,  # the region-wide ambassador belongs to no department
    "educators": 3,
    "interventions.completed": 4,
    "interventions.completed.type.class_talk": 2,
    "interventions.completed.type.forum": 2,
    "interventions.completed.type.company_visit": 0,
    "interventions.completed.mode.on_site": 3,
    "interventions.completed.mode.remote": 1,
    "interventions.requested": 8,
    "interventions.requested.type.class_talk": 6,
    "interventions.requested.type.forum": 2,
    "interventions.requested.mode.on_site": 7,
    "interventions.requested.mode.remote": 1,
    "response_rate": 6 / 7,
    # 1, 2, 6, 8, 10, 20 hours: the mean of the middle two.
    "response_time_median": 7,
    "schools.reached": 2,
    "schools.priority": 2,
    "schools.priority_reached": 1,
    "schools.priority_coverage": 1 / 2,
    "schools.priority_share": 1 / 2,
    "ambassadors.gender.female": 1,
    "ambassadors.gender.male": 1,
    "ambassadors.gender.unknown": 0,
}


def test_the_figures_of_the_region_and_of_the_nord_match_the_hand_count(network):
    build(network)
    for code, expected in (("hdf", HAND_COUNTED_REGION), ("59", HAND_COUNTED_NORD)):
        figures = figures_of(network, code)
        found = {key: figures.value(key) for key in expected}
        assert found == {key: pytest.approx(value, abs=0.01) for key, value in expected.items()}, (
            code
        )


def test_the_academy_adds_up_its_two_departments_and_a_basin_keeps_its_own(network):
    build(network)
    nord, pas_de_calais = figures_of(network, "59"), figures_of(network, "62")
    academy = figures_of(network, "ac-lille")
    for key in ("beneficiaries", "young_people", "interventions.completed", "schools.reached"):
        assert academy.value(key) == nord.value(key) + pas_de_calais.value(key)
    arras = figures_of(network, "bef-62-arras")
    assert arras.value("interventions.completed") == 1
    assert arras.value("young_people") == 12


def test_charts_series_give_completed_interventions_by_type_mode_and_month(network):
    build(network)
    figures = figures_of(network, "hdf")
    by_type = {bar.key: bar.value for bar in figures.series["type"]}
    assert by_type == {
        "class_talk": 2,
        "forum": 2,
        "company_visit": 1,
        "internship": 0,
        "webinar": 0,
    }
    assert {bar.key: bar.value for bar in figures.series["mode"]} == {"on_site": 4, "remote": 1}
    months = figures.series["month"]
    assert [bar.key for bar in months] == [key for key, _s, _e in network.run(period().months)]
    assert sum(bar.value for bar in months) == 5


def test_nothing_happened_gives_zeros_and_no_rates(network):
    figures = figures_of(network, "59")
    assert figures.value("interventions.completed") == 0
    assert figures.value("beneficiaries") == 0
    assert figures.value("response_rate") is None
    assert figures.value("response_time_median") is None
    assert figures.value("schools.priority_coverage") is None


def test_an_intervention_counts_in_the_month_of_the_region_s_calendar(network):
    # 23:30 UTC on 31 January is 00:30 on 1 February in Paris.
    with network.app.app_context():
        months = Period(datetime.date(2027, 1, 1), datetime.date(2027, 2, 28)).months()
    assert [key for key, _s, _e in months] == ["2027-01", "2027-02"]
    assert months[1][1] == datetime.datetime(2027, 1, 31, 23, 0)


def test_the_school_year_runs_from_september_to_august():
    assert Period.school_year(2026) == (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
    assert school_year_of(datetime.date(2026, 11, 22)) == 2026
    assert school_year_of(datetime.date(2027, 8, 31)) == 2026
    assert school_year_of(datetime.date(2027, 9, 1)) == 2027


def test_the_number_of_queries_does_not_grow_with_the_data(network):
    def queries() -> int:
        database = network.app.extensions["tremplin"].runtime.database
        count = 0
        original = database.execute_sql

        def counting(*args, **kwargs):
            nonlocal count
            count += 1
            return original(*args, **kwargs)

        database.execute_sql = counting
        try:
            figures_of(network, "59")
        finally:
            del database.execute_sql
        return count

    teacher = network.educator()
    first = network.ambassador("Soudeuse", zones=("59",))
    answer(network, first, network.request(teacher, first), 1)
    before = queries()
    for number in range(4):
        ambassador = network.ambassador("Soudeuse", zones=("59",), monthly_capacity=10)
        for _ in range(3):
            request = network.request(teacher, ambassador)
            answer(network, ambassador, request, number + 1)
        complete(network, teacher, request, {"college_3": 20})
    assert figures_of(network, "59").value("interventions.completed") == 4
    assert queries() == before <= 15


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(minutes=st.lists(st.integers(min_value=0, max_value=60 * 24 * 30), min_size=1, max_size=9))
def test_the_median_response_time_is_the_middle_of_the_answers(network, minutes):
    school = network.territory("bef-59-lille-est")
    organisation = network.school("Collège M", school.code)
    with network.app.app_context():
        Intervention.delete().execute()
        start = now().replace(microsecond=0)
        Intervention.insert_many(
            [
                {
                    "intervention_type": "class_talk",
                    "mode": "on_site",
                    "status": Status.SCHEDULED,  # accepted on its date
                    "organisation": organisation.id,
                    "territory": school.id,
                    "audience_level": "college_3",
                    "group_size": 20,
                    "duration_minutes": 45,
                    "starts_at": start + datetime.timedelta(days=20),
                    "assigned_at": start,
                    "answered_at": start + datetime.timedelta(minutes=delay),
                }
                for delay in minutes
            ]
        ).execute()
        figures = key_figures(Territory.get(Territory.code == "59"), period())
    assert figures.value("response_time_median") == pytest.approx(
        statistics.median(minutes) / 60, abs=0.01
    )
    assert figures.value("response_rate") == 1


class CountsForums:
    """A plugin adding one row to the key figures, and remembering what it was asked."""

    name = "forums"

    def __init__(self):
        self.asked = []

    @hookimpl
    def key_figures(self, period, territory):
        start, end = period  # a (start, end) pair, as documented
        self.asked.append(((start, end), territory.code))
        return [("Forums organised", 3), Figure("forums.share", "Share of forums", 0.5, PERCENT)]


def test_hook_key_figures_rows_are_appended_after_the_core_s(make_app, make_network):
    plugin = CountsForums()
    network = make_network(make_app(extra_plugins=[plugin]))
    figures = figures_of(network, "59")
    assert plugin.asked == [(period(), "59")]
    assert [(row.label, row.value) for row in figures.rows[-2:]] == [
        ("Forums organised", 3),
        ("Share of forums", 0.5),
    ]
    assert figures.rows[-2].key == "plugins.1"
    assert figures.rows[0].key == "beneficiaries"


def test_a_request_answered_later_counts_in_the_period_it_reached_the_ambassador(network):
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    request = network.request(network.educator(), ambassador, slots=[in_days(80)])
    with travel(datetime.timedelta(days=WINDOW + 5)):
        network.run(service.accept, network.account_of(ambassador), request.id, {})
    figures = figures_of(network, "59")
    assert figures.value("response_rate") == 1
    assert figures.value("response_time_median") == pytest.approx((WINDOW + 5) * 24, abs=0.01)
