"""The plugin's JSON API: searching offers, and checking a schedule against the rules.

Thin, like the pages. Signed in by the session cookie, a client sends the ``X-CSRFToken``
header with every POST.
"""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint as ApiBlueprint

from tremplin.auth.web import current_account
from tremplin.validation import validated
from tremplin.web.api import endpoint, json_body
from tremplin.web.paging import page_number

from . import offers, plugin, schedule, schemas, service
from .rules import explain

api = ApiBlueprint(
    f"{plugin.name}_api",
    __name__,
    url_prefix=f"/api/v1/{plugin.name}",
    description="Pupils' discovery internships: offers and the rules for minors.",
)


@endpoint(api, "GET", "/offers", answer=schemas.OfferListSchema, refusals=(422, 403))
def search_offers():
    """Open offers: ``?q=boulangere&territory=59&level=3e``, highlighted first."""
    page = offers.search_offers(current_account(), request.args.to_dict(), page_number() or 1)
    return {"items": page.items, "total": page.total}


@endpoint(
    api,
    "POST",
    "/check",
    body=schemas.CheckSchema,
    answer=schemas.CheckAnswerSchema,
    refusals=(422,),
)
def check():
    """The rules a weekly schedule and the dates of a stay break, for a pupil born on
    ``birth_date``: ``{"level": "3e", "birth_date": "2011-05-02", "first_day":
    "2026-01-19", "last_day": "2026-01-23", "schedule": {"Mon": [["09:00", "12:00"]]}}``."""
    data = validated(schemas.CheckSchema, json_body())
    codes = schedule.violations(
        data["level"],
        data["birth_date"],
        [(data["first_day"], data["last_day"])],
        data["schedule"],
        service.settings()["zone"],
    )
    return {
        "lawful": not codes,
        "violations": [{"code": code, "message": explain(code, data["level"])} for code in codes],
    }
