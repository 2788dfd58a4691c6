"""People, organisations and interventions for W8's plugin work, written in bulk.

The plugins' heavy work needs a database filled with what one task reads (a company's
employees, the busiest person): ``People`` writes those rows through the core demo's
``Writer`` (ids chosen in advance, ``executemany`` in batches, every field's default
and ``db_value``), so that filling takes seconds, not the minutes of the services one row
at a time. The app of a run keeps its files (documents, exports) in the run's folder.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from .datasets import Database
from .instance import REGION, bundled_plugins, overrides

PASSWORD_HASH = "benchmarks-no-password"


def make_app(database: Database, workdir: Path) -> Any:
    """The region's app on ``database``, every bundled plugin on, files in ``workdir``."""
    from tremplin import create_app

    values = {
        **overrides(database.url, database.queue_url, bundled_plugins()),
        "files_folder": str(workdir / "plugin-files"),
    }
    return create_app(str(REGION), overrides=values)


class People:
    """Writes accounts, organisations, ambassadors and interventions in bulk (in an app
    context, its database connected)."""

    def __init__(self) -> None:
        from tremplin.db import database
        from tremplin.demo.writer import Writer

        self.writer = Writer(database)
        self.territory_id = _department_id()

    def add(self, model: Any, row: dict[str, Any]) -> int:
        """Queue ``row`` of ``model``; its id."""
        return self.writer.add(model, row)

    def finish(self) -> None:
        """Write every queued row (and move PostgreSQL's sequences past their ids)."""
        self.writer.finish()

    def account(self, email: str, first: str, last: str, moment: datetime.datetime) -> int:
        """An active account; its id."""
        from tremplin.auth.models import Account, AccountStatus

        return self.add(
            Account,
            {
                "email": email,
                "password_hash": PASSWORD_HASH,
                "first_name": first,
                "last_name": last,
                "phone": "03 20 00 00 00",
                "status": AccountStatus.ACTIVE,
                "created_at": moment,
                "activated_at": moment,
                "last_login_at": moment,
            },
        )

    def grant(self, account_id: int, role: str, organisation_id: int | None = None) -> int:
        """A role in force; its id."""
        from tremplin.auth.models import RoleGrant

        return self.add(
            RoleGrant,
            {"account": account_id, "role": role, "organisation": organisation_id},
        )

    def organisation(self, name: str, kind: str, **values: Any) -> int:
        """An organisation of the Nord; its id."""
        from tremplin.organisations.models import Organisation
        from tremplin.organisations.service import search_values

        row = {"name": name, "kind": kind, "city": "Lille", "postcode": "59000", **values}
        return self.add(Organisation, {**row, **search_values(row), "territory": self.territory_id})

    def ambassador(
        self, account_id: int, occupation: str, organisation_id: int | None, moment
    ) -> int:
        """A professional ambassador offering class talks and company visits; its id."""
        from tremplin.people.models import Ambassador, AmbassadorOffer, AmbassadorZone
        from tremplin.people.service import search_text_of

        ambassador_id = self.add(
            Ambassador,
            {
                "account": account_id,
                "kind": "professional",
                "occupation": occupation,
                "rome_code": "H2913",
                "sector": "Industrie",
                "organisation": organisation_id,
                "search_text": search_text_of(occupation, "Industrie", "H2913"),
                "home_territory": self.territory_id,
                "monthly_capacity": 4,
                "presentation": "Je présente mon métier et mon parcours.",
                "created_at": moment,
            },
        )
        for kind in ("class_talk", "company_visit"):
            self.add(AmbassadorOffer, {"ambassador": ambassador_id, "intervention_type": kind})
        self.add(AmbassadorZone, {"ambassador": ambassador_id, "territory": self.territory_id})
        return ambassador_id

    def completed(
        self,
        ambassador_id: int,
        school_id: int,
        requested_by: int,
        starts_at: datetime.datetime,
        intervention_type: str,
        minutes: int,
    ) -> int:
        """A completed intervention of the ambassador at the school; its id."""
        from tremplin.interventions.models import Intervention, Status

        asked = starts_at - datetime.timedelta(days=21)
        return self.add(
            Intervention,
            {
                "intervention_type": intervention_type,
                "mode": "on_site",
                "status": Status.COMPLETED,
                "organisation": school_id,
                "territory": self.territory_id,
                "requested_by": requested_by,
                "ambassador": ambassador_id,
                "topic": "Métiers de l'industrie",
                "audience_level": "college_3",
                "group_size": 25,
                "duration_minutes": minutes,
                "starts_at": starts_at,
                "created_at": asked,
                "assigned_at": asked,
                "answered_at": asked + datetime.timedelta(days=1),
                "scheduled_at": asked + datetime.timedelta(days=1),
                "completed_at": starts_at + datetime.timedelta(days=1),
                "pupils_reached": 25,
            },
        )


def _department_id() -> int:
    from tremplin.territories.models import Territory

    return Territory.get(Territory.code == "59").id


def school_days(year: int, count: int) -> list[datetime.datetime]:
    """``count`` moments of ``year``'s school months (not July and August), spread evenly,
    on weekdays at 9:00 UTC."""
    days = [
        datetime.date(year, 1, 1) + datetime.timedelta(days=offset)
        for offset in range(365)
        if (datetime.date(year, 1, 1) + datetime.timedelta(days=offset)).month not in (7, 8)
        and (datetime.date(year, 1, 1) + datetime.timedelta(days=offset)).weekday() < 5
    ]
    return [
        datetime.datetime.combine(days[(number * len(days)) // count], datetime.time(9))
        for number in range(count)
    ]
