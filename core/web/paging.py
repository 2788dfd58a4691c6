"""Lists shown a page at a time: which page the query string asks for, the address of
another page, and a page of an API list.

A page number is a whole number from 1; anything else (``0``, ``-2``, ``abc``, a number too
large for the database) is no page, and the list starts again from its default.
"""

from __future__ import annotations

from typing import Any

import peewee
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


def paginated(query: peewee.ModelSelect, pagination: Any) -> list[Any]:
    """The page of ``query`` that an API list asks for (flask-smorest's ``@paginate``
    ``pagination_parameters``), whose total it counts for the ``X-Pagination`` header."""
    pagination.item_count = query.count()
    return list(query.paginate(pagination.page, pagination.page_size))
