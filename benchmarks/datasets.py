"""Demo databases of a given size: generated once with ``tremplin demo --no-serve``,
cached (SQLite file, PostgreSQL database), then copied for each run so that the
workloads that write never change the cache.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .instance import environment, tremplin
from .measures import say

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / (
    "tremplin-benchmarks"
)
DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/postgres"
SQLITE = "sqlite"
POSTGRESQL = "postgresql"


@dataclass(frozen=True, order=True)
class Size:
    """A demo network's size."""

    ambassadors: int
    interventions: int

    @property
    def label(self) -> str:
        """``10k / 100k``: ambassadors / interventions."""
        return f"{_short(self.ambassadors)} / {_short(self.interventions)}"


def _short(number: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if number >= scale and number % (scale // 10) == 0:
            value = number / scale
            return f"{value:g}{unit}"
    return str(number)


@dataclass
class Database:
    """A working database of a run: a disposable copy of a cached demo database."""

    kind: str
    url: str
    size: Size
    queue_url: str

    @property
    def sqlite_path(self) -> Path:
        """The file of a SQLite database."""
        return Path(urlsplit(self.url).path)


class Store:
    """Where demo databases of one kind are generated, cached, copied and dropped."""

    kind: str

    def __init__(self, cache: Path, workdir: Path):
        self.cache = cache
        self.workdir = workdir

    def queue_url(self, name: str) -> str:
        """A throwaway SQLite queue for the instance: emails are queued, never sent."""
        return f"sqlite:///{self.workdir / (name + '-queue.db')}"

    def demo(self, size: Size) -> Database:
        """A working copy of the demo database of ``size``, generating it if needed."""
        raise NotImplementedError

    def fresh(self, name: str) -> Database:
        """An empty database, migrated and with the region's data loaded (``init``)."""
        raise NotImplementedError

    def drop(self, database: Database) -> None:
        """Remove a working database."""
        raise NotImplementedError

    def close(self) -> None:
        """Remove what the store made for this run (SQLite: the working folder does)."""

    def _upgraded(self, database: Database) -> Database:
        """``database`` with the migrations of this version applied (``tremplin db
        upgrade``): a cached demo network may have been made by an earlier version."""
        tremplin(environment(database.url, database.queue_url), "db", "upgrade")
        return database

    def _generate(self, url: str, size: Size, log: Path) -> None:
        say(f"{self.kind}: generating {size.label} (tremplin demo --no-serve), once")
        env = environment(url, self.queue_url("generate"))
        tremplin(
            env,
            "demo",
            "--no-serve",
            "--ambassadors",
            str(size.ambassadors),
            "--interventions",
            str(size.interventions),
            log=log,
        )


class SqliteStore(Store):
    """SQLite: cached files ``sqlite-A-I.db``; a run works on a copy."""

    kind = SQLITE

    def __init__(self, cache: Path, workdir: Path, reuse: dict[Size, Path] | None = None):
        super().__init__(cache, workdir)
        self.reuse = reuse or {}

    def source(self, size: Size) -> Path:
        """The cached (or reused) database of ``size``; generated on first use."""
        if size in self.reuse:
            return self.reuse[size]
        path = self.cache / f"sqlite-{size.ambassadors}-{size.interventions}.db"
        if not path.exists():
            partial = path.with_suffix(".partial")
            for leftover in self.cache.glob(partial.name + "*"):
                leftover.unlink()
            self.cache.mkdir(parents=True, exist_ok=True)
            self._generate(f"sqlite:///{partial}", size, path.with_suffix(".log"))
            _checkpoint(partial)
            partial.rename(path)
        return path

    def demo(self, size: Size) -> Database:
        source = self.source(size)
        name = f"sqlite-{size.ambassadors}"
        target = self.workdir / f"{name}.db"
        say(f"sqlite: copying {source} ({source.stat().st_size / 1e6:.0f} MB)")
        shutil.copyfile(source, target)
        wal = source.with_name(source.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
        return self._upgraded(Database(SQLITE, f"sqlite:///{target}", size, self.queue_url(name)))

    def fresh(self, name: str) -> Database:
        empty = self.workdir / "empty.db"
        if not empty.exists():  # ``tremplin init`` once per run, then copies
            url = f"sqlite:///{empty}"
            tremplin(environment(url, self.queue_url("empty")), "init")
            _checkpoint(empty)
        target = self.workdir / f"{name}.db"
        shutil.copyfile(empty, target)
        return Database(SQLITE, f"sqlite:///{target}", Size(0, 0), self.queue_url(name))

    def drop(self, database: Database) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(database.sqlite_path) + suffix).unlink()


def _checkpoint(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class PostgresqlStore(Store):
    """PostgreSQL: cached databases ``tremplin_bench_A_I``; a run works on a TEMPLATE copy."""

    kind = POSTGRESQL

    def __init__(self, cache: Path, workdir: Path, admin_url: str):
        super().__init__(cache, workdir)
        self.admin_url = admin_url
        self.run_id = f"{os.getpid()}"

    def url_of(self, name: str) -> str:
        """The URL of database ``name`` on the server of ``admin_url``."""
        return urlunsplit(urlsplit(self.admin_url)._replace(path=f"/{name}"))

    def _admin(self, *statements: str) -> list[tuple]:
        import psycopg

        rows: list[tuple] = []
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for statement in statements:
                cursor = connection.execute(statement)
                if cursor.description:
                    rows.extend(cursor.fetchall())
        return rows

    def _exists(self, name: str) -> bool:
        return bool(self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))

    def source(self, size: Size) -> str:
        """The name of the cached database of ``size``; generated on first use."""
        name = f"tremplin_bench_{size.ambassadors}_{size.interventions}"
        if not self._exists(name):
            partial = f"{name}_partial"
            self._admin(f'DROP DATABASE IF EXISTS "{partial}"', f'CREATE DATABASE "{partial}"')
            self.cache.mkdir(parents=True, exist_ok=True)
            self._generate(self.url_of(partial), size, self.cache / f"{name}.log")
            self._admin(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
        return name

    def demo(self, size: Size) -> Database:
        source = self.source(size)
        name = f"tremplin_run_{self.run_id}_{size.ambassadors}"
        say(f"postgresql: copying {source}")
        self._admin(
            f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{source}"'
        )
        return self._upgraded(Database(POSTGRESQL, self.url_of(name), size, self.queue_url(name)))

    def fresh(self, name: str) -> Database:
        empty = f"tremplin_run_{self.run_id}_empty"
        if not self._exists(empty):  # ``tremplin init`` once per run, then TEMPLATE copies
            self._admin(f'CREATE DATABASE "{empty}"')
            tremplin(environment(self.url_of(empty), self.queue_url("empty")), "init")
        name = f"tremplin_run_{self.run_id}_{name}"
        self._admin(
            f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{empty}"'
        )
        return Database(POSTGRESQL, self.url_of(name), Size(0, 0), self.queue_url(name))

    def close(self) -> None:
        """Drop the run's empty template."""
        self._admin(f'DROP DATABASE IF EXISTS "tremplin_run_{self.run_id}_empty" WITH (FORCE)')

    def drop(self, database: Database) -> None:
        name = urlsplit(database.url).path.lstrip("/")
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
