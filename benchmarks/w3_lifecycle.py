"""W3: the request lifecycle per second (request, accept on a proposed date, complete).

Through ``tremplin.interventions.service``, in this process, as the pages and the API call
it: a teacher of the demo asks ambassadors found by the directory for a class talk in the
school, each ambassador accepts on the proposed date, which schedules it, and (the clock
moved past the date with ``tremplin.clock.travel``) the teacher writes the report. Every
hook fires and every notification is queued, as in production. Dates are a year ahead and
one month apart for each ambassador, so that no monthly capacity is exceeded.

Floor: the same writes as raw SQL through the driver, in as many transactions (insert
the request and its slot and mark the ambassador solicited; two guarded ``UPDATE ...
WHERE status = old``, the acceptance setting when it was answered and scheduled, then the
report with its row): what any implementation has to write. Target: the request side at
least a fifth of the floor's rate (issue 21).

The request side is what the pages and the API do before they answer, and at the end of
each request: the transitions, the plugins' ``intervention_changed`` (a ledger, the
monthly figures), and handing the announcements to the task queue (SQLite storage, as
by default). Telling people is the worker's (``tremplin.interventions.announcements``):
the notifications, the emails queued with their calendar invitations (.ics), then the
emails rendered from their templates (the mail backend is a dummy: nothing leaves). The
second row is that work, measured by running the queue's tasks in this process once the
lifecycles are done, per lifecycle, beside the floor's time per lifecycle (no target).
"""

from __future__ import annotations

import datetime
import re
import time

from .datasets import Database
from .floors import Driver, captured_sql
from .instance import bundled_plugins, environment, make_app, tremplin
from .measures import Options, Row, say

TEACHER = "enseignant@demo.example.org"
AMBASSADORS = 50  # at most; each gets one request a month
FLOOR_TARGET = 5  # the request side at least a fifth of the raw write rate


def measure(database: Database, options: Options) -> list[Row]:
    """The W3 rows for ``database``: the request side, and the worker's share."""
    from tremplin.mail.delivery import keep_in_outbox

    size = database.size.label
    say(f"W3 {database.kind} {size}: request lifecycle")
    tremplin(environment(database.url, database.queue_url), "db", "upgrade")
    app = make_app(database.url, database.queue_url, bundled_plugins())
    keep_in_outbox(app)
    with app.app_context():
        runtime = app.extensions["tremplin"].runtime
        with runtime.database.connection_context():
            cast = _cast(options.lifecycles)
            with captured_sql() as statements:
                _lifecycle(cast, 0)
            _work_off(runtime.queue)
            writes = [s for s in statements if not s[0].lstrip().upper().startswith("SELECT")]
            started, cpu = time.perf_counter(), time.process_time()
            for number in range(1, options.lifecycles + 1):
                _lifecycle(cast, number)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            started, worker_cpu = time.perf_counter(), time.process_time()
            tasks = _work_off(runtime.queue)
            worker_seconds = time.perf_counter() - started
            worker_cpu = time.process_time() - worker_cpu
    each = 1000 / options.lifecycles
    say(
        f"W3: CPU per lifecycle {cpu * each:.1f} ms in the requests, {worker_cpu * each:.1f} ms "
        f"in the worker ({tasks} tasks)"
    )
    floor_seconds = _raw_lifecycles(database, writes, options.lifecycles)
    rate, floor_rate = options.lifecycles / seconds, options.lifecycles / floor_seconds
    return [
        Row(
            workload="W3 lifecycle",
            database=database.kind,
            size=size,
            measure="request → accept (scheduled) → complete: request side",
            value=rate,
            unit="lifecycles/s",
            floor="same writes as raw SQL",
            floor_value=floor_rate,
            ratio=floor_rate / rate,
            target=f"≤ {FLOOR_TARGET:g}x",
            met=floor_rate / rate <= FLOOR_TARGET,
        ),
        Row(
            workload="W3 lifecycle",
            database=database.kind,
            size=size,
            measure="worker: announcing and rendering, per lifecycle",
            value=worker_seconds * each,
            unit="ms",
            floor="same writes as raw SQL, per lifecycle",
            floor_value=floor_seconds * each,
            ratio=worker_seconds / floor_seconds,
        ),
    ]


def _work_off(queue) -> int:
    """Run every task waiting in ``queue`` (and those they queue), as the worker does; how
    many ran. Periodic tasks are left out: they are not the lifecycles' work."""
    count = 0
    while (task := queue.dequeue()) is not None:
        queue.execute(task)
        count += 1
    return count


