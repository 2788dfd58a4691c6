"""The interventions tests use the test kit's ``network`` (its ``request`` goes through the
service) and sign many people in: cheap password hashing for all."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def quick_password_hashing(fast_passwords):
    """These tests create and sign in many accounts: every one uses cheap hashing."""
