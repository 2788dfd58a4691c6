"""The database: peewee from a URL, the proxy every model is bound to, and transactions.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout;
PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import peewee
from playhouse import db_url

from .i18n import _

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
}
SCHEMES = {"sqlite", "postgres", "postgresql"}


class BaseModel(peewee.Model):
    """Base of every Tremplin model: bound to the active instance's database."""

    class Meta:
        database = database
        legacy_table_names = False


def connect(url: str, base_dir: Path | None = None) -> peewee.Database:
    """A (not yet connected) peewee database for ``url``.

    ``sqlite:///relative/path.db`` is resolved against ``base_dir`` (the region folder);
    ``sqlite:////absolute/path.db`` and ``postgresql://user@host:port/name`` are taken
    as they are. Raise ``ValueError`` for a scheme Tremplin does not support.
    """
    scheme = urlsplit(url).scheme
    if scheme not in SCHEMES:
        raise ValueError(
            _(
                "unsupported database URL scheme %(scheme)r (use sqlite or postgresql)",
                scheme=scheme,
            )
        )
    if scheme == "sqlite":
        return _sqlite(url, base_dir)
    return db_url.connect(url)


def is_sqlite(db: peewee.Database) -> bool:
    """Whether ``db`` (or the database behind a proxy) is SQLite."""
    target = db.obj if isinstance(db, peewee.DatabaseProxy) else db
    return isinstance(target, peewee.SqliteDatabase)


def redact(url: str) -> str:
    """``url`` with its password replaced by ``***``, for logs and pages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def check(db: peewee.Database) -> None:
    """Run a trivial query; raise ``peewee.DatabaseError`` if the database does not answer."""
    db.execute_sql("SELECT 1").fetchone()


def _sqlite(url: str, base_dir: Path | None) -> peewee.SqliteDatabase:
    path = db_url.parse(url)["database"]
    if path != ":memory:":
        file = Path(path)
        if not file.is_absolute() and base_dir is not None:
            file = base_dir / file
        file.parent.mkdir(parents=True, exist_ok=True)
        path = str(file)
    return peewee.SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=10)
