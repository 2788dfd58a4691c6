"""Every response carries the security headers; HSTS over HTTPS only; no inline script.

The templates' check reads every template of the core and of the bundled plugins, so a new
page with an inline script, an event handler or a style attribute fails here before its
Content-Security-Policy silently breaks it in a browser.
"""

import re
from pathlib import Path

import pytest

from tremplin.auth import service as accounts
from tremplin.auth.models import AccountStatus
from tremplin.testing import sign_in

ROOT = Path(__file__).resolve().parents[3]
HTTPS_REGION = """\
[region]
code = "test-region"
name = "Région de test"

[web]
base_url = "https://tremplin.example.org"

[mail]
backend = "locmem"
"""

# One of each kind: a page, a form, a redirection, an API answer, an API error, the
# OpenAPI document, a stylesheet, a page that does not exist, a refused form.
PATHS = (
    ("GET", "/"),
    ("GET", "/connexion"),
    ("GET", "/mon-compte"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/territories/"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/static/web/tremplin.css"),
    ("GET", "/page-qui-n-existe-pas"),
    ("POST", "/connexion"),
)


def directives(response) -> dict[str, str]:
    """The Content-Security-Policy as ``{directive: sources}``."""
    policy = response.headers["Content-Security-Policy"]
    pairs = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_every_response_carries_the_security_headers(client, method, path):
    response = client.open(path, method=method)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = directives(response)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    scripts = policy.get("script-src", policy["default-src"])
    styles = policy.get("style-src", policy["default-src"])
    for sources in (scripts, styles):
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources
        assert "*" not in sources.split()


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_over_https(make_app, write_region):
    app = make_app(region=write_region(HTTPS_REGION))
    response = app.test_client().get("/", base_url="https://tremplin.example.org")
    assert response.status_code == 200
    hsts = response.headers["Strict-Transport-Security"]
    assert re.fullmatch(r"max-age=(\d+); includeSubDomains", hsts)
    assert int(re.search(r"\d+", hsts).group()) >= 180 * 24 * 3600


def test_headers_on_the_pages_of_a_signed_in_person(app, client, fast_passwords):
    with app.app_context():
        accounts.create_account(
            "lea.martin@example.org",
            "Léa",
            "Martin",
            password="un mot de passe solide",
            status=AccountStatus.ACTIVE,
        )
    sign_in(client, "lea.martin@example.org", "un mot de passe solide")
    response = client.get("/mon-compte")
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


# No inline script anywhere

TEMPLATE_FOLDERS = [*ROOT.glob("core/**/templates"), *ROOT.glob("plugins/**/templates")]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def page_templates() -> list[Path]:
    """The HTML templates of pages (email bodies are not pages: no policy applies there)."""
    return sorted(
        path
        for folder in TEMPLATE_FOLDERS
        for path in folder.rglob("*.html")
        if "email" not in path.relative_to(folder).parts
    )


def test_templates_are_found():
    names = {path.name for path in page_templates()}
    assert {"base.html", "account.html", "thread.html"} <= names


@pytest.mark.parametrize(
    ("rule", "pattern"),
    [
        ("an inline <script>", INLINE_SCRIPT),
        ("an event handler attribute (onclick=...)", EVENT_HANDLER),
        ("a style attribute (use a class of a stylesheet)", STYLE_ATTRIBUTE),
        ("a javascript: address", JAVASCRIPT_URL),
    ],
)
def test_no_page_template_holds_what_the_content_security_policy_blocks(rule, pattern):
    offenders = [
        str(path.relative_to(ROOT))
        for path in page_templates()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"{rule} in: {offenders}"
