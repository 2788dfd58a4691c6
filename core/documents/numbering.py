"""Numbers of issued documents: one unbroken sequence per series, per kind and year.

A series is a kind and the year of issue in the region's time zone
(``mecenat.receipt/2026``); its documents are numbered ``2026-000001``, ``2026-000002``...
The number is taken in the transaction that issues the document, from a counter row
(``document_series``) incremented by an ``UPDATE``: on PostgreSQL the row's lock makes
concurrent issuers wait for one another, on SQLite the database's write lock does. A
transaction that fails gives its number back with its rollback, so no number is skipped
and none is given twice (a unique index on ``(series, sequence)`` guards it too).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from .models import DocumentSeries

DIGITS = 6


def year_of(moment: datetime.datetime, timezone: str) -> int:
    """The year ``moment`` (naive UTC) falls in, in ``timezone``.

    A receipt issued on 31 December at 23:30 in Paris (22:30 UTC) belongs to that year;
    one issued on 1 January at 00:30 in Paris (23:30 UTC the day before) to the new one.
    """
    return moment.replace(tzinfo=datetime.UTC).astimezone(ZoneInfo(timezone)).year


def series_name(kind: str, year: int) -> str:
    """The series of documents of ``kind`` issued in ``year``: ``"mecenat.receipt/2026"``."""
    return f"{kind}/{year}"


def number(year: int, sequence: int) -> str:
    """The printed number of the ``sequence``-th document of ``year``: ``"2026-000001"``."""
    if sequence < 1:
        raise ValueError(f"a sequence starts at 1, not {sequence}")
    return f"{year}-{sequence:0{DIGITS}d}"


def take_next(series: str) -> int:
    """The next sequence of ``series``, taken for the current transaction.

    Call it inside the transaction that issues the document. The first statement is a
    write, so that on SQLite the transaction takes the write lock at once (waiting for the
    others) rather than failing when it turns from reading to writing.
    """
    DocumentSeries.insert(name=series, last=0).on_conflict_ignore().execute()
    DocumentSeries.update(last=DocumentSeries.last + 1).where(
        DocumentSeries.name == series
    ).execute()
    return DocumentSeries.get_by_id(series).last
