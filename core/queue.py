"""The instance's task queue: huey, stored in SQLite by default, in Redis when configured.

One queue per app, built from the region's ``[queue] url`` (``TREMPLIN_QUEUE_URL``):
``sqlite:///instance/queue.db`` (relative to the region folder; the default) or
``redis://host:6379/0``. Areas and plugins declare their tasks and periodic tasks on it
through the ``register_tasks(queue)`` hook, and ``tremplin worker`` runs them. Every task
runs inside its instance's app context, so it reaches the database, the hooks and the
settings as a request does. An *immediate* queue (tests) runs a task as soon as it is
enqueued, in the caller's context.

Code without Flask (services, other tasks) enqueues by name:
``tremplin.queue.enqueue("mail.deliver", ids)``. ``tremplin worker`` (``tremplin.mail.cli``)
runs the queue.
"""

from __future__ import annotations

import contextlib
import datetime
import signal
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import huey
from huey.api import TaskWrapper
from huey.constants import EmptyData
from huey.signals import SIGNAL_ERROR
from huey.storage import RedisStorage, SqliteStorage

from . import clock, db, logs, runtime
from .i18n import _
from .region import ConfigError, Region

REDIS_SCHEMES = {"redis", "rediss", "unix"}
# Kept in the queue's storage, so every host reads what the worker wrote.
HEARTBEAT_KEY = "tremplin:heartbeat"
FAILED_TASKS_KEY = "tremplin:failed_tasks"
HEARTBEAT_TASK = "queue.heartbeat"
# The signals huey's consumer answers when it runs in its own process.
_CONSUMER_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class InstanceQueue(huey.Huey):
    """A huey queue whose tasks run in their instance's app context and are known by name.

    ``tasks`` maps each task's name to its huey task (``tasks["mail.deliver"].schedule(...)``
    for what ``enqueue`` does not cover).
    """

    def __init__(self, name: str, *, immediate: bool = False, **storage: Any):
        self.tasks: dict[str, TaskWrapper] = {}
        self._enter: Callable[[], contextlib.AbstractContextManager] | None = None
        self._raised: dict[str, BaseException] = {}
        # Results are never read: storing them would grow the queue's storage forever.
        super().__init__(name, results=False, utc=True, immediate=immediate, **storage)
        self.signal(SIGNAL_ERROR)(self._keep_error)

    def bind(self, enter: Callable[[], contextlib.AbstractContextManager]) -> None:
        """Run every task inside ``enter()``: the app's ``app_context``."""
        self._enter = enter

    def task(self, *args: Any, name: str | None = None, **kwargs: Any):
        """huey's ``task`` decorator; the task is also known as ``name`` in ``tasks``."""
        decorate = super().task(*args, name=name, **kwargs)
        return lambda function: self._remember(name, function, decorate)

    def periodic_task(self, validate_datetime, *args: Any, name: str | None = None, **kwargs: Any):
        """huey's ``periodic_task`` decorator; also known as ``name`` in ``tasks``."""
        decorate = super().periodic_task(validate_datetime, *args, name=name, **kwargs)
        return lambda function: self._remember(name, function, decorate)

    def execute(self, task, timestamp=None):
        """Run ``task`` in its instance's app context, with a database connection.

        The worker logs a task's error (and retries it if the task says so); an immediate
        queue raises it to the caller, so that a test sees it.
        """
        with self._instance(), logs.bound(f"task-{task.id}"):
            value = super().execute(task, timestamp)
        error = self._raised.pop(task.id, None)
        if error is not None:
            raise error
        return value

    def run_due(self, moment: datetime.datetime | None = None) -> int:
        """Run what is due at ``moment`` (default: now), then return how many tasks ran.

        What the worker does over a minute, at once: the periodic tasks due at ``moment``,
        the tasks scheduled before it, and every task waiting in the queue.
        """
        moment = moment or clock.now()
        for task in [*self.read_periodic(moment), *self.read_schedule(moment)]:
            self.enqueue(task)
        count = 0
        while (task := self.dequeue()) is not None:
            self.execute(task, moment)
            count += 1
        return count

    @contextlib.contextmanager
    def working_in_background(self, workers: int = 2) -> Iterator[None]:
        """Run the tasks, periodic ones too, in threads of this process while the block runs.

        What ``tremplin worker`` does, beside a server (``tremplin demo``); the threads end
        with the block, once the task they run is done. Ctrl+C keeps reaching the block (huey
        would take it). An immediate queue needs no worker: nothing is started.
        """
        if self.immediate:
            yield
            return
        handled = {number: signal.getsignal(number) for number in _CONSUMER_SIGNALS}
        consumer = self.create_consumer(workers=workers, periodic=True, worker_type="thread")
        consumer.start()
        for number, handler in handled.items():
            signal.signal(number, handler)
        try:
            yield
        finally:
            consumer.stop(graceful=True)

    def beat(self, moment: datetime.datetime | None = None) -> None:
        """Record that a worker is running tasks now (the ``queue.heartbeat`` task)."""
        self.storage.put_data(HEARTBEAT_KEY, (moment or clock.now()).isoformat().encode())

    def last_heartbeat(self) -> datetime.datetime | None:
        """When a worker last ran ``queue.heartbeat``; ``None`` if never (or flushed)."""
        raw = self.storage.peek_data(HEARTBEAT_KEY)
        if raw is EmptyData:
            return None
        return datetime.datetime.fromisoformat(raw.decode())

    def failed_tasks(self) -> int:
        """How many tasks have raised since the queue's storage was created."""
        return int(self.storage.incr(FAILED_TASKS_KEY, 0))

    def depth(self) -> int:
        """Tasks waiting to run: queued now, or scheduled for later."""
        return self.pending_count() + self.scheduled_count()

    def _keep_error(self, _signal: str, task, error: BaseException | None = None) -> None:
        if self.immediate and error is not None:
            self._raised[task.id] = error
        elif not self.immediate:
            self.storage.incr(FAILED_TASKS_KEY)

    def _remember(self, name: str | None, function: Callable, decorate: Callable) -> TaskWrapper:
        key = name or f"{function.__module__}.{function.__qualname__}"
        if key in self.tasks:
            raise ValueError(f"two tasks are named {key!r}: give one another name=")
        self.tasks[key] = task = decorate(function)
        return task

    @contextlib.contextmanager
    def _instance(self) -> Iterator[None]:
        try:
            active = runtime.current()
        except RuntimeError:
            active = None
        if active is not None and active.queue is self:
            yield  # in a request, a command or a task of this very instance (immediate)
            return
        if self._enter is None:
            raise RuntimeError("this queue belongs to no app: call bind() first")
        with self._enter(), runtime.current().database.connection_context():
            yield


