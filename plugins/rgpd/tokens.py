"""The secrets of the plugin's emailed links: random, and stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> str:
    """A fresh secret for a link: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored of a link's secret: its SHA-256, so the table alone opens nothing."""
    return hashlib.sha256(secret.encode()).hexdigest()
