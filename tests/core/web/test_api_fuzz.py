"""The JSON API fuzzed against its own OpenAPI description (schemathesis).

Signed in as a regional admin and as an educator, every operation gets generated requests,
valid and not: none may answer a server error, and every answer must be one the OpenAPI
document declares, in the declared shape. Bounded in examples so that it fits the suite;
run with ``TREMPLIN_FUZZ_EXAMPLES=500`` for a longer search.
"""

from __future__ import annotations

import os
import tomllib

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD
from tremplin.testing import csrf_token_from, sign_in

EXAMPLES = int(os.environ.get("TREMPLIN_FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(params=["admin", "educator"])
def signed_in(request, make_app, reference_region, run_cli):
    """``(app, session)``: the reference region, every plugin it enables and a small demo
    network, and a session of one of its roles (the demo's logins)."""
    enabled = tomllib.loads((reference_region / "tremplin.toml").read_text(encoding="utf-8"))
    app = make_app(region=reference_region, plugins=enabled["plugins"]["enabled"], migrate=False)
    result = run_cli(app, "demo", "--no-serve", "--ambassadors", "30", "--interventions", "60")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    sign_in(client, LOGIN_EMAILS[request.param], PASSWORD)
    token = csrf_token_from(client, "/mon-compte")
    # Given as cookies: werkzeug's test client (which calls the app) drops a Cookie header.
    cookies = {cookie.key: cookie.value for cookie in client._cookies.values()}
    return app, {"headers": {"X-CSRFToken": token}, "cookies": cookies}


def operations(app) -> list:
    """Every operation of the app's OpenAPI document."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_api_answer_is_a_server_error_or_undeclared(signed_in, mode):
    app, session = signed_in
    found = operations(app)
    assert len(found) > 30  # the document was read

    for operation in found:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def answers_as_declared(case):
            response = case.call_and_validate(**session, checks=CHECKS)
            assert response.status_code != 401, "the session was not sent"

        try:
            answers_as_declared()
        except Unsatisfiable:  # nothing to send wrong: no parameter, no body
            assert mode is GenerationMode.NEGATIVE
