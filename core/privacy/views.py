"""The public register of processing activities, as a page and in the API."""

from flask import Blueprint, render_template
from flask_smorest import Blueprint as ApiBlueprint

from . import schemas, service

blueprint = Blueprint("privacy", __name__, template_folder="templates")
api = ApiBlueprint(
    "privacy_api", __name__, url_prefix="/api/v1/privacy", description="Personal data"
)


@blueprint.get("/donnees-personnelles")
def register():
    """What the instance does with personal data, for everyone to read."""
    return render_template("privacy/register.html", activities=service.register())


@api.get("/processing-activities")
@api.response(200, schemas.ProcessingActivitySchema(many=True))
def processing_activities():
    """The register of processing activities (GDPR article 30)."""
    return service.register()
