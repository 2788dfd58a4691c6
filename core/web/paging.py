"""Lists shown a page at a time: which page the query string asks for, and the address of
another page.

A page number is a whole number from 1; anything else (``0``, ``-2``, ``abc``, a number too
large for the database) is no page, and the list starts again from its default.
"""

from __future__ import annotations

from flask import request, url_for

# Beyond what the databases take in a LIMIT/OFFSET computation: no page, not a crash.
MAX_PAGE = 2**31 - 1


def page_number(name: str = "page", default: int | None = 1) -> int | None:
    """The page asked for by the query parameter ``name``; ``default`` if it asks for none."""
    page = request.args.get(name, "")
    return int(page) if page.isdigit() and 0 < int(page) <= MAX_PAGE else default


def page_url(param: str, number: int) -> str:
    """This page's address, showing page ``number`` of the list paged by ``param``."""
    args = {**request.args.to_dict(), param: number}
    return url_for(request.endpoint, **(request.view_args or {}), **args)
