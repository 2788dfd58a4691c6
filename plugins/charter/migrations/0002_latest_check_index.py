"""An ambassador's latest record check read from one index: (ambassador, id).

The standings read each ambassador's latest check (``ORDER BY id DESC LIMIT 1`` among the
ambassador's checks). With an index on the ambassador alone, PostgreSQL without fresh
statistics (a network just generated or imported, before autovacuum has analysed it)
walked the checks' primary key backwards for each ambassador: syncing the holds of 100,000
ambassadors took several seconds a page of 1,000. The index on (ambassador, id) answers in
one descent whatever the statistics, and serves every query the index on the ambassador
served, which it replaces.
"""


def up(migrator, db):
    db.execute_sql(
        "CREATE INDEX recordcheck_ambassador_id_id ON charter_record_check (ambassador_id, id)"
    )
    db.execute_sql("DROP INDEX recordcheck_ambassador_id")
