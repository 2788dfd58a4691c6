"""People of a small network for the people area's tests: the test kit's ``Network``."""

from __future__ import annotations

import pytest
from flask import Flask

from tremplin.testing import PASSWORD, Network, post_form, sign_in
from tremplin.testing import csrf_token_from as csrf_token
from tremplin.testing.factories import TERRITORIES

People = Network

# The test kit's helpers, under the names tests of this folder imported from here before
# the kit had them (new tests import them from ``tremplin.testing``).
__all__ = ["PASSWORD", "TERRITORIES", "People", "csrf_token", "post_form", "sign_in"]


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
