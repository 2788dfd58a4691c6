"""``/healthz`` for load balancers and monitoring, ``/-/metrics`` for Prometheus,
``/-/plugins.json`` for admins."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, g, jsonify, request

from .. import pluginmanager, runtime
from ..auth.permissions import is_admin
from ..web.access import current_account
from . import health, metrics

blueprint = Blueprint("operations", __name__)


@blueprint.get("/healthz")
def healthz():
    """200 when the database, the queue and the worker answer, 503 with each part's state.

    ``?ignore=worker`` leaves the worker out, for load balancers: a stopped worker delays
    emails but is no reason to take a web host out.
    """
    state = health.check()
    healthy = state.healthy(ignore_worker=request.args.get("ignore") == "worker")
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": state.database,
        "queue": state.queue,
        "worker": state.worker,
        "worker_heartbeat": state.worker_heartbeat.isoformat() if state.worker_heartbeat else None,
    }
    return jsonify(body), 200 if healthy else 503


@blueprint.get("/-/metrics")
def prometheus_metrics():
    """Prometheus metrics, for the bearer of ``[web] metrics_token`` or a signed-in admin."""
    if not (_bears_the_token() or is_admin(current_account())):
        abort(403)
    return Response(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


@blueprint.get("/-/plugins.json")
def plugins_json():
    """The enabled plugins with their version and hooks: what a host runs, for admins."""
    if not is_admin(current_account()):
        abort(403)
    manager = current_app.extensions["tremplin"].runtime.plugins
    return jsonify([info.as_dict() for info in pluginmanager.describe(manager) if not info.core])


def _bears_the_token() -> bool:
    token = runtime.current().region.metrics_token
    sent = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


def start_timing() -> None:
    """Before each request: note when it started."""
    g.tremplin_started = metrics.started()


def record_timing(response: Response) -> Response:
    """After each request: record its latency under its route."""
    started = g.get("tremplin_started")
    if started is not None:
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.observe(started, request.method, endpoint, response.status_code)
    return response
