"""W8, worldskills: standardising the marks of a 40-skill competition.

A fresh database is filled (``tremplin.db.insert_rows``) with national finals of 40 skills
(``--plugin-work-scale`` 1; at least 2), one in ten a team skill. Each skill has 24
competitors (12 teams of two in a team skill) and two candidates still pending, a marking
team of 24 (the chief expert and one expert per competitor, as at WorldSkills), and a
marking scheme of 55 aspects out of 100: 40 measurement aspects of 1.75 marks and 15
judgement aspects of 2 marks scored 0 to 3 by three judges. Every mark is entered: 85
scores a competitor, some 78,000 in all.

Measured: the application's way, the chief expert locking each skill's marks
(``marks.lock``): the checks, each competitor's total from the aspects
(``marking.skill_total``), the standardisation on the WorldSkills Scale as the region
configures it (``scoring.Scale``), the medals, the results written and the lock logged.
Floor: two SELECTs through the driver (the scores with their aspect, the accepted
candidates), the totals in integers (900ths of a mark: exact), the scale scores with the
``statistics`` module (median, standard deviation) on plain lists, the ranks and medals,
then the same writes (results, lock, log) in one transaction. Both leave the same results,
checked before timing: same competitors, ranks and medals, marks to the hundredth, scale
scores to 1e-9 (the plugin rounds them only to display, to the point).
"""

from __future__ import annotations

import bisect
import datetime
import math
import random
import statistics
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..datasets import Database, Store
from ..floors import Driver
from ..instance import bundled_plugins, make_app
from ..measures import Options, Row, median, say
from . import alternated, with_defaults

SKILLS = 40  # at scale 1 (issue 21)
COMPETITORS = 24  # per skill; a team skill has half as many teams of two
PENDING = 2  # candidates per skill a referent has not checked yet (not marked)
TEAM_EVERY = 10  # one skill in ten is a team skill
MEASUREMENTS = (40, Decimal("1.75"))  # aspects, and the marks each is worth
JUDGEMENTS = (15, Decimal("2"))
JUDGES = 3
REPEATS = 3
FLOOR_TARGET = 2.0
SCALE = 900  # totals in 900ths of a mark: hundredths (marks) over 9 (3 judges x 0-3)
MEDALS = {1: "gold", 2: "silver", 3: "bronze"}


def measure(store: Store, options: Options) -> list[Row]:
    """The W8 worldskills row: every skill's marks locked and standardised, app and floor."""
    skills = max(2, round(SKILLS * options.plugin_work_scale))
    database = store.fresh("worldskills")
    try:
        return [_measure(database, skills)]
    finally:
        store.drop(database)


def _measure(database: Database, skills: int) -> Row:
    from tremplin.plugins.worldskills import service
    from tremplin.plugins.worldskills.models import Result

    app = make_app(database.url, database.queue_url, bundled_plugins())
    runtime = app.extensions["tremplin"].runtime
    with app.app_context(), runtime.database.connection_context():
        say(f"W8 {database.kind}: worldskills, {skills} skills")
        competition, account, scores = _fill(skills)
        method = service.scale()
        medallions = service.settings()["medallions"]
        driver = Driver(database.url)
        try:

            def app_way() -> None:
                _app_lock(competition, account)

            def floor() -> None:
                _floor_lock(driver, competition, account, method, medallions)

            app_way()
            expected = _results()
            _unlock(competition)
            floor()
            _same_results(expected, _results())
            app_times, floor_times = alternated(
                app_way, floor, REPEATS, before=lambda: _unlock(competition)
            )
            results = Result.select().count()
        finally:
            driver.close()
    value, floor_value = median(app_times) * 1000, median(floor_times) * 1000
    ratio = value / floor_value
    return Row(
        workload="W8 plugin work",
        database=database.kind,
        size=f"{skills} skills, {scores} scores",
        measure=f"worldskills: locking and standardising every skill (marks.lock), "
        f"{results} results",
        value=value,
        unit="ms",
        floor="2 SELECTs via driver + statistics on lists + the same writes",
        floor_value=floor_value,
        ratio=ratio,
        target=f"≤ {FLOOR_TARGET:g}x",
        met=ratio <= FLOOR_TARGET,
    )


