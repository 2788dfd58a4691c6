"""The region's counts of people, kept by the database where the people change.

``stats_people_totals`` holds six numbers of the region as they stand now: the active
ambassadors by declared gender (``female``, ``male``, ``other``, ``unknown`` for anything
else or nothing), those of them whose image-rights choice in force is a consent
(``consenting``), and the active accounts holding an approved educator role for an
organisation (``educators``). Triggers on ``account``, ``ambassador``,
``image_rights_decision`` and ``role_grant`` add each change's difference in the
statement that makes it, so in its transaction, whichever service, plugin or bulk write
made it. A row deleted by a cascade finds its parent gone and changes nothing: the
parent's own ``BEFORE DELETE`` trigger took the whole person out while everything was
still there (SQLite and PostgreSQL both run the cascades after the parent's row is gone).

The key figures add to these numbers what happened after the end of their period
(``tremplin.stats.registered``), through the three indexes made here. The triggers are
written once, in SQL both databases read, and wrapped for each: SQLite's ``CREATE
TRIGGER ... BEGIN ... END``, PostgreSQL's PL/pgSQL function and its trigger. Then the
numbers are counted from the people, as ``tremplin stats rebuild`` does.
"""

from tremplin.db import is_sqlite

ACTIVE = "'active'"
GENDER = "CASE WHEN {0} IN ('female', 'male', 'other') THEN {0} ELSE 'unknown' END"
# The choice in force: the latest decision recorded (1 for a consent), 0 without any.
CONSENT = (
    "COALESCE((SELECT CASE WHEN d.consented THEN 1 ELSE 0 END FROM image_rights_decision d"
    " WHERE d.ambassador_id = {0}{1} ORDER BY d.id DESC LIMIT 1), 0)"
)
QUALIFIES = "{0}.role = 'educator' AND NOT {0}.pending AND {0}.organisation_id IS NOT NULL"
EDUCATOR = (
    "EXISTS (SELECT 1 FROM role_grant g WHERE g.account_id = {0}{1} AND "
    + QUALIFIES.format("g")
    + ")"
)
ACCOUNT_ACTIVE = "(SELECT a.status FROM account a WHERE a.id = {0}) = " + ACTIVE
AMBASSADOR_ACTIVE = (
    "(SELECT a.status FROM ambassador m JOIN account a ON a.id = m.account_id"
    " WHERE m.id = {0}) = " + ACTIVE
)
ACCOUNT_GENDER = "(SELECT " + GENDER.format("a.gender") + " FROM account a WHERE a.id = {0})"


def add(figure: str, delta: str, condition: str, gender: str = "''") -> str:
    """Add ``delta`` to the number ``figure`` (and ``gender``) when ``condition`` holds, its
    row made if missing."""
    return (
        f"INSERT INTO stats_people_totals (figure, gender, total) SELECT '{figure}', {gender},"
        f" {delta} WHERE {condition} ON CONFLICT (figure, gender)"
        " DO UPDATE SET total = stats_people_totals.total + excluded.total"
    )


def has_ambassador(account: str, consenting: bool = False) -> str:
    """The account has an ambassador profile (whose choice in force is a consent)."""
    consent = f" AND {CONSENT.format('m.id', '')} = 1" if consenting else ""
    return f"EXISTS (SELECT 1 FROM ambassador m WHERE m.account_id = {account}{consent})"


def became(new: str, old: str) -> str:
    """1 when ``new`` holds and ``old`` did not, -1 the other way round, else 0."""
    return f"(CASE WHEN {new} THEN 1 ELSE 0 END) - (CASE WHEN {old} THEN 1 ELSE 0 END)"


