"""Log lines people can use: the request id on every line and response, text or JSON."""

from __future__ import annotations

import io
import json
import logging

import pytest

from tremplin import logs
from tremplin.app import runtime_of

logger = logging.getLogger("tremplin.tests.logs")


@pytest.fixture
def captured():
    """Lines the root logger writes while the test runs, as ``tremplin worker`` sets it up."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure({"format": "json", "level": "INFO"}, stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def logging_app(make_app):
    app = make_app()

    @app.get("/-/test-log")
    def write_a_line():
        logger.warning("something to know")
        return "ok"

    return app


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_response_carries_a_request_id_and_a_proxy_s_is_kept(client):
    first, second = client.get("/"), client.get("/")
    assert len(first.headers[logs.HEADER]) == 32
    assert first.headers[logs.HEADER] != second.headers[logs.HEADER]
    sent = client.get("/", headers={logs.HEADER: "nginx-4f2a9c"})
    assert sent.headers[logs.HEADER] == "nginx-4f2a9c"
    forged = client.get("/", headers={logs.HEADER: 'x" injected="1'})
    assert forged.headers[logs.HEADER] != 'x" injected="1'


def test_a_line_logged_during_a_request_carries_its_id_in_json(logging_app, captured):
    response = logging_app.test_client().get("/-/test-log")
    [line] = [entry for entry in lines(captured) if entry["logger"] == "tremplin.tests.logs"]
    assert line["request_id"] == response.headers[logs.HEADER]
    assert (line["level"], line["message"]) == ("WARNING", "something to know")
    assert line["time"].endswith("+00:00")
    assert logs.request_id() == "-"  # forgotten once the request is over


def test_the_text_format_shows_the_id_between_brackets(logging_app):
    stream = io.StringIO()
    handler = logs.configure({"format": "text", "level": "INFO"}, stream)
    try:
        response = logging_app.test_client().get("/-/test-log")
    finally:
        logging.getLogger().removeHandler(handler)
    request_id = response.headers[logs.HEADER]
    assert f"WARNING [{request_id}] tremplin.tests.logs: something to know" in stream.getvalue()


def test_a_task_s_lines_carry_the_task_id(make_app, captured):
    app = make_app()
    queue = runtime_of(app).queue

    @queue.task(name="tests.log_something")
    def log_something():
        logger.warning("from a task")

    with app.app_context():
        log_something()
    [line] = [entry for entry in lines(captured) if entry["message"] == "from a task"]
    assert line["request_id"].startswith("task-")
