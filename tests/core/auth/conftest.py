"""People with accounts and the rate limiter's clock (emails: the test kit's ``outbox``)."""

from __future__ import annotations

import time

import limits.storage.memory
import limits.strategies
import pytest

from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus
from tremplin.mail import delivery

PASSWORD = "un mot de passe solide"


class LimiterClock:
    """A clock that only moves when a test says so, for the rate limiter.

    flask-limiter counts attempts by the system's clock, not Tremplin's: its windows are
    about seconds, not dates, and they are frozen so that a slow test is not let through.
    """

    def __init__(self):
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def limiter_clock(monkeypatch):
    """Freeze the time seen by rate limits; ``limiter_clock.advance(seconds)``."""
    fake = LimiterClock()
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    monkeypatch.setattr(limits.strategies, "time", fake)
    return fake


@pytest.fixture
def person(app, fast_passwords):
    """``person(email, status=..., locale=...)``: an account with the password ``PASSWORD``."""

    def create(
        email: str = "lea.martin@example.org",
        first_name: str = "Léa",
        last_name: str = "Martin",
        status: AccountStatus = AccountStatus.ACTIVE,
        **details,
    ) -> Account:
        with app.app_context():
            return accounts.create_account(
                email,
                first_name,
                last_name,
                password=PASSWORD if status != AccountStatus.PENDING else None,
                status=status,
                **details,
            )

    return create


@pytest.fixture
def deliver(app):
    """Send what waits in the outbox, as ``tremplin mail deliver`` does: ``(sent, failed)``."""

    def run() -> tuple[int, int]:
        with app.app_context():
            return delivery.deliver_pending()

    return run


@pytest.fixture
def password() -> str:
    """The password of every ``person``."""
    return PASSWORD


@pytest.fixture
def signed_in_as():
    """``signed_in_as(client)``: the email the client is signed in as, from ``/api/v1/me``."""

    def who(client) -> str | None:
        response = client.get("/api/v1/me")
        return response.json["email"] if response.status_code == 200 else None

    return who
