"""People with accounts, the emails they receive, and the rate limiter's clock."""

from __future__ import annotations

import re
import time

import limits.storage.memory
import limits.strategies
import pytest

from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus
from tremplin.mail import delivery

PASSWORD = "un mot de passe solide"
BASE_URL = "http://127.0.0.1:5000"  # the test region's [web] base_url
LINK = re.compile(r"https?://\S+")


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
def outbox(app):
    """Emails sent by ``app`` (the test region's mail backend keeps them in memory)."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


@pytest.fixture
def deliver(app):
    """Send what waits in the outbox, as ``tremplin mail deliver`` does."""

    def run() -> tuple[int, int]:
        with app.app_context():
            return delivery.deliver_pending()

    return run


@pytest.fixture
def password() -> str:
    """The password of every ``person``."""
    return PASSWORD


@pytest.fixture
def link_in():
    """``link_in(message)``: the path of an email's first link, checked to be the region's."""

    def find(message) -> str:
        url = LINK.search(message.body).group(0)
        assert url.startswith(BASE_URL + "/"), url
        return url.removeprefix(BASE_URL)

    return find


@pytest.fixture
def signed_in_as():
    """``signed_in_as(client)``: the email the client is signed in as, from ``/api/v1/me``."""

    def who(client) -> str | None:
        response = client.get("/api/v1/me")
        return response.json["email"] if response.status_code == 200 else None

    return who
