"""The test kit's network, and the workflow steps statistics count."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

import pytest
from hypothesis import HealthCheck, settings

from tremplin.auth.models import Account
from tremplin.clock import travel
from tremplin.interventions import service
from tremplin.interventions.models import Intervention
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador
from tremplin.testing import PASSWORD, Network, client_of, in_days, local, sign_in

# The test kit's helpers, under the names tests of this folder imported from here before
# the kit had them (new tests import them from ``tremplin.testing``).
__all__ = ["PASSWORD", "client_of", "in_days", "local", "sign_in"]


@pytest.fixture(autouse=True)
def quick_password_hashing(fast_passwords):
    """These tests create and sign in many accounts: every one uses cheap hashing."""


# What an ambassador confirms when accepting a company visit (ignored for other types).
VISIT_CONFIRMED = {"rules_allow": True, "safety_rules": "Chaussures fermées, rester en groupe."}


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
            network.run(service.accept, network.account_of(ambassador), request.id, VISIT_CONFIRMED)
        else:
            network.run(
                service.decline,
                network.account_of(ambassador),
                request.id,
                {"reason": "dates", "message": "Pas disponible."},
            )


def complete(
    network: Network, educator: Account, request: Intervention, reach: dict[str, int]
) -> None:
    """Report ``reach`` for an accepted ``request`` (so scheduled) once its date has passed."""
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


def replay(actions: Iterable[tuple], do: Callable[[tuple], None]) -> datetime.timedelta:
    """Apply ``actions`` with ``do``, each at the clock moved on by every ``("travel", days)``
    before it; return how far the clock was moved in all (where to check the result)."""
    offset = datetime.timedelta()
    for action in actions:
        if action[0] == "travel":
            offset += datetime.timedelta(days=action[1])
            continue
        with travel(offset):
            do(action)
    return offset


def sequences(examples: int) -> settings:
    """Hypothesis settings of a property test that replays sequences of actions on a
    network: ``examples`` of them, each slow (a network each), without a deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
