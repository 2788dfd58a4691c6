"""An ambassador's latest record check is read from one index, whatever the statistics.

The standings (the holds, the referents' lists, every worker's sync at start) read each
ambassador's latest check. On a database the planner knows nothing of yet (a network just
generated or imported: a test's database is one), PostgreSQL walked every check of the
table backwards by id for each ambassador: the sync of 100,000 generated ambassadors took
seconds a page of 1,000.
"""

from __future__ import annotations

import datetime

from tremplin.app import runtime_of
from tremplin.db import insert_rows, is_sqlite
from tremplin.plugins.charter.models import RecordCheck

LATEST_CHECK = (
    "SELECT status FROM charter_record_check WHERE ambassador_id = {mark} ORDER BY id DESC LIMIT 1"
)


def plan_of_latest_check(app, ambassador_id: int) -> str:
    """The plan of the standings' latest-check lookup, as text."""
    database = runtime_of(app).database
    query = LATEST_CHECK.format(mark=database.param)
    with app.app_context(), database.connection_context():
        if is_sqlite(database):
            rows = database.execute_sql(f"EXPLAIN QUERY PLAN {query}", (ambassador_id,))
            return "\n".join(row[-1] for row in rows.fetchall())
        rows = database.execute_sql(f"EXPLAIN {query}", (ambassador_id,))
        return "\n".join(row[0] for row in rows.fetchall())


def test_the_latest_check_of_an_ambassador_is_one_index_descent(make_app, make_network):
    app = make_app(plugins=["charter"])
    network = make_network(app)
    busy = network.ambassador("Soudeuse", zones=["59"])
    other = network.ambassador("Infirmier", zones=["62"])
    declared = datetime.datetime(2026, 1, 5, 9, 0)
    with app.app_context():
        insert_rows(
            RecordCheck,
            [
                {"ambassador": busy.id, "status": "refused", "declared_at": declared}
                for _ in range(3000)
            ],
        )

    plan = plan_of_latest_check(app, other.id)

    if is_sqlite(runtime_of(app).database):
        assert "USING INDEX recordcheck_ambassador_id_id (ambassador_id=?)" in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # no sort: the index gives the order
    else:
        assert "recordcheck_ambassador_id_id" in plan, plan
        assert "Index Cond: (ambassador_id = " in plan, plan
        assert "Filter" not in plan, plan
        assert "Sort" not in plan, plan  # no sort: the index gives the order
