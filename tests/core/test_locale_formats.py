"""Dates, moments and numbers are written by Babel in the page's language (the ``day``,
``moment`` and ``number`` filters), stored moments in the region's time zone."""

from __future__ import annotations

import datetime

import pytest
from flask import render_template_string

TEMPLATE = "{{ d | day }}|{{ m | moment }}|{{ m | day }}|{{ n | number }}"
VALUES = {
    "d": datetime.date(2026, 12, 7),
    "m": datetime.datetime(2026, 12, 7, 23, 30),  # UTC: already the 8th in Paris
    "n": 1234.5,
}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "7 décembre 2026|8 décembre 2026, 00:30|8 décembre 2026|1\u202f234,5"),
        ("en", "December 7, 2026|December 8, 2026, 12:30\u202fAM|December 8, 2026|1,234.5"),
    ],
)
def test_a_page_writes_dates_and_numbers_in_its_language(app, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        app.preprocess_request()
        assert render_template_string(TEMPLATE, **VALUES) == expected
