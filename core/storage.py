"""Files kept outside the database: the bytes of documents, scans, and the like.

They live under one folder of the instance, ``[storage] files`` of ``tremplin.toml``
(default ``instance/files``, relative to the region folder), or ``TREMPLIN_FILES_DIR``.
Each file is written once under a random key and never changed: a key names one content for
ever, and the database row that holds the key says what it is (its SHA-256 too, when it
matters). Keys are 128 random bits, so a key cannot be guessed, and a file is never
half-written under its name (written aside, then renamed). Files are readable by the
instance's user only.

Why not in the database: PDFs and scans are large and never change; kept in the database
they would make every backup, every ``VACUUM`` and every PostgreSQL dump carry them again.
The price is that a file and its row are not in one transaction: a file is written before
the row that names it commits, so a rollback leaves an orphan file, which its area sweeps
(``sweep``); a file is deleted only once the row that named it is gone.
"""

from __future__ import annotations

import datetime
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from . import clock, runtime

# ``<area>/<32 hexadecimal digits>``: nothing that could leave the folder.
KEY = re.compile(r"^([a-z][a-z0-9_-]{0,39})/([0-9a-f]{32})$")
AREA = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


class MissingFile(LookupError):
    """No file is stored under this key (deleted, never written, or not a key at all)."""


def folder() -> Path:
    """The folder of the current instance's files."""
    return runtime.current().region.files_folder


def put(area: str, data: bytes) -> str:
    """Store ``data`` for ``area`` (``"documents"``...) under a new key; return the key."""
    if not AREA.match(area):
        raise ValueError(f"an area is lowercase letters, digits, - and _: {area!r}")
    key = f"{area}/{secrets.token_hex(16)}"
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(f".{path.name}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    # Dated by Tremplin's clock, which ``sweep`` compares with (the system's in production).
    written = clock.now().replace(tzinfo=datetime.UTC).timestamp()
    os.utime(partial, (written, written))
    partial.replace(path)
    return key


def get(key: str) -> bytes:
    """The bytes stored under ``key``; raise ``MissingFile``."""
    try:
        return _path(key).read_bytes()
    except (OSError, ValueError) as error:
        raise MissingFile(key) from error


def delete(key: str | None) -> None:
    """Delete the file stored under ``key`` (nothing if it is already gone or ``None``)."""
    if not key:
        return
    try:
        _path(key).unlink(missing_ok=True)
    except ValueError:
        return


def sweep(area: str, keep: Iterable[str], older_than: datetime.datetime) -> int:
    """Delete the files of ``area`` not in ``keep`` and last written before ``older_than``.

    Catches what a crash or a rollback left behind. ``older_than`` (naive UTC) spares the
    files of transactions still running. Return how many files were deleted.
    """
    if not AREA.match(area):
        raise ValueError(f"an area is lowercase letters, digits, - and _: {area!r}")
    kept = set(keep)
    limit = older_than.replace(tzinfo=datetime.UTC).timestamp()
    gone = 0
    for path in (folder() / area).glob("*/*"):
        key = f"{area}/{path.name.removeprefix('.').removesuffix('.part')}"
        if not path.is_file() or key in kept or path.stat().st_mtime >= limit:
            continue
        path.unlink(missing_ok=True)
        gone += 1
    return gone


def _path(key: str) -> Path:
    match = KEY.match(key or "")
    if match is None:
        raise ValueError(f"not a storage key: {key!r}")
    area, name = match.groups()
    return folder() / area / name[:2] / name