NOW_ACTIVE, WAS_ACTIVE = f"NEW.status = {ACTIVE}", f"OLD.status = {ACTIVE}"
# (name, timing and event, table, condition or None, statements); ``{distinct}`` is each
# database's "is distinct from".
TRIGGERS = [
    (
        "stats_people_account_changed",
        "AFTER UPDATE OF status, gender",
        "account",
        "OLD.status {distinct} NEW.status OR OLD.gender {distinct} NEW.gender",
        [
            add(
                "ambassadors",
                "-1",
                f"{WAS_ACTIVE} AND {has_ambassador('OLD.id')}",
                GENDER.format("OLD.gender"),
            ),
            add(
                "ambassadors",
                "1",
                f"{NOW_ACTIVE} AND {has_ambassador('NEW.id')}",
                GENDER.format("NEW.gender"),
            ),
            add(
                "consenting",
                became(NOW_ACTIVE, WAS_ACTIVE),
                f"({NOW_ACTIVE}) <> ({WAS_ACTIVE}) AND {has_ambassador('NEW.id', True)}",
            ),
            add(
                "educators",
                became(NOW_ACTIVE, WAS_ACTIVE),
                f"({NOW_ACTIVE}) <> ({WAS_ACTIVE}) AND {EDUCATOR.format('NEW.id', '')}",
            ),
        ],
    ),
    (
        "stats_people_account_deleted",
        "BEFORE DELETE",
        "account",
        None,
        [
            add(
                "ambassadors",
                "-1",
                f"{WAS_ACTIVE} AND {has_ambassador('OLD.id')}",
                GENDER.format("OLD.gender"),
            ),
            add("consenting", "-1", f"{WAS_ACTIVE} AND {has_ambassador('OLD.id', True)}"),
            add("educators", "-1", f"{WAS_ACTIVE} AND {EDUCATOR.format('OLD.id', '')}"),
        ],
    ),
    (
        "stats_people_ambassador_added",
        "AFTER INSERT",
        "ambassador",
        None,
        [
            add(
                "ambassadors",
                "1",
                ACCOUNT_ACTIVE.format("NEW.account_id"),
                ACCOUNT_GENDER.format("NEW.account_id"),
            ),
            add(
                "consenting",
                "1",
                f"{ACCOUNT_ACTIVE.format('NEW.account_id')} AND {CONSENT.format('NEW.id', '')} = 1",
            ),
        ],
    ),
    (
        "stats_people_ambassador_moved",
        "AFTER UPDATE OF account_id",
        "ambassador",
        "OLD.account_id {distinct} NEW.account_id",
        [
            add(
                "ambassadors",
                "-1",
                ACCOUNT_ACTIVE.format("OLD.account_id"),
                ACCOUNT_GENDER.format("OLD.account_id"),
            ),
            add(
                "ambassadors",
                "1",
                ACCOUNT_ACTIVE.format("NEW.account_id"),
                ACCOUNT_GENDER.format("NEW.account_id"),
            ),
            add(
                "consenting",
                became(
                    ACCOUNT_ACTIVE.format("NEW.account_id"),
                    ACCOUNT_ACTIVE.format("OLD.account_id"),
                ),
                f"{CONSENT.format('NEW.id', '')} = 1",
            ),
        ],
    ),
    (
        "stats_people_ambassador_deleted",
        "BEFORE DELETE",
        "ambassador",
        None,
        [
            add(
                "ambassadors",
                "-1",
                ACCOUNT_ACTIVE.format("OLD.account_id"),
                ACCOUNT_GENDER.format("OLD.account_id"),
            ),
            add(
                "consenting",
                "-1",
                f"{ACCOUNT_ACTIVE.format('OLD.account_id')} AND {CONSENT.format('OLD.id', '')} = 1",
            ),
        ],
    ),
    (
        # A new decision changes the choice in force when it is the latest.
        "stats_people_image_rights_decided",
        "AFTER INSERT",
        "image_rights_decision",
        None,
        [
            add(
                "consenting",
                "(CASE WHEN NEW.consented THEN 1 ELSE 0 END) - "
                + CONSENT.format("NEW.ambassador_id", " AND d.id < NEW.id"),
                f"{AMBASSADOR_ACTIVE.format('NEW.ambassador_id')} AND NOT EXISTS (SELECT 1"
                " FROM image_rights_decision d WHERE d.ambassador_id = NEW.ambassador_id"
                " AND d.id > NEW.id)",
            )
        ],
    ),
    (
        # Deleting the latest decision puts the one before it in force (or none).
        "stats_people_image_rights_forgotten",
        "AFTER DELETE",
        "image_rights_decision",
        None,
        [
            add(
                "consenting",
                CONSENT.format("OLD.ambassador_id", "")
                + " - (CASE WHEN OLD.consented THEN 1 ELSE 0 END)",
                f"{AMBASSADOR_ACTIVE.format('OLD.ambassador_id')} AND NOT EXISTS (SELECT 1"
                " FROM image_rights_decision d WHERE d.ambassador_id = OLD.ambassador_id"
                " AND d.id > OLD.id)",
            )
        ],
    ),
    (
        "stats_people_role_granted",
        "AFTER INSERT",
        "role_grant",
        None,
        [
            add(
                "educators",
                "1",
                f"{QUALIFIES.format('NEW')} AND {ACCOUNT_ACTIVE.format('NEW.account_id')}"
                f" AND NOT {EDUCATOR.format('NEW.account_id', ' AND g.id <> NEW.id')}",
            )
        ],
    ),
    (
        # The grant was the account's only educator role before: it still counts if the
        # grant, changed, still gives it. Or it is now the only one, and was not before.
        "stats_people_role_changed",
        "AFTER UPDATE OF role, pending, organisation_id, account_id",
        "role_grant",
        "OLD.role {distinct} NEW.role OR OLD.pending {distinct} NEW.pending"
        " OR OLD.organisation_id {distinct} NEW.organisation_id"
        " OR OLD.account_id {distinct} NEW.account_id",
        [
            add(
                "educators",
                f"(CASE WHEN {EDUCATOR.format('OLD.account_id', '')} THEN 1 ELSE 0 END) - 1",
                f"{QUALIFIES.format('OLD')} AND {ACCOUNT_ACTIVE.format('OLD.account_id')}"
                f" AND NOT {EDUCATOR.format('OLD.account_id', ' AND g.id <> OLD.id')}",
            ),
            add(
                "educators",
                "1",
                f"{QUALIFIES.format('NEW')} AND {ACCOUNT_ACTIVE.format('NEW.account_id')}"
                f" AND NOT {EDUCATOR.format('NEW.account_id', ' AND g.id <> NEW.id')}"
                f" AND NOT ({QUALIFIES.format('OLD')} AND OLD.account_id = NEW.account_id)",
            ),
        ],
    ),
    (
        "stats_people_role_withdrawn",
        "AFTER DELETE",
        "role_grant",
        None,
        [
            add(
                "educators",
                "-1",
                f"{QUALIFIES.format('OLD')} AND {ACCOUNT_ACTIVE.format('OLD.account_id')}"
                f" AND NOT {EDUCATOR.format('OLD.account_id', '')}",
            )
        ],
    ),
]

