"""The task queue: one per instance, SQLite by default or Redis, tasks declared by plugins
and run in the instance's context, at once in tests and by ``tremplin worker`` otherwise."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
import redis
from huey import crontab
from huey.storage import RedisStorage, SqliteStorage

from tremplin import hookimpl, i18n
from tremplin import queue as task_queue
from tremplin.app import create_app, runtime_of
from tremplin.clock import now
from tremplin.region import ConfigError
from tremplin.runtime import current
from tremplin.territories.models import Territory
from tremplin.testing import minimal_region, upgrade

REDIS_URL = "redis://127.0.0.1:6379/15"


class Greeter:
    """A plugin with a task and an hourly task; both note what they saw of their instance."""

    name = "greeter"

    def __init__(self):
        self.seen = []

    @hookimpl
    def register_tasks(self, queue):
        @queue.task(name="greeter.greet")
        def greet(person):
            # The instance's runtime and database, as a request would see them.
            self.seen.append((person, current().region.code, Territory.select().count()))

        @queue.periodic_task(crontab(minute="0"), name="greeter.hourly")
        def hourly():
            self.seen.append(("hourly", current().region.code, Territory.select().count()))


@pytest.fixture
def make_worker_app(tmp_path, tremplin_database_url):
    """Apps whose queue stores its tasks for a worker, as in production (not immediate)."""
    apps = []

    def make(plugins=(), queue_url=None, code="test-region"):
        folder = minimal_region(tmp_path / f"region-{len(apps)}")
        text = (folder / "tremplin.toml").read_text(encoding="utf-8")
        (folder / "tremplin.toml").write_text(
            text.replace('code = "test-region"', f'code = "{code}"'), encoding="utf-8"
        )
        overrides = {"database_url": tremplin_database_url, "secret_key": "k"}
        if queue_url:
            overrides["queue_url"] = queue_url
        app = create_app(str(folder), overrides=overrides, plugins=plugins)
        upgrade(app)
        apps.append(app)
        return app

    yield make
    for app in apps:
        if not runtime_of(app).database.is_closed():
            runtime_of(app).database.close()


def top_of_the_hour(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def test_hook_register_tasks_declares_tasks_that_code_enqueues_by_name(make_app):
    greeter = Greeter()
    app = make_app(extra_plugins=[greeter])
    with app.app_context():
        task_queue.enqueue("greeter.greet", "Léa")
    # Tests' queues are immediate: the task ran at once, in the instance's context.
    assert greeter.seen == [("Léa", "test-region", 0)]


def test_hook_register_tasks_periodic_tasks_run_when_their_crontab_says(make_app):
    greeter = Greeter()
    app = make_app(extra_plugins=[greeter])
    queue = runtime_of(app).queue
    hour = top_of_the_hour(now())
    with app.app_context():
        queue.run_due(hour + datetime.timedelta(minutes=30))
        assert greeter.seen == []
        queue.run_due(hour)
    assert greeter.seen == [("hourly", "test-region", 0)]


def test_the_default_queue_is_a_sqlite_file_in_the_instance_folder(make_worker_app):
    app = make_worker_app()
    queue = runtime_of(app).queue
    assert not queue.immediate
    assert isinstance(queue.storage, SqliteStorage)
    assert queue.storage.filename == str(runtime_of(app).region.path / "instance" / "queue.db")
    assert queue.name == "tremplin-test-region"


def test_a_sqlite_queue_url_may_name_another_file(make_worker_app, tmp_path):
    app = make_worker_app(queue_url=f"sqlite:///{tmp_path}/elsewhere/tasks.db")
    assert runtime_of(app).queue.storage.filename == str(tmp_path / "elsewhere" / "tasks.db")


def test_an_unknown_queue_scheme_stops_start_up_naming_the_setting(write_region):
    folder = write_region('[region]\ncode = "x"\nname = "X"\n[queue]\nurl = "amqp://host/"\n')
    with i18n.using_locale("en"), pytest.raises(ConfigError) as raised:
        create_app(str(folder))
    assert raised.value.key == "queue.url"
    assert raised.value.reason == "unsupported queue URL scheme 'amqp' (use sqlite or redis)"


def test_tasks_wait_in_the_queue_until_a_worker_runs_them(make_worker_app, run_cli):
    greeter = Greeter()
    app = make_worker_app(plugins=[greeter])
    with app.app_context():
        task_queue.enqueue("greeter.greet", "Léa")
        task_queue.enqueue("greeter.greet", "Sam")
    assert greeter.seen == []
    assert runtime_of(app).queue.pending_count() == 2

    result = run_cli(app, "worker", "--burst")
    assert result.exit_code == 0, result.output
    assert greeter.seen[:2] == [("Léa", "test-region", 0), ("Sam", "test-region", 0)]
    assert runtime_of(app).queue.pending_count() == 0


def test_a_worker_thread_runs_a_task_in_a_context_of_its_own(make_worker_app):
    greeter = Greeter()
    app = make_worker_app(plugins=[greeter])
    queue = runtime_of(app).queue
    with app.app_context():
        Territory.create(code="59", name="Nord", kind="department")
        task_queue.enqueue("greeter.greet", "Léa")
    # A fresh thread has no app context, like the threads of ``tremplin worker``.
    worker = threading.Thread(target=lambda: queue.execute(queue.dequeue()))
    worker.start()
    worker.join()
    assert greeter.seen == [("Léa", "test-region", 1)]


def test_a_redis_queue_is_shared_by_every_process_of_the_instance(make_worker_app, run_cli):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    greeter = Greeter()
    code = f"redis-{uuid.uuid4().hex[:8]}"  # a queue of its own on the shared server
    web = make_worker_app(queue_url=REDIS_URL, code=code)
    worker = make_worker_app(plugins=[greeter], queue_url=REDIS_URL, code=code)
    assert isinstance(runtime_of(web).queue.storage, RedisStorage)
    try:
        with worker.app_context():
            task_queue.enqueue("greeter.greet", "Léa")
        assert runtime_of(web).queue.pending_count() == 1  # another app, the same queue

        assert run_cli(worker, "worker", "--burst").exit_code == 0
        assert greeter.seen[0] == ("Léa", code, 0)
    finally:
        runtime_of(worker).queue.storage.flush_all()


def test_in_tests_a_task_s_error_reaches_the_caller(make_app):
    app = make_app()
    queue = runtime_of(app).queue

    @queue.task(name="tests.broken")
    def broken():
        raise ZeroDivisionError("a bug in a task")

    with app.app_context(), pytest.raises(ZeroDivisionError, match="a bug in a task"):
        task_queue.enqueue("tests.broken")


def test_a_task_name_is_given_once(make_app):
    queue = runtime_of(make_app()).queue
    queue.task(name="greeter.greet")(print)
    with pytest.raises(ValueError, match=r"two tasks are named 'greeter\.greet'"):
        queue.task(name="greeter.greet")(repr)


def test_enqueueing_an_unknown_task_names_it(app):
    with app.app_context(), pytest.raises(LookupError, match=r"no task is named 'nowhere\.task'"):
        task_queue.enqueue("nowhere.task")


def test_an_immediate_instance_needs_no_worker(app, run_cli):
    result = run_cli(app, "worker")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Erreur : cette instance exécute ses tâches dès qu’elles sont mises en file : "
        "elle n’a pas besoin de worker"
    )
