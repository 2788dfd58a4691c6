"""What makes an instance a demo: ``tremplin demo`` ran on it, in this very process.

A demo's people are invented: served, its emails never leave it
(``tremplin.mail.delivery.keep_in_outbox``). They stay in the outbox, where the demo's
admin reads them (the mailbox, ``/demo/courriels``). An instance served any other way
(``tremplin serve``, gunicorn) is never a demo, whatever its database holds.
"""

from __future__ import annotations

from flask import Flask, current_app

# A key of the app's config, set by nothing but ``tremplin demo``.
DEMO_KEY = "DEMO_INSTANCE"


def make_demo(app: Flask) -> None:
    """Mark ``app`` as a demo: its mailbox page exists."""
    app.config[DEMO_KEY] = True


def is_demo(app: Flask | None = None) -> bool:
    """Whether ``app`` (default: the current one) is a demo."""
    return bool((app or current_app).config.get(DEMO_KEY))