# Where the key figures find what happened after the end of a period.
INDEXES = [
    "CREATE INDEX stats_ambassador_created_at ON ambassador (created_at, account_id)",
    "CREATE INDEX stats_image_rights_decided_at ON image_rights_decision"
    " (decided_at, ambassador_id)",
    # Without the role: a territory's educators are counted through ``role_grant (role)``,
    # in the order of the rows, which SQLite would leave for this one if it held the role.
    "CREATE INDEX stats_role_grant_created_at ON role_grant (created_at, account_id)",
]


def sqlite_trigger(
    name: str, event: str, table: str, condition: str | None, statements: list[str]
) -> list[str]:
    """The statements making the trigger on SQLite."""
    when = f" WHEN {condition.format(distinct='IS NOT')}" if condition else ""
    body = "".join(f"    {statement};\n" for statement in statements)
    return [f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW{when}\nBEGIN\n{body}END"]


def postgresql_trigger(
    name: str, event: str, table: str, condition: str | None, statements: list[str]
) -> list[str]:
    """The statements making the trigger on PostgreSQL: its function, then the trigger."""
    when = f" WHEN ({condition.format(distinct='IS DISTINCT FROM')})" if condition else ""
    body = "".join(f"    {statement};\n" for statement in statements)
    returned = "OLD" if event.startswith("BEFORE") else "NULL"
    return [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}"
        f"    RETURN {returned};\nEND\n$$",
        f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW{when} EXECUTE FUNCTION {name}()",
    ]


def up(migrator, db):
    db.execute_sql(
        "CREATE TABLE stats_people_totals (figure VARCHAR(20) NOT NULL,"
        " gender VARCHAR(20) NOT NULL DEFAULT '', total INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (figure, gender))"
    )
    for statement in INDEXES:
        db.execute_sql(statement)
    wrap = sqlite_trigger if is_sqlite(db) else postgresql_trigger
    for trigger in TRIGGERS:
        for statement in wrap(*trigger):
            db.execute_sql(statement)
    if db.execute_sql("SELECT 1 FROM account LIMIT 1").fetchone():
        from tremplin.stats import registered

        registered.rebuild()