# The application's way


def _app_lock(competition: int, account: Any) -> None:
    """The chief expert locks every skill's marks, as on the skill's page."""
    from tremplin.plugins.worldskills import marks
    from tremplin.plugins.worldskills.models import Skill

    for skill in Skill.select(Skill.id).where(Skill.competition == competition).order_by(Skill.id):
        marks.lock(account, skill.id)


def _unlock(competition: int) -> None:
    """Back to marks entered and not locked (untimed, before each run)."""
    from tremplin.db import database
    from tremplin.plugins.worldskills.models import MarkChange, Result, Skill

    skills = Skill.select(Skill.id).where(Skill.competition == competition)
    with database.atomic():
        Result.delete().where(Result.skill.in_(skills)).execute()
        MarkChange.delete().where(MarkChange.action == "locked").execute()
        Skill.update(locked_at=None, locked_by=None).where(Skill.id.in_(skills)).execute()


Results = dict[int, tuple[int, str, Decimal, float, int, str | None]]


def _results() -> Results:
    """``{candidate: (skill, competitor, marks, scale score, rank, award)}``."""
    from tremplin.plugins.worldskills.models import Result

    return {
        r.candidate_id: (r.skill_id, r.competitor, r.marks, r.scale_score, r.rank, r.award)
        for r in Result.select()
    }


def _same_results(expected: Results, found: Results) -> None:
    """Raise unless the floor wrote the app's results (scale scores to 1e-9)."""
    if expected.keys() != found.keys():
        raise RuntimeError("W8 worldskills: the floor's results are not the app's candidates")
    for candidate, (*same, score, rank, award) in expected.items():
        *other, other_score, other_rank, other_award = found[candidate]
        if (
            same != other
            or (rank, award) != (other_rank, other_award)
            or not math.isclose(score, other_score, rel_tol=0, abs_tol=1e-9)
        ):
            raise RuntimeError(
                f"W8 worldskills: candidate {candidate}: app {expected[candidate]}, "
                f"floor {found[candidate]}"
            )


# The floor


