"""The plugin's JSON API: a competition's published results, and marks entered by judges.

Thin, like the pages. Signed in by the session cookie, a client sends the ``X-CSRFToken``
header with every POST.
"""

from __future__ import annotations

from flask_smorest import Blueprint as ApiBlueprint

from tremplin.auth.web import current_account
from tremplin.web.api import endpoint, json_body

from . import marks, plugin, results, schemas

api = ApiBlueprint(
    f"{plugin.name}_api",
    __name__,
    url_prefix=f"/api/v1/{plugin.name}",
    description="WorldSkills: published results, and marks entered by judges.",
)


@endpoint(
    api,
    "GET",
    "/competitions/<int:competition_id>/results",
    answer=schemas.SkillResultsSchema(many=True),
    signed_in=False,
    refusals=(404,),
)
def competition_results(competition_id: int):
    """The published results of a competition, skill by skill: rank, first name and initial,
    training centre, marks, scale score, award, selected."""
    competition = results.published(competition_id)
    return [
        {
            "number": skill.number,
            "name": skill.name,
            "results": results.lines(skill, public=True),
        }
        for skill in results.locked_skills(competition.id)
    ]


@endpoint(
    api,
    "POST",
    "/skills/<int:skill_id>/marks",
    body=schemas.ScoreSchema,
    answer=schemas.ScoreAnswerSchema,
    status=201,
    refusals=(422, 403, 404, 409),
)
def enter_mark(skill_id: int):
    """A member of the skill's marking team enters a mark: ``{"aspect": 3, "candidate": 12,
    "value": "2"}``; refused (403) for a competitor they declared a link with."""
    return marks.enter(current_account(), skill_id, json_body())
