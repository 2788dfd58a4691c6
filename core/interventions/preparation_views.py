"""The page of the region's preparation kit for ambassadors (``preparation``)."""

from __future__ import annotations

from flask import Blueprint

from ..auth.web import login_required
from . import preparation
from .views import render_page

blueprint = Blueprint("preparation", __name__, template_folder="templates")


@blueprint.get("/preparer-une-intervention")
@login_required
def kit():
    """The region's kit: questions to prepare, a talk support, advice; 404 if none."""
    return render_page(
        "interventions/preparation.html",
        text_name=preparation.TEXT_NAME,
        support_file=preparation.SUPPORT_FILE,
    )
