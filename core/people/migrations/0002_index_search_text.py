"""Index ``ambassador.search_text`` for the directory's full-text search.

SQLite: an FTS5 table ``ambassador_fts`` over ``search_text``, with *external content*
(``content='ambassador'``): the index points at the ambassador rows instead of copying
their text, and ``'rebuild'`` fills it from them, here and whenever it must be repaired.
A contentless table would store no text either, but could not be rebuilt from the table.
Triggers keep it in step with every insert, delete and change of ``search_text``.

PostgreSQL: a GIN index on the text-search vector of ``search_text``. The text is already
lower-case and without accents (``tremplin.text.normalise``), so the ``simple``
configuration is enough and the ``unaccent`` extension is not needed. ``translate`` turns
punctuation into spaces first, so that words split as FTS5 splits them (PostgreSQL's parser
would keep ``conducteur/trice`` or ``technicien.ne`` as one word).

The directory (``tremplin.people.directory``) queries with the very same expressions: an
expression changed there needs a new migration here, or the index stops being used
(tests/core/people/test_search.py checks the query plans).
"""

from tremplin.db import is_sqlite

SQLITE = [
    """
    CREATE VIRTUAL TABLE ambassador_fts USING fts5(
        search_text,
        content='ambassador',
        content_rowid='id',
        tokenize='unicode61 remove_diacritics 2',
        prefix='2 3'
    )
    """,
    """
    CREATE TRIGGER ambassador_fts_after_insert AFTER INSERT ON ambassador BEGIN
        INSERT INTO ambassador_fts (rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    """
    CREATE TRIGGER ambassador_fts_after_delete AFTER DELETE ON ambassador BEGIN
        INSERT INTO ambassador_fts (ambassador_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END
    """,
    """
    CREATE TRIGGER ambassador_fts_after_update AFTER UPDATE OF id, search_text ON ambassador
    BEGIN
        INSERT INTO ambassador_fts (ambassador_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO ambassador_fts (rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    "INSERT INTO ambassador_fts (ambassador_fts) VALUES ('rebuild')",
]

# Every ASCII punctuation mark but "%" (a placeholder character for psycopg, and a separator
# for PostgreSQL's parser anyway), and the typographic ones of French text.
PUNCTUATION = "!\"#$&'()*+,-./:;<=>?@[\\]^_`{|}~’‘‚«»“”„·•…‐‑‒–—°"

POSTGRESQL = [
    "CREATE INDEX ambassador_search_text_fts ON ambassador USING GIN "
    "(to_tsvector('simple', translate(search_text, '{}', '{}')))".format(
        PUNCTUATION.replace("'", "''"), " " * len(PUNCTUATION)
    ),
]


def up(migrator, db):
    for statement in SQLITE if is_sqlite(db) else POSTGRESQL:
        db.execute_sql(statement)
