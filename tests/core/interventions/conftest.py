"""A small network for the interventions tests: a school, its educator, a referent, ambassadors,
and requests made through the service."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from flask import Flask

from tremplin.auth.models import Account
from tremplin.clock import now
from tremplin.interventions import service
from tremplin.interventions.models import Intervention

from ..people.conftest import (  # noqa: F401 (fixtures)
    PASSWORD,
    People,
    csrf_token,
    make_people,
    post_form,
    quick_password_hashing,
    sign_in,
)

__all__ = ["PASSWORD", "csrf_token", "in_days", "local", "post_form", "sign_in"]


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    """A UTC moment ``days`` from now at ``hour`` o'clock UTC."""
    moment = now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def local(moment: datetime.datetime) -> str:
    """``moment`` (UTC) as an ISO string with its offset, as the API accepts it."""
    return moment.replace(tzinfo=datetime.UTC).isoformat()


class Network(People):
    """``People`` plus requests made through the service."""

    def request(
        self,
        educator: Account,
        ambassador=None,
        *,
        slots: list[datetime.datetime | str] | None = None,
        **fields: Any,
    ) -> Intervention:
        """A class-talk request from ``educator`` for their school, to ``ambassador`` or routed."""
        with self.app.app_context():
            school_id = _school_of(educator)
            raw = {
                "ambassador": ambassador.id if ambassador is not None else None,
                "organisation": school_id,
                "intervention_type": "class_talk",
                "mode": "on_site",
                "audience_level": "college_3",
                "group_size": 25,
                "duration_minutes": 45,
                "topic": "",
                "slots": [
                    local(slot) if isinstance(slot, datetime.datetime) else slot
                    for slot in (slots or [in_days(10), in_days(12)])
                ],
                **fields,
            }
            return service.request_intervention(educator, raw)

    def run(self, action, *args: Any, **kwargs: Any):
        """Call a service function inside the app's context."""
        with self.app.app_context():
            return action(*args, **kwargs)

    def get(self, intervention_id: int) -> Intervention:
        """The intervention as stored now."""
        with self.app.app_context():
            return Intervention.get_by_id(intervention_id)


def _school_of(educator: Account) -> int:
    from tremplin.auth.models import Role, RoleGrant

    grant = RoleGrant.get(RoleGrant.account == educator.id, RoleGrant.role == Role.EDUCATOR)
    return grant.organisation_id


@pytest.fixture
def make_network():
    """``make_network(app)``: a ``Network`` builder for ``app``."""

    def make(app: Flask) -> Network:
        network = Network(app)
        network.territories()
        return network

    return make


@pytest.fixture
def network(app, make_network) -> Network:
    """The network of the core-only ``app``."""
    return make_network(app)
