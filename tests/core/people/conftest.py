"""People of a small network for the people area's tests: the test kit's ``Network``."""

from __future__ import annotations

import pytest
from flask import Flask

from tremplin.testing import Network


@pytest.fixture(autouse=True)
def quick_password_hashing(fast_passwords):
    """These tests create and sign in many accounts: every one uses cheap hashing."""


@pytest.fixture
def make_people():
    """``make_people(app)``: a ``Network`` of people on ``app``, with the territory tree."""

    def make(app: Flask) -> Network:
        return Network(app)

    return make


@pytest.fixture
def people(app, make_people) -> Network:
    """People of the core-only ``app``."""
    return make_people(app)
