"""Marks: a team counts as one competitor, judges' scores are 0-3 and three per aspect, a
linked judge is refused through the API too, the lock needs every mark."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tremplin.auth.models import Role
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.plugins.worldskills import candidates, competitions, judges, marks
from tremplin.plugins.worldskills.marking import Judgement, Measurement, skill_total
from tremplin.plugins.worldskills.models import Candidate, Judge, Result, Score
from tremplin.testing import csrf_token_from, sign_in


@pytest.fixture
def team_skill(net):
    """A team skill of a regional selection, its scheme, two teams of two and a third
    competitor team of one, all accepted; a chief expert and three judges."""
    admin = net.account(Role.ADMIN)
    competition = net.run(
        competitions.create,
        admin,
        {"name": "Sélections", "level": "regional", "edition": "49", "territory": "hdf",
         "starts_on": "2026-11-02", "ends_on": "2026-11-04"},
    )  # fmt: skip
    skill = net.run(
        competitions.add_skill,
        admin,
        competition.id,
        {"number": 3, "name": "Mechatronics", "max_age": 25, "team": "yes"},
    )
    for code, kind, worth in (("M", "measurement", "40"), ("J", "judgement", "60")):
        raw = {"code": code, "title": code, "kind": kind, "max_mark": worth}
        net.run(competitions.add_aspect, admin, skill.id, raw)
    cfa = net.organisation("CFA des Flandres")
    made = {}
    for number, (first, team) in enumerate(
        (("Lina", "Alpha"), ("Tom", "Alpha"), ("Jade", "Beta"), ("Nael", "Beta"), ("Eva", "Gamma"))
    ):
        raw = {
            "skill": skill.id, "first_name": first, "last_name": "Durand",
            "birth_date": datetime.date(2004, 1 + number, 1).isoformat(), "pathway": "school",
            "training_centre": cfa.name, "team": team, "consent": "yes",
        }  # fmt: skip
        candidate = net.run(candidates.register, admin, competition.id, raw)
        net.run(candidates.check, admin, candidate.id, {"decision": "accepted"})
        made[first] = candidate
    team = {"chief": net.account(email="chief@example.org")}
    net.run(judges.appoint, admin, skill.id, {"email": "chief@example.org", "role": "chief_expert"})
    for number in (1, 2, 3):
        team[number] = net.account(email=f"judge{number}@example.org")
        raw = {"email": f"judge{number}@example.org", "role": "judge"}
        net.run(judges.appoint, admin, skill.id, raw)
    aspects = {a.code: a for a in net.run(competitions.aspects_of, skill.id)}
    return {"skill": skill, "made": made, "team": team, "aspects": aspects}


def enter(net, ctx, who, candidate, code, value):
    raw = {
        "aspect": ctx["aspects"][code].id,
        "candidate": ctx["made"][candidate].id,
        "value": value,
    }
    return net.run(marks.enter, ctx["team"][who], ctx["skill"].id, raw)


def test_a_team_is_one_competitor_marked_through_any_member_and_its_members_share_the_result(
    net, team_skill
):
    names = [c.name for c in net.run(marks.competitors, team_skill["skill"])]
    assert names == ["Alpha", "Beta", "Gamma"]
    # Tom's marks are Alpha's: entered on him, they count for Lina too.
    for name, measured, score in (("Tom", 40, 3), ("Jade", 20, 2), ("Eva", 10, 1)):
        enter(net, team_skill, "chief", name, "M", measured)
        for judge in (1, 2, 3):
            enter(net, team_skill, judge, name, "J", score)
    net.run(marks.lock, team_skill["team"]["chief"], team_skill["skill"].id)
    rows = net.run(
        lambda: {
            r.candidate.first_name: (r.rank, r.award, float(r.marks))
            for r in Result.select().join(Candidate)
        }
    )
    # Three competitors: 100, 60 and 30 marks; Alpha gold, Beta silver (700, the median),
    # Gamma bronze: medals need no minimum score.
    assert rows == {
        "Lina": (1, "gold", 100.0),
        "Tom": (1, "gold", 100.0),
        "Jade": (2, "silver", 60.0),
        "Nael": (2, "silver", 60.0),
        "Eva": (3, "bronze", 30.0),
    }


def test_a_judge_s_score_is_a_whole_number_from_0_to_3_and_three_judges_score_an_aspect(
    net, team_skill
):
    with pytest.raises(Invalid):
        enter(net, team_skill, 1, "Lina", "J", 4)
    with pytest.raises(Invalid):
        enter(net, team_skill, 1, "Lina", "J", "1.5")
    with pytest.raises(Invalid):
        enter(net, team_skill, "chief", "Lina", "M", "40.5")
    for judge in (1, 2, 3):
        enter(net, team_skill, judge, "Lina", "J", 2)
    with pytest.raises(Conflict):
        enter(net, team_skill, "chief", "Lina", "J", 2)


def test_the_lock_waits_for_every_mark(net, team_skill):
    enter(net, team_skill, "chief", "Lina", "M", 30)
    with pytest.raises(Conflict) as missing:
        net.run(marks.lock, team_skill["team"]["chief"], team_skill["skill"].id)
    assert "Alpha — J" in str(missing.value)


def test_only_the_chief_expert_locks_an_existing_skill_and_sees_it_locked(net, team_skill):
    skill, team = team_skill["skill"], team_skill["team"]
    for name, measured in (("Tom", 40), ("Jade", 20), ("Eva", 10)):
        enter(net, team_skill, "chief", name, "M", measured)
        for judge in (1, 2, 3):
            enter(net, team_skill, judge, name, "J", 2)
    with pytest.raises(NotAllowed):
        net.run(marks.lock, team[1], skill.id)
    with pytest.raises(NotFound):
        net.run(marks.lock, team["chief"], skill.id + 1000)
    assert net.run(lambda: Result.select().count()) == 0
    locked = net.run(marks.lock, team["chief"], skill.id)
    assert locked.id == skill.id
    assert locked.locked_at is not None
    assert locked.locked_by.id == team["chief"].id
    with pytest.raises(Conflict):
        net.run(marks.lock, team["chief"], skill.id)


def test_only_the_skill_s_team_enters_marks_and_declares_links_and_an_unknown_skill_is_not_found(
    net, team_skill
):
    skill = team_skill["skill"]
    mark = {"aspect": team_skill["aspects"]["J"].id, "candidate": team_skill["made"]["Tom"].id}
    link = {"candidate": team_skill["made"]["Tom"].id, "nature": "Employeur"}
    outsider = net.account(email="outsider@example.org")
    for who, skill_id, refusal in (
        (outsider, skill.id, NotAllowed),
        (team_skill["team"][1], skill.id + 1000, NotFound),
    ):
        with pytest.raises(refusal):
            net.run(marks.enter, who, skill_id, {**mark, "value": 2})
        with pytest.raises(refusal):
            net.run(judges.declare_link, who, skill_id, link)
    score = net.run(marks.enter, team_skill["team"][1], skill.id, {**mark, "value": 2})
    assert (score.value, score.judge.account.id) == (2, team_skill["team"][1].id)
    assert net.run(judges.declare_link, team_skill["team"][2], skill.id, link).candidate.id == (
        team_skill["made"]["Tom"].id
    )


def test_the_api_refuses_a_mark_from_a_linked_judge_and_takes_the_others(app, net, team_skill):
    judge = team_skill["team"][1]
    skill = team_skill["skill"]
    link = {"candidate": team_skill["made"]["Nael"].id, "nature": "Employeur"}
    net.run(judges.declare_link, judge, skill.id, link)
    client = sign_in(app.test_client(), judge)
    token = csrf_token_from(client, f"/worldskills/epreuves/{skill.id}")
    url = f"/api/v1/worldskills/skills/{skill.id}/marks"
    aspect = team_skill["aspects"]["J"].id
    # Nael's team is Beta: a link with one member keeps the judge from the whole team.
    refused = client.post(
        url,
        json={"aspect": aspect, "candidate": team_skill["made"]["Jade"].id, "value": "2"},
        headers={"X-CSRFToken": token},
    )
    assert refused.status_code == 403
    taken = client.post(
        url,
        json={"aspect": aspect, "candidate": team_skill["made"]["Lina"].id, "value": "2"},
        headers={"X-CSRFToken": token},
    )
    assert taken.status_code == 201, taken.json
    assert taken.json["value"] == "2.00"
    wrong = client.post(
        url,
        json={"aspect": aspect, "candidate": team_skill["made"]["Lina"].id, "value": "7"},
        headers={"X-CSRFToken": token},
    )
    assert wrong.status_code == 422
    assert wrong.json["errors"]["json"]["value"] == [
        "La note d’un juré est un nombre entier de 0 à 3."
    ]


def test_the_totals_are_exact_and_count_the_last_value_entered(net, team_skill):
    # Alpha: 12.5 measured, then changed to 30; judges 2, 2 and 3 of 3 on 60: 60 x 7/9.
    enter(net, team_skill, "chief", "Lina", "M", "12.5")
    enter(net, team_skill, "chief", "Tom", "M", "30")
    for judge, score in ((1, 2), (2, 2), (3, 3)):
        enter(net, team_skill, judge, "Lina", "J", score)
    enter(net, team_skill, "chief", "Jade", "M", "0.01")
    everyone, totals, missing = net.run(marks.totals, team_skill["skill"])
    assert [c.name for c in everyone] == ["Alpha", "Beta", "Gamma"]
    assert totals == [Fraction(30) + Fraction(140, 3), Fraction(1, 100), Fraction(0)]
    assert missing == ["Beta — J", "Gamma — J", "Gamma — M"]


def test_a_value_stored_without_the_rules_takes_the_exact_way_and_is_refused(net, team_skill):
    # Written without ``marks.enter`` (which refuses them): a judge's 2.5, a measurement
    # over its aspect. The totals in 900ths leave them to the exact rules.
    enter(net, team_skill, "chief", "Lina", "M", "30")
    for judge, score in ((1, 2), (2, 2), (3, 3)):
        enter(net, team_skill, judge, "Lina", "J", score)
    lina = team_skill["made"]["Lina"].id
    judgement = (Score.aspect == team_skill["aspects"]["J"].id) & (Score.candidate == lina)
    net.run(lambda: Score.update(value="2.50").where(judgement & (Score.value == 3)).execute())
    _everyone, totals, _missing = net.run(marks.totals, team_skill["skill"])
    assert totals[0] == Fraction(30) + Fraction(60 * 6, 9)  # int(2.5) is 2, as before
    measurement = (Score.aspect == team_skill["aspects"]["M"].id) & (Score.candidate == lina)
    net.run(lambda: Score.update(value="45").where(measurement).execute())
    with pytest.raises(ValueError, match="between 0 and 40"):
        net.run(marks.totals, team_skill["skill"])


def reference_totals(skill_id, leads):
    """Each competitor's total by the exact rules, from every ``Score`` read as a model, or
    the ``ValueError`` they raise; and what is missing."""
    aspects = competitions.aspects_of(skill_id)
    totals, missing = [], []
    for name, lead in leads:
        parts = []
        for aspect in aspects:
            given = [
                score.value
                for score in Score.select()
                .where(Score.aspect == aspect.id, Score.candidate == lead)
                .order_by(Score.judge)
            ]
            measured = aspect.kind == "measurement"
            if len(given) < (1 if measured else 3):
                missing.append(f"{name} — {aspect.code}")
            elif measured:
                parts.append(Measurement(Fraction(aspect.max_mark), given[0]))
            else:
                parts.append(Judgement(Fraction(aspect.max_mark), tuple(int(v) for v in given)))
        totals.append(skill_total(parts, out_of=None))
    return totals, missing


# A competitor's values on an aspect, in hundredths: mostly what judges enter, some not.
VALUES = st.lists(
    st.one_of(st.sampled_from([0, 100, 200, 300]), st.integers(min_value=-10, max_value=4100)),
    max_size=4,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.lists(st.integers(min_value=0, max_value=4000), min_size=1, max_size=1), VALUES
            ),
            st.one_of(
                st.lists(st.sampled_from([0, 100, 200, 300]), min_size=3, max_size=3), VALUES
            ),
        ),
        min_size=3,
        max_size=3,
    )
)
def test_the_totals_equal_the_exact_rules_on_any_scores(net, team_skill, values):
    skill = team_skill["skill"]
    leads = [("Alpha", "Lina"), ("Beta", "Jade"), ("Gamma", "Eva")]
    leads = [(name, team_skill["made"][first].id) for name, first in leads]

    def write():
        judges_ids = [j.id for j in Judge.select().where(Judge.skill == skill.id)]
        Score.delete().where(
            Score.aspect.in_([a.id for a in team_skill["aspects"].values()])
        ).execute()
        for (_name, lead), by_aspect in zip(leads, values, strict=True):
            for code, hundredths in zip("MJ", by_aspect, strict=True):
                for judge, value in zip(judges_ids, hundredths, strict=False):
                    Score.create(
                        aspect=team_skill["aspects"][code].id,
                        candidate=lead,
                        judge=judge,
                        value=Decimal(value) / 100,
                    )

    def both():
        try:
            found = marks.totals(skill)[1:]
        except ValueError as error:
            found = str(error)
        try:
            expected = reference_totals(skill.id, leads)
        except ValueError as error:
            expected = str(error)
        return found, expected

    net.run(write)
    found, expected = net.run(both)
    assert found == expected
