"""The JSON API of interventions and events (flask-smorest)."""

from flask_smorest import Blueprint as ApiBlueprint

interventions_api = ApiBlueprint(
    "interventions_api",
    __name__,
    url_prefix="/api/v1/interventions",
    description="Intervention requests, answers, matching, scheduling and reports.",
)
events_api = ApiBlueprint(
    "events_api",
    __name__,
    url_prefix="/api/v1/events",
    description="Forums, fairs and webinars with time slots.",
)
