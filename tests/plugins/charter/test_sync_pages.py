"""A page of the standings reads the declarations of its own ambassadors, not those before.

Every web worker brings every ambassador's holds up to date as it starts, 1,000
ambassadors a page (``requirements.sync``), as the demo's generation does. With a million
ambassadors, PostgreSQL joined each page to the declarations by a merge join that read
the declarations' index from its start: page k read k × 1,000 declarations (501,000 for
the page after the 500,000th ambassador, 106 ms), a worker's sync 53 s (16 s now), the
one inside the demo's generation 18 minutes. The join now names the page's range, which
the index's scan starts from.
"""

from __future__ import annotations

import pytest

from tremplin.app import runtime_of
from tremplin.db import insert_rows, is_sqlite
from tremplin.plugins.charter import requirements
from tremplin.plugins.charter.models import Declaration

# The plan PostgreSQL chose by itself at a million ambassadors: a merge join over indexes.
MERGE_OVER_INDEXES = (
    "SET LOCAL enable_hashjoin = off",
    "SET LOCAL enable_nestloop = off",
    "SET LOCAL enable_seqscan = off",
    "SET LOCAL enable_sort = off",
)


def test_a_page_of_standings_reads_only_its_own_ambassadors_declarations(make_app, make_network):
    app = make_app(plugins=["charter"])
    database = runtime_of(app).database
    if is_sqlite(database):
        pytest.skip("PostgreSQL's merge join; SQLite looks each declaration up by its index")
    network = make_network(app)
    ids = [network.ambassador(f"Métier {number}", zones=["59"]).id for number in range(30)]
    with app.app_context(), database.connection_context():
        insert_rows(Declaration, [{"ambassador": i, "salaried": False} for i in ids])
        with database.atomic() as transaction:
            for setting in MERGE_OVER_INDEXES:
                database.execute_sql(setting)
            page = requirements.standings(after=ids[19], limit=5)
            (read,) = database.execute_sql(
                "SELECT idx_tup_fetch FROM pg_stat_xact_user_tables"
                " WHERE relname = 'charter_declaration'"
            ).fetchone()
            transaction.rollback()
    assert [standing.ambassador_id for standing in page] == ids[20:25]
    assert all(standing.salaried is False for standing in page)
    assert read <= 6, f"{read} declarations read for a page of 5"
