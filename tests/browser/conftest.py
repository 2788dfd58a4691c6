"""A real browser on a served demo: Debian's Chromium driven by Playwright.

The browser is the system's (``/usr/bin/chromium``, or ``TREMPLIN_CHROMIUM``): Playwright
never downloads one. Without it the browser tests are skipped with a reason, unless
``TREMPLIN_BROWSER_REQUIRED`` is set (``.ci/run`` sets it, and installs Chromium), where
a missing browser fails the run.
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tremplin.testing import pinned_at_test_now

CHROMIUM = Path(os.environ.get("TREMPLIN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM} (apt install chromium, or set TREMPLIN_CHROMIUM)"
        if os.environ.get("TREMPLIN_BROWSER_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def demo_app(request, make_module_app, module_reference_region, run_cli):
    """The reference region, with every plugin it enables, filled with a small demo: one
    for the tests of a module, generated at the moment they start at. What one of them
    changes (a survey answered, an account registered) is nothing another one reads."""
    region = module_reference_region
    config = tomllib.loads((region / "tremplin.toml").read_text(encoding="utf-8"))
    with pinned_at_test_now(request.config):
        app = make_module_app(region=region, plugins=config["plugins"]["enabled"], migrate=False)
        result = run_cli(app, "demo", "--no-serve", "--ambassadors", "30", "--interventions", "60")
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture(scope="module")
def served(demo_app) -> Iterator[str]:
    """The demo app served over HTTP on a free local port, for a module; yields its base URL."""
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
