"""The interventions tests' small network, and the workflow steps statistics count."""

from __future__ import annotations

import datetime

import pytest

from tremplin.auth.models import Account
from tremplin.clock import travel
from tremplin.interventions import service
from tremplin.interventions.models import Intervention
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador

from ..interventions.conftest import (  # noqa: F401 (fixtures)
    PASSWORD,
    Network,
    in_days,
    local,
    make_network,
    make_people,
    quick_password_hashing,
    sign_in,
)

__all__ = [
    "PASSWORD",
    "Network",
    "account_of",
    "answer",
    "client_of",
    "complete",
    "flag",
    "in_days",
    "local",
    "sign_in",
]


@pytest.fixture
def network(app, make_network) -> Network:  # noqa: F811 (the fixture imported above)
    """The network of the core-only ``app``."""
    return make_network(app)


def account_of(network: Network, ambassador: Ambassador) -> Account:
    """The account of an ambassador profile."""
    return network.run(lambda: Ambassador.get_by_id(ambassador.id).account)


def client_of(network: Network, account: Account | Ambassador):
    """A test client of the network's app, signed in as ``account``."""
    if isinstance(account, Ambassador):
        account = account_of(network, account)
    return sign_in(network.app.test_client(), account)


def answer(
    network: Network,
    ambassador: Ambassador,
    request: Intervention,
    after_hours: float,
    accept: bool = True,
) -> None:
    """The ambassador accepts (or declines) ``request`` ``after_hours`` after receiving it."""
    with travel(datetime.timedelta(hours=after_hours)):
        if accept:
            network.run(service.accept, account_of(network, ambassador), request.id, {})
        else:
            network.run(
                service.decline,
                account_of(network, ambassador),
                request.id,
                {"reason": "dates", "message": "Pas disponible."},
            )


def complete(
    network: Network, educator: Account, request: Intervention, reach: dict[str, int]
) -> None:
    """Schedule an accepted ``request`` on its date and report ``reach`` once it has passed."""
    network.run(service.schedule, educator, request.id, {})
    days = (network.get(request.id).starts_at - in_days(0)).days + 2
    with travel(datetime.timedelta(days=days)):
        network.run(service.complete, educator, request.id, {"reach": reach})


def flag(network: Network, school: Organisation, **flags: bool) -> Organisation:
    """Set priority flags (``qpv``, ``rep``, ``rep_plus``, ``rural``) of ``school``."""
    network.run(lambda: Organisation.update(**flags).where(Organisation.id == school.id).execute())
    return network.run(Organisation.get_by_id, school.id)


@pytest.fixture
def world(network):
    """The schools, ambassadors, referent and forum of the aggregates' tests."""
    from .test_monthly import World

    return World(network)
