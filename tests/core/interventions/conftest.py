"""The interventions tests use the test kit's ``network`` (its ``request`` goes through the
service) and sign many people in: cheap password hashing for all."""

from __future__ import annotations

import pytest

from tremplin.testing import PASSWORD, Network, in_days, local, post_form, sign_in
from tremplin.testing import csrf_token_from as csrf_token

# The test kit's helpers, under the names tests of this folder imported from here before
# the kit had them (new tests import them from ``tremplin.testing``).
__all__ = ["PASSWORD", "Network", "csrf_token", "in_days", "local", "post_form", "sign_in"]


@pytest.fixture(autouse=True)
def quick_password_hashing(fast_passwords):
    """These tests create and sign in many accounts: every one uses cheap hashing."""
