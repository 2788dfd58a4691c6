"""Running the instance as a core plugin: health, metrics, the plugin list, the heartbeat."""

from huey import crontab

from .. import queue as task_queue
from .. import runtime
from ..hookkinds import hookimpl
from . import views


@hookimpl
def register_blueprints(app):
    """``/healthz``, ``/-/metrics`` and ``/-/plugins.json``; every request is timed."""
    app.before_request(views.start_timing)
    app.after_request(views.record_timing)
    return [views.blueprint]


@hookimpl
def register_tasks(queue):
    """``queue.heartbeat``, every minute: tells ``/healthz`` and the metrics a worker runs."""
    queue.periodic_task(crontab(minute="*"), name=task_queue.HEARTBEAT_TASK)(heartbeat)


def heartbeat() -> None:
    """Record that a worker ran a task now."""
    runtime.current().queue.beat()