def _floor_lock(
    driver: Driver, competition: int, account: Any, method: Any, medallions: bool
) -> None:
    """The same results from two SELECTs and plain Python, written in one transaction."""
    mark = driver.placeholder
    cursor = driver.connection.cursor()
    cursor.execute(
        "SELECT a.skill_id, s.candidate_id, a.kind, a.max_mark, s.value "
        "FROM worldskills_score s JOIN worldskills_aspect a ON a.id = s.aspect_id "
        f"JOIN worldskills_skill k ON k.id = a.skill_id WHERE k.competition_id = {mark}",
        (competition,),
    )
    totals: dict[int, int] = {}
    for _skill, lead, kind, max_mark, value in cursor.fetchall():
        if kind == "measurement":
            points = round(value * 100) * (SCALE // 100)
        else:  # a judge's 0-3: (sum of 3 judges) / 9 x max_mark, in 900ths
            points = round(value) * round(max_mark * 100)
        totals[lead] = totals.get(lead, 0) + points
    cursor.execute(
        "SELECT c.id, c.skill_id, c.team, k.team FROM worldskills_candidate c "
        f"JOIN worldskills_skill k ON k.id = c.skill_id WHERE k.competition_id = {mark} "
        f"AND c.status = {mark} ORDER BY c.id",
        (competition, "accepted"),
    )
    entries: dict[int, dict[str, list[int]]] = {}
    for candidate, skill, team, team_skill in cursor.fetchall():
        key = f"t:{team or f'#{candidate}'}" if team_skill else f"c{candidate}"
        entries.setdefault(skill, {}).setdefault(key, []).append(candidate)
    moment = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    rows = []
    for skill, competitors in entries.items():
        marks = [totals.get(members[0], 0) for members in competitors.values()]
        scores = _standardised(marks, method)
        ascending = sorted(scores)
        for (key, members), total, score in zip(competitors.items(), marks, scores, strict=True):
            rank = 1 + len(ascending) - bisect.bisect_right(ascending, score)
            award = MEDALS.get(rank)
            if award is None and medallions and score >= method.medallion_from:
                award = "medallion"
            for member in members:
                rows.append((skill, member, key, round(total / SCALE, 2), score, rank, award))
    with driver.transaction() as writer:
        writer.execute(
            f"DELETE FROM worldskills_result WHERE skill_id IN "
            f"(SELECT id FROM worldskills_skill WHERE competition_id = {mark})",
            (competition,),
        )
        writer.executemany(
            "INSERT INTO worldskills_result "
            "(skill_id, candidate_id, competitor, marks, scale_score, rank, award) "
            f"VALUES ({', '.join([mark] * 7)})",
            rows,
        )
        writer.execute(
            f"UPDATE worldskills_skill SET locked_at = {mark}, locked_by_id = {mark} "
            f"WHERE competition_id = {mark}",
            (moment, account.id, competition),
        )
        writer.executemany(
            "INSERT INTO worldskills_mark_change (skill_id, action, changed_by_id, changed_at) "
            f"VALUES ({mark}, 'locked', {mark}, {mark})",
            [(skill, account.id, moment) for skill in entries],
        )


def _standardised(marks: list[int], method: Any) -> list[float]:
    """centre + (mark − median) / SD × points per SD, with ``statistics``; the centre for
    everyone when the SD is 0."""
    deviation = statistics.pstdev if method.sd == "population" else statistics.stdev
    spread = deviation(marks) if len(marks) > 1 else 0
    if spread == 0:
        return [float(method.centre)] * len(marks)
    middle = statistics.median(marks)
    return [method.centre + (mark - middle) / spread * method.points_per_sd for mark in marks]


# The data


def _fill(skills: int) -> tuple[int, Any, int]:
    """The competition, its skills, schemes, candidates, judges and every mark, in bulk;
    ``(competition id, the chief experts' account, scores)``."""
    from tremplin.auth.models import Account, AccountStatus
    from tremplin.db import database, insert_rows
    from tremplin.plugins.worldskills.models import (
        Aspect,
        AspectKind,
        Candidate,
        CandidateStatus,
        Competition,
        Judge,
        JudgeRole,
        Level,
        Pathway,
        Score,
        Skill,
    )

    chance = random.Random(48)
    now = datetime.datetime(2026, 11, 14, 16, 0)
    with database.atomic():
        competition = Competition.create(
            name="Finales nationales WorldSkills France",
            level=Level.NATIONAL,
            edition="49e édition",
            starts_on=datetime.date(2026, 11, 10),
            ends_on=datetime.date(2026, 11, 14),
        )
        experts = skills * (COMPETITORS - 1)
        insert_rows(
            Account,
            [
                with_defaults(
                    Account,
                    {
                        "email": f"expert{number}@bench.example.org",
                        "first_name": "Expert",
                        "last_name": f"N{number}",
                        "status": AccountStatus.ACTIVE,
                    },
                )
                for number in range(experts + 1)
            ],
        )
        accounts = [a.id for a in Account.select(Account.id).order_by(Account.id)]
        chief, accounts = accounts[0], accounts[1:]
        insert_rows(
            Skill,
            [
                with_defaults(
                    Skill,
                    {
                        "competition": competition.id,
                        "number": number,
                        "name": f"Métier {number}",
                        "team": number % TEAM_EVERY == 1,
                        "max_age": 22,
                    },
                )
                for number in range(1, skills + 1)
            ],
        )
        skill_rows = list(Skill.select().where(Skill.competition == competition.id))
        aspects, judges, candidates = [], [], []
        for position, skill in enumerate(skill_rows):
            for kind, (count, worth) in (
                (AspectKind.MEASUREMENT, MEASUREMENTS),
                (AspectKind.JUDGEMENT, JUDGEMENTS),
            ):
                for number in range(count):
                    code = f"{kind.value[0].upper()}{number + 1:02d}"
                    aspects.append(
                        {
                            "skill": skill.id,
                            "code": code,
                            "title": code,
                            "kind": kind,
                            "max_mark": worth,
                        }
                    )
            team = COMPETITORS - 1
            judges.append({"skill": skill.id, "account": chief, "role": JudgeRole.CHIEF_EXPERT})
            for account in accounts[position * team : (position + 1) * team]:
                judges.append({"skill": skill.id, "account": account, "role": JudgeRole.EXPERT})
            for number in range(COMPETITORS + PENDING):
                candidates.append(
                    with_defaults(
                        Candidate,
                        {
                            "competition": competition.id,
                            "skill": skill.id,
                            "first_name": "Camille",
                            "last_name": f"Candidat {skill.number}-{number}",
                            "identity": f"camille candidat {skill.number}-{number}",
                            "birth_date": datetime.date(2004 + number % 5, 1 + number % 12, 10),
                            "pathway": chance.choice(list(Pathway)),
                            "team": f"Équipe {number // 2}" if skill.team else None,
                            "status": CandidateStatus.PENDING
                            if number >= COMPETITORS
                            else CandidateStatus.ACCEPTED,
                            "consent_at": now,
                        },
                    )
                )
        insert_rows(Aspect, aspects)
        insert_rows(Judge, judges)
        insert_rows(Candidate, candidates)
        scores = list(_scores(chance, competition.id, now))
        insert_rows(Score, scores)
    account = Account.get_by_id(chief)
    return competition.id, account, len(scores)


def _scores(chance: random.Random, competition: int, moment: datetime.datetime) -> Iterable[dict]:
    """Every mark of every competitor (a team through its first member), by ability."""
    from tremplin.plugins.worldskills.models import (
        Aspect,
        Candidate,
        CandidateStatus,
        Judge,
        JudgeRole,
        Skill,
    )

    skills = list(Skill.select().where(Skill.competition == competition).order_by(Skill.id))
    for skill in skills:
        aspects = list(Aspect.select().where(Aspect.skill == skill.id).order_by(Aspect.code))
        team = list(Judge.select().where(Judge.skill == skill.id).order_by(Judge.id))
        chief = next(j.id for j in team if j.role == JudgeRole.CHIEF_EXPERT)
        experts = [j.id for j in team if j.role != JudgeRole.CHIEF_EXPERT]
        accepted = (
            Candidate.select()
            .where(Candidate.skill == skill.id, Candidate.status == CandidateStatus.ACCEPTED)
            .order_by(Candidate.id)
        )
        leads: dict[str, int] = {}
        for candidate in accepted:
            leads.setdefault(candidate.team or f"#{candidate.id}", candidate.id)
        for lead in leads.values():
            ability = chance.uniform(0.45, 0.95)
            for aspect in aspects:
                if aspect.kind == "measurement":
                    share = min(1.0, max(0.0, chance.gauss(ability, 0.2)))
                    value = (aspect.max_mark * Decimal(str(round(share, 2)))).quantize(
                        Decimal("0.01")
                    )
                    yield {
                        "aspect": aspect.id,
                        "candidate": lead,
                        "judge": chief,
                        "value": value,
                        "entered_at": moment,
                    }
                    continue
                for judge in chance.sample(experts, JUDGES):
                    score = min(3, max(0, round(chance.gauss(ability * 3, 0.6))))
                    yield {
                        "aspect": aspect.id,
                        "candidate": lead,
                        "judge": judge,
                        "value": Decimal(score),
                        "entered_at": moment,
                    }
