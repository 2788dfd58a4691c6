"""Log lines people can use: a request id on each, as text or as JSON.

Every request gets an id: the ``X-Request-ID`` its proxy sent (when it looks like one),
else a new random one; the response carries it back in ``X-Request-ID``, and every line
logged while the request runs carries it too, so one request's lines can be found in the
app's, the proxy's and gunicorn's access logs. A task run by the worker carries its task
id the same way. ``configure`` sets up the root logger for ``tremplin.wsgi`` and
``tremplin worker`` from ``[log] format`` and ``level`` (``TREMPLIN_LOG_FORMAT``,
``TREMPLIN_LOG_LEVEL``).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import json
import logging
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from typing import IO

HEADER = "X-Request-ID"
# What an id sent by a proxy may look like: no spaces nor quotes to break a log line.
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def request_id() -> str:
    """The id of the request (or task) running now; ``-`` outside any."""
    return _request_id.get()


def new_request_id(sent: str | None = None) -> str:
    """``sent`` when it looks like an id (a proxy's ``X-Request-ID``), else a new random one."""
    if sent and ACCEPTED_ID.match(sent):
        return sent
    return uuid.uuid4().hex


def bind(identifier: str) -> contextvars.Token:
    """Make ``identifier`` the id of what runs now, until ``unbind(token)``."""
    return _request_id.set(identifier)


def unbind(token: contextvars.Token) -> None:
    """Restore the id that ``bind`` replaced."""
    _request_id.reset(token)


@contextlib.contextmanager
def bound(identifier: str) -> Iterator[None]:
    """Run a block (a task...) under ``identifier``."""
    token = bind(identifier)
    try:
        yield
    finally:
        unbind(token)


class RequestIdFilter(logging.Filter):
    """Put the current request id in every record, as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, request id, message, error."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id()),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(settings: Mapping[str, str], stream: IO[str] | None = None) -> logging.Handler:
    """Send the root logger's lines to ``stream`` (stderr) in ``settings["format"]``.

    Replaces the handlers this function installed before; returns the new handler.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "tremplin", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.tremplin = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    if settings.get("format") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(settings.get("level", "INFO"))
    return handler
