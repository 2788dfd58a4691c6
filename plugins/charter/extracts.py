"""Extracts of the criminal record uploaded for a referent to look at: encrypted, then gone.

Good practice (and the region's duty) is to look at the extract and keep no copy. When an
ambassador uploads it rather than sending it, the file is kept only until a referent
decides (the decision deletes it) or ``upload_kept_days`` have passed (``purge_expired``
deletes it): encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under a key derived from
the instance's secret key, in ``charter/`` of the instance's files folder (``[storage]
files``, shared by every host: ``tremplin.storage``), under a random name. The
database never holds its bytes. Only PDF, PNG and JPEG files are taken, recognised by
their first bytes, up to ``upload_max_mb``.

``cryptography`` is imported when an extract is encrypted or read, not when the module
is: its compiled bindings weigh about 6 MB in every web worker, for a page few open.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tremplin import runtime, storage
from tremplin.errors import Invalid

from . import plugin
from .i18n import _

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

FIELD = "extract"
KEY_INFO = b"tremplin charter: extracts of the criminal record"
# What a file's first bytes say it is; nothing else is taken.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
MEGABYTE = 1024 * 1024


class Unreadable(Exception):
    """The stored file is missing, or cannot be decrypted with this instance's key."""


@dataclass(frozen=True)
class Stored:
    """An extract stored encrypted: its random name, its type and its size in bytes."""

    name: str
    content_type: str
    size: int


def folder() -> Path:
    """Where the current instance keeps the encrypted extracts: ``charter/`` of the
    instance's files folder (``[storage] files``), which every host shares."""
    return storage.folder() / plugin.name


def max_bytes(max_mb: int) -> int:
    """The largest file taken, in bytes, for a limit of ``max_mb`` megabytes."""
    return max_mb * MEGABYTE


def store(data: bytes, max_mb: int) -> Stored:
    """Encrypt ``data`` to a new file; raise ``Invalid`` if it is too big or not PDF/PNG/JPEG."""
    if not data:
        raise Invalid({FIELD: [_("Choose the file of your extract.")]})
    if len(data) > max_bytes(max_mb):
        raise Invalid(
            {FIELD: [_("The file is larger than %(size)d MB.", size=max_mb)]},
        )
    content_type = sniff(data)
    if content_type is None:
        raise Invalid({FIELD: [_("Send a PDF file or a photo (PNG or JPEG).")]})
    directory = folder()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(16)
    token = _fernet().encrypt(data)
    # Written readable by the instance's user only, and never half-written under its name.
    partial = directory / f".{name}.part"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(token)
    partial.replace(directory / name)
    return Stored(name=name, content_type=content_type, size=len(data))


def read(name: str) -> bytes:
    """The decrypted bytes of the extract stored as ``name``; raise ``Unreadable``."""
    from cryptography.fernet import InvalidToken  # see the module's docstring

    path = _path(name)
    try:
        return _fernet().decrypt(path.read_bytes())
    except (OSError, InvalidToken) as error:
        raise Unreadable(name) from error


def delete(name: str | None) -> None:
    """Delete the extract stored as ``name`` (nothing if it is already gone)."""
    if name:
        _path(name).unlink(missing_ok=True)


def sweep(keep: set[str]) -> int:
    """Delete every file of the folder but the extracts named in ``keep``; return how many.

    Catches what a crash left behind: a file written for a check that was never saved, a
    file whose deletion failed after its decision, a half-written one.
    """
    directory = folder()
    if not directory.is_dir():
        return 0
    gone = 0
    for path in directory.iterdir():
        if path.is_file() and path.name not in keep:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def sniff(data: bytes) -> str | None:
    """The content type ``data`` starts like, among PDF, PNG and JPEG; ``None`` otherwise."""
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def _path(name: str) -> Path:
    # Names are ours (hexadecimal); anything else never reaches the file system.
    if not name or not all(c in "0123456789abcdef" for c in name):
        raise Unreadable(name)
    return folder() / name


def _fernet() -> Fernet:
    from cryptography.fernet import Fernet  # see the module's docstring
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    secret = runtime.current().region.secret_key.encode("utf-8")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))