class QueueFile(SqliteStorage):
    """huey's SQLite storage, written as the instance's database is (WAL, ``synchronous =
    normal``): a commit does not wait for the disk, which would cost every request that
    hands work to the worker milliseconds. A power cut may lose the last tasks queued, not
    their work: emails wait in the outbox, announcements in their table, where the
    periodic tasks find them."""

    def _create_connection(self):
        connection = super()._create_connection()
        connection.execute("pragma synchronous=normal")
        return connection


def make_queue(region: Region, immediate: bool = False) -> InstanceQueue:
    """The queue of ``region`` (``[queue] url``); raise ``ConfigError`` for a bad URL.

    An ``immediate`` queue stores nothing: each task runs when it is enqueued.
    """
    url = region.queue_url
    scheme = urlsplit(url).scheme
    name = f"tremplin-{region.code}"
    try:
        if scheme == "sqlite":
            return InstanceQueue(
                name,
                immediate=immediate,
                storage_class=QueueFile,
                filename=str(_sqlite_file(url, region.path, create=not immediate)),
            )
        if scheme in REDIS_SCHEMES:
            return InstanceQueue(name, immediate=immediate, storage_class=RedisStorage, url=url)
    except (ValueError, OSError, sqlite3.Error) as error:
        raise ConfigError(
            *region.origin("queue_url"),
            _("the queue %(url)s cannot be used: %(error)s", url=db.redact(url), error=error),
        ) from error
    raise ConfigError(
        *region.origin("queue_url"),
        _("unsupported queue URL scheme %(scheme)r (use sqlite or redis)", scheme=scheme),
    )


def enqueue(name: str, *args: Any, **kwargs: Any) -> None:
    """Run the task ``name`` of the current instance in the background with these arguments.

    Arguments must be picklable: pass ids, not model instances.
    """
    queue = runtime.current().queue
    if name not in queue.tasks:
        raise LookupError(f"no task is named {name!r} (known: {', '.join(sorted(queue.tasks))})")
    queue.tasks[name](*args, **kwargs)


def _sqlite_file(url: str, base_dir: Path, create: bool) -> Path:
    file = Path(urlsplit(url).path[1:])  # sqlite:///relative/file.db, sqlite:////absolute
    if not file.is_absolute():
        file = base_dir / file
    if create:
        file.parent.mkdir(parents=True, exist_ok=True)
    return file
