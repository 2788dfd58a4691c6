"""A request's life through the service: request, accept, schedule, complete with report."""

from __future__ import annotations

import datetime

import pytest

from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.interventions import service
from tremplin.interventions.models import Reach, Status

from .conftest import in_days, local


def test_a_request_goes_from_requested_to_completed_with_its_report(network, freezer=None):
    ambassador = network.ambassador("Soudeuse")
    educator = network.educator()
    request = network.request(educator, ambassador)
    assert request.status == Status.REQUESTED
    account = network.run(lambda: ambassador.account)
    accepted = network.run(service.accept, account, request.id, {})
    assert accepted.status == Status.ACCEPTED
    scheduled = network.run(service.schedule, educator, request.id, {})
    assert scheduled.status == Status.SCHEDULED
    assert scheduled.starts_at == in_days(10)
