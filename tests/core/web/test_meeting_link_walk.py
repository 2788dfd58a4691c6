"""Meeting links reach the participants and nobody else.

In the spirit of ``test_privacy_walk``: the reference region with its plugins and a small
demo; the demo teacher's current intervention with the demo ambassador is held remotely
and the teacher gives its link, as for a webinar of the school; then a visitor, a partner,
another ambassador and the teacher of another school walk every GET route of the URL map
(pages and JSON API, read from the app, so new routes are walked without touching this
test) and never meet the links, which the intervention's three sides and the webinar's
organiser read.
"""

from __future__ import annotations

import datetime
import tomllib

import pytest

from tremplin.auth.models import Account, Role, RoleGrant
from tremplin.clock import now
from tremplin.demo.generator import LOGIN_EMAILS
from tremplin.interventions import events, meeting
from tremplin.interventions.models import Event, Intervention, Status
from tremplin.people.models import Ambassador, Mode

from .test_privacy_walk import paths, signed_in

LINK = "https://visio.example.org/salle-secrete-b81c"
WEBINAR_LINK = "https://visio.example.org/webinaire-secret-4d2e"


def schools_of(account: Account) -> set[int]:
    return {
        grant.organisation_id
        for grant in RoleGrant.select().where(
            RoleGrant.account == account.id, RoleGrant.role == Role.EDUCATOR
        )
    }


@pytest.fixture
def walk(make_app, reference_region, run_cli):
    """The app, the remote intervention holding the link, and another school's teacher."""
    enabled = tomllib.loads((reference_region / "tremplin.toml").read_text(encoding="utf-8"))
    app = make_app(region=reference_region, plugins=enabled["plugins"]["enabled"], migrate=False)
    result = run_cli(app, "demo", "--no-serve", "--ambassadors", "30", "--interventions", "60")
    assert result.exit_code == 0, result.output
    with app.app_context():
        teacher = Account.get(Account.email == LOGIN_EMAILS["educator"])
        ambassador = Ambassador.get(
            Ambassador.account == Account.get(Account.email == LOGIN_EMAILS["ambassador"]).id
        )
        remote = (
            Intervention.select()
            .where(
                Intervention.ambassador == ambassador.id,
                Intervention.organisation.in_(list(schools_of(teacher))),
                Intervention.status.in_([Status.ACCEPTED, Status.SCHEDULED]),
            )
            .order_by(Intervention.id)
            .first()
        )
        assert remote is not None, "the demo gives its teacher and ambassador a current one"
        Intervention.update(mode=Mode.REMOTE).where(Intervention.id == remote.id).execute()
        other_teacher = next(
            account
            for account in Account.select()
            .join(RoleGrant, on=RoleGrant.account == Account.id)
            .where(RoleGrant.role == Role.EDUCATOR, Account.status == "active")
            .order_by(Account.id)
            if not schools_of(account) & {remote.organisation_id}
        )
        other_ambassador = (
            Account.select()
            .join(Ambassador, on=Ambassador.account == Account.id)
            .where(Account.id != ambassador.account_id, Account.status == "active")
            .first()
        )
        webinar = _webinar(teacher, remote.organisation_id)
        meeting.set_event_link(teacher, webinar.id, {"url": WEBINAR_LINK})
    answer = signed_in(app, LOGIN_EMAILS["educator"]).post(
        f"/api/v1/interventions/{remote.id}/meeting-link", json={"url": LINK}
    )
    assert answer.status_code == 200, answer.text
    return app, remote, webinar, other_teacher, other_ambassador


def _webinar(organiser: Account, school_id: int) -> Event:
    """A webinar of ``school_id`` to come, created by its teacher ``organiser``."""
    starts = now() + datetime.timedelta(days=30)
    return events.create_event(
        organiser,
        {
            "title": "Webinaire des métiers de la santé",
            "intervention_type": "webinar",
            "mode": "remote",
            "organisation": school_id,
            "audience_level": "lycee_general",
            "slots": [
                {
                    "starts_at": starts.replace(tzinfo=datetime.UTC).isoformat(),
                    "ends_at": (starts + datetime.timedelta(hours=1))
                    .replace(tzinfo=datetime.UTC)
                    .isoformat(),
                }
            ],
        },
    )


def test_the_meeting_link_is_read_by_the_participants_only(walk):
    app, remote, webinar, other_teacher, other_ambassador = walk
    walked = sorted(set(paths(app, sorted({*range(1, 9), remote.id, webinar.id}))))
    assert f"/interventions/{remote.id}" in walked
    assert f"/evenements/{webinar.id}" in walked
    outsiders = {
        "visitor": app.test_client(),
        "partner": signed_in(app, LOGIN_EMAILS["partner"]),
        "another ambassador": signed_in(app, other_ambassador.email),
        "another school's teacher": signed_in(app, other_teacher.email),
    }
    for role, client in outsiders.items():
        for path in walked:
            body = client.get(path).get_data()
            assert LINK.encode() not in body, f"{role} reads it on {path}"
            assert WEBINAR_LINK.encode() not in body, f"{role} reads the webinar's on {path}"
    for role in ("educator", "ambassador", "referent"):
        page = signed_in(app, LOGIN_EMAILS[role]).get(f"/interventions/{remote.id}")
        assert LINK in page.text, f"the {role} does not read it"
    organiser = signed_in(app, LOGIN_EMAILS["educator"])
    assert WEBINAR_LINK in organiser.get(f"/evenements/{webinar.id}").text