def _cast(count: int) -> dict:
    """The teacher, their school, an audience level and ambassadors who can be asked."""
    from tremplin.auth.models import Account, Role, RoleGrant
    from tremplin.interventions.models import AudienceLevel
    from tremplin.people import directory

    teacher = Account.get(Account.email == TEACHER)
    grant = (
        RoleGrant.select()
        .where(RoleGrant.account == teacher.id, RoleGrant.role == Role.EDUCATOR)
        .order_by(RoleGrant.id)
        .first()
    )
    filters = directory.Filters(
        organisation=grant.organisation_id, intervention_type="class_talk", mode="on_site"
    )
    query, _place, _distance2 = directory.candidates(filters)
    found = list(query.order_by(directory.Ambassador.id).limit(min(AMBASSADORS, count + 1)))
    if not found:
        raise RuntimeError("W3: no ambassador can be asked by the demo teacher's school")
    return {
        "teacher": teacher,
        "school": grant.organisation_id,
        "level": AudienceLevel.COLLEGE_4.value,
        "ambassadors": [(row.id, Account.get_by_id(row.account_id)) for row in found],
    }


def _lifecycle(cast: dict, number: int) -> None:
    from tremplin.clock import now, travel
    from tremplin.interventions import service

    ambassadors = cast["ambassadors"]
    ambassador_id, ambassador_account = ambassadors[number % len(ambassadors)]
    month = number // len(ambassadors)
    day = (now() + datetime.timedelta(days=365 + 35 * month)).date()
    day += datetime.timedelta(days=(7 - day.weekday()) % 7 + 1)  # a Tuesday
    teacher = cast["teacher"]
    request = service.request_intervention(
        teacher,
        {
            "ambassador": ambassador_id,
            "organisation": cast["school"],
            "intervention_type": "class_talk",
            "mode": "on_site",
            "audience_level": cast["level"],
            "group_size": 24,
            "duration_minutes": 45,
            "topic": "Découverte du métier",
            "slots": [f"{day.isoformat()}T10:00:00"],
        },
    )
    _answered()
    scheduled = service.accept(ambassador_account, request.id, {})
    _answered()
    with travel(scheduled.starts_at - now() + datetime.timedelta(hours=2)):
        service.complete(teacher, request.id, {"reach": {cast["level"]: 22}})
    _answered()


def _answered() -> None:
    """What the end of a request does: hand what it recorded to the task queue."""
    from tremplin.interventions import announcements
    from tremplin.mail import service as mail

    announcements.dispatch_recorded()
    mail.dispatch_queued()


INSERT = re.compile(r'INSERT INTO "(\w+)" \(([^)]*)\)', re.IGNORECASE)


def _raw_lifecycles(database: Database, writes, count: int) -> float:
    """Seconds ``count`` raw lifecycles take, modelled on one real lifecycle's writes."""
    inserts = {}
    for sql, params in writes:
        match = INSERT.match(sql.lstrip())
        if match and match.group(1) not in inserts:
            columns = [name.strip().strip('"') for name in match.group(2).split(",")]
            inserts[match.group(1)] = (sql, list(params), columns)
    missing = {"intervention", "intervention_slot", "intervention_reach"} - set(inserts)
    if missing:
        raise RuntimeError(f"W3: no INSERT INTO {', '.join(sorted(missing))} was recorded")
    driver = Driver(database.url)
    mark = driver.placeholder

    def stamp() -> object:
        moment = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        return moment.isoformat(" ") if driver.sqlite else moment

    def child(table: str, intervention_id: int) -> tuple[str, list]:
        sql, params, columns = inserts[table]
        params = list(params)
        params[columns.index("intervention_id")] = intervention_id
        return sql, params

    def move(cursor, intervention_id: int, old: str, new: str, *columns: str) -> None:
        moment = stamp()
        assignments = "".join(f', "{column}" = {mark}' for column in columns)
        cursor.execute(
            f'UPDATE "intervention" SET "status" = {mark}{assignments} '
            f'WHERE "id" = {mark} AND "status" = {mark}',
            (new, *(moment for _ in columns), intervention_id, old),
        )
        if cursor.rowcount != 1:
            raise RuntimeError(f"W3 floor: {old} -> {new} changed {cursor.rowcount} rows")

    sql, params, columns = inserts["intervention"]
    ambassador_id = params[columns.index("ambassador_id")]
    try:
        started = time.perf_counter()
        for _ in range(count):
            with driver.transaction() as cursor:
                cursor.execute(sql, params)
                intervention_id = cursor.lastrowid if driver.sqlite else cursor.fetchone()[0]
                cursor.execute(*child("intervention_slot", intervention_id))
                cursor.execute(
                    f'UPDATE "ambassador" SET "last_solicited_at" = {mark} WHERE "id" = {mark}',
                    (stamp(), ambassador_id),
                )
            with driver.transaction() as cursor:
                move(
                    cursor, intervention_id, "requested", "scheduled", "answered_at", "scheduled_at"
                )
            with driver.transaction() as cursor:
                move(cursor, intervention_id, "scheduled", "completed", "completed_at")
                cursor.execute(*child("intervention_reach", intervention_id))
        return time.perf_counter() - started
    finally:
        driver.close()
